"""Bundled resources: themes, the demo project description, icons."""
