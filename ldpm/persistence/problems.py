"""Why a project file cannot be used: :class:`FileProblem` and its kinds.

Every problem carries ``sentence``, one plain sentence (or two short ones) for the user saying
what is wrong and what to do, and a stable ``code``.  :mod:`fileformat` re-exports them all;
import them from there.
"""

from __future__ import annotations

from pathlib import Path


class FileProblem(Exception):
    """A project file cannot be used.  ``str(problem)`` is a sentence for the user."""

    code = "problem"

    def __init__(self, sentence: str, path: Path | None = None) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.path = path


class MissingFile(FileProblem):
    code = "missing"


class NotAProject(FileProblem):
    code = "not_a_project"


class FileTooLarge(NotAProject):
    """Far larger than any real project: refused before it is copied or read."""

    code = "too_large"


class OtherApplication(FileProblem):
    code = "other_application"


class NewerVersion(FileProblem):
    code = "newer_version"


class DamagedFile(FileProblem):
    code = "damaged"


class ChecksumMismatch(DamagedFile):
    code = "checksum"


class WrongProject(FileProblem):
    code = "wrong_project"


class UnreadableFile(FileProblem):
    code = "unreadable"


class UntrustedContent(FileProblem):
    """An intact, sealed SQLite file whose *content* LDPM must not use: written by another
    program, a buggy LDPM, a computer with a wrong clock, or someone hostile.

    ``reason`` is the middle of the sentence without the file name ("holds … so …"), for
    callers that compose their own sentence (a sync report naming the sync folder)."""

    code = "untrusted"

    def __init__(self, sentence: str, path: Path | None = None, *, reason: str = "") -> None:
        super().__init__(sentence, path)
        self.reason = reason or sentence


class UnexpectedSchema(UntrustedContent):
    """Triggers, views, virtual tables, a table that is not what this version expects."""

    code = "unexpected_schema"


class InvalidContent(UntrustedContent):
    """A value of the wrong type, an unknown choice, an unreadable date, text or stamp."""

    code = "invalid_content"


class FutureStamps(UntrustedContent):
    """Changes stamped further in the future than any computer's clock can be wrong by."""

    code = "future_stamps"


class TooManyRows(UntrustedContent):
    """Far more entries of one kind than any real project holds."""

    code = "too_many_rows"
