"""The views of one initiative (Overview & intake, Backlog, ...)."""
