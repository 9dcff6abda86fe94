"""One function per user action; units of work; change records; undoable commands."""
