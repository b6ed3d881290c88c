"""Every disk cache and in-process memo of the build, in one place; only the orchestrators import it. What is kept
on disk goes through the one store (store.py), a partition each."""
