"""The one exception of the exchange package: a file that cannot be read or written."""

from __future__ import annotations


class ExchangeProblem(Exception):
    """A file cannot be read or written as asked.  ``sentence`` is one plain sentence for the
    user (``ldpm.services.project.user_message`` shows it as it is)."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence
