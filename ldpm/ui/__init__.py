"""Qt only: windows, views, item models, themes. Talks to data through ldpm.services."""
