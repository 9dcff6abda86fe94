"""Sync targets: the places replicas are published to and read from.

One import for the rest of LDPM.  The shared part (names, entries, errors, the
:class:`SyncTarget` protocol, finding the sync folder by its marker) lives in
:mod:`ldpm.sync.target_base`; the two kinds of target in :mod:`ldpm.sync.folder_target` and
:mod:`ldpm.sync.webdav_target`.  See :mod:`ldpm.sync.target_base` for the layout and the rules
every target follows: each device writes only its own files, atomically; :meth:`publish` is a
compare-and-swap; every failure is a :class:`TargetError` whose ``str()`` is one sentence for
the user; every method may run on a worker thread.
"""

from __future__ import annotations

from ldpm.sync.folder_target import FolderTarget
from ldpm.sync.target_base import (
    MARKER_PREFIX,
    PRESENCE,
    RENAME_BACKOFF,
    REPLICAS,
    SYNC_SUFFIX,
    Changed,
    Entry,
    Location,
    SyncTarget,
    TargetAuthFailed,
    TargetBusy,
    TargetError,
    TargetFull,
    TargetReadOnly,
    TargetUnreachable,
    is_marker_name,
    is_temp_name,
    is_valid_name,
    marker_name,
    presence_name,
    replica_name,
    sync_folder_name,
)
from ldpm.sync.webdav_target import PlainHttpRefused, WebDAVTarget, is_loopback

__all__ = [
    "MARKER_PREFIX",
    "PRESENCE",
    "RENAME_BACKOFF",
    "REPLICAS",
    "SYNC_SUFFIX",
    "Changed",
    "Entry",
    "FolderTarget",
    "Location",
    "PlainHttpRefused",
    "SyncTarget",
    "TargetAuthFailed",
    "TargetBusy",
    "TargetError",
    "TargetFull",
    "TargetReadOnly",
    "TargetUnreachable",
    "WebDAVTarget",
    "is_loopback",
    "is_marker_name",
    "is_temp_name",
    "is_valid_name",
    "marker_name",
    "presence_name",
    "replica_name",
    "sync_folder_name",
]
