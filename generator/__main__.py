"""`python -m generator` is the same program as `strategy`."""

from .cli import main

if __name__ == "__main__":  # not when a drawing worker is spawned (it imports the main module again)
    main()
