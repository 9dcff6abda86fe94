"""Sync through a shared folder or WebDAV: replicas, merge, conflict log, targets, credentials."""
