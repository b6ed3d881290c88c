"""The published versions of a plan (git tags) and `strategy build --all-versions`."""
