"""Power Words: a language server and command-line checker that coach AI vocabulary."""

__version__ = "0.1.0"
