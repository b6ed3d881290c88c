"""Every disk cache and in-process memo of the build, in one place; only the orchestrators import it."""
