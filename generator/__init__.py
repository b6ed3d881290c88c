"""strategy-site: a digital strategy written in git, published as a versioned static site."""

__version__ = "0.1.0"
