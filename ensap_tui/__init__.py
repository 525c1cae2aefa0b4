"""ensap-tui: a terminal simulator of the ENSAP secure-space journey."""

__version__ = "0.1.0"
