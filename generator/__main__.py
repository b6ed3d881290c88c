"""`python -m generator` is the same program as `strategy`."""

from .cli import main

main()
