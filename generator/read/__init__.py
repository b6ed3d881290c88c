"""Reading a plan from a folder or a git revision: sources, YAML with positions, the loader."""
