"""LDPM — L&D Product Manager."""

__version__ = "0.1.0"
