"""Connecting those who NEED knowledge with those who HAVE it: expertise matching and SME load.

**Matching.**  :func:`match_experts` ranks people for a need (a backlog item's title and
description, or a need typed in words) by how well their expertise covers it.  Text becomes
*terms* (:func:`terms`): lower-case words without accents and common little words, lightly
stemmed ("shadowing" → "shadow"); a hyphenated word also counts joined up, so "hand-offs"
gives "hand", "off" and "handoff", and "on-call" meets "oncall".  A person scores

* :data:`TAG_WEIGHT` for every expertise tag whose words all occur in the need, plus one per
  extra word of a longer tag ("incident command" is worth more than "incidents");
* one point per need term found in a tag only partly matched or in their expertise text;
* :data:`ROLE_WEIGHT` per term found in their role ("On-call lead") and
  :data:`DEPARTMENT_WEIGHT` per term found in their department: weak evidence alone.

A term counts once per person, in its best place.  People below ``minimum`` are left out; the
rest are ranked by score, then by the lighter load (so the same experts are not always asked
first), then by name.  Names never count: a need that mentions someone is not their expertise.

**Load.**  :class:`SmeLoad` is what a person already carries as a subject-matter expert: the
open backlog items (not done or dropped) they are linked to and the initiatives those belong
to.  :func:`overloaded` says when that is too much: more than :data:`MAX_ITEMS` items or more
than :data:`MAX_INITIATIVES` initiatives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: Points for a tag whose every term occurs in the need.
TAG_WEIGHT = 3.0
#: Points per need term found in a person's role or department (weak evidence on its own).
ROLE_WEIGHT = DEPARTMENT_WEIGHT = 0.5
#: A person carries too much with more open SME items than this …
MAX_ITEMS = 3
#: … or items in more initiatives than this.
MAX_INITIATIVES = 2

_WORDS = re.compile(r"[^\W_]+")
_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_TAG_SPLIT = re.compile(r"[,;\n]+")
#: Words that say nothing about expertise.
_STOP_WORDS = """a an and are as at be but by can do does for from has have how i if in into is it
its of on or our over per so than that the their them then there these they this those to too
under up us we what when where which who whom why will with without you your new each every
all any some more most no not only own same just also very"""
_STOP = frozenset(_STOP_WORDS.split())


def _fold(text: str) -> str:
    """Lower case without accents ("Tomás" → "tomas")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A light English stem: plurals and -ing/-ed endings go ("hand-offs" → "off",
    "shadowing" → "shadow", "leads" → "lead", "policies" → "policy")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        word = word[:-3]
        return word[:-1] if len(word) > 3 and word[-1] == word[-2] else word
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(text: str) -> frozenset[str]:
    """The terms of ``text`` (see the module docstring)."""
    out: set[str] = set()
    for compound in _COMPOUND.findall(_fold(text)):
        words = _WORDS.findall(compound)
        out.update(stem(w) for w in words if w not in _STOP and len(w) > 1)
        if len(words) > 1:  # "on-call" and "hand-offs" also as "oncall" and "handoff"
            out.add(stem("".join(words)))
    return frozenset(out)


def parse_tags(text: str) -> list[str]:
    """Expertise tags written with commas, semicolons or one per line: trimmed, without
    duplicates (ignoring case), in the order written."""
    seen: set[str] = set()
    tags = []
    for raw in _TAG_SPLIT.split(text):
        tag = " ".join(raw.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def format_tags(tags: Iterable[str]) -> str:
    """Tags as they are stored: one text, separated by commas."""
    return ", ".join(parse_tags(", ".join(tags)))


@dataclass(frozen=True, slots=True)
class SmeLoad:
    """Open backlog items a person is the SME of, and the initiatives they belong to."""

    items: int = 0
    initiatives: int = 0


def overloaded(load: SmeLoad) -> bool:
    """Too much to ask of one person (see the module docstring)."""
    return load.items > MAX_ITEMS or load.initiatives > MAX_INITIATIVES


@dataclass(frozen=True, slots=True)
class Candidate:
    """A person as matching sees them."""

    id: str
    name: str
    role: str = ""
    department: str = ""
    expertise: str = ""
    tags: Sequence[str] = ()
    load: SmeLoad = field(default_factory=SmeLoad)


@dataclass(frozen=True, slots=True)
class ExpertMatch:
    """A ranked candidate: their score and what matched (tags as written, then words)."""

    candidate: Candidate
    score: float
    matched: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.candidate.id


def score(need: frozenset[str], candidate: Candidate) -> tuple[float, tuple[str, ...]]:
    """A candidate's score for the need terms ``need``, and what matched."""
    total = 0.0
    used: set[str] = set()
    matched: list[str] = []
    partial: set[str] = set()
    for tag in candidate.tags:
        tag_terms = terms(tag)
        if not tag_terms:
            continue
        core = {stem(w) for w in _WORDS.findall(_fold(tag)) if w not in _STOP and len(w) > 1}
        core = core or set(tag_terms)
        if core <= need:
            total += TAG_WEIGHT + len(core) - 1
            used.update(tag_terms)
            matched.append(tag)
        else:
            partial.update(tag_terms & need)
    words: list[str] = []
    for source, weight in (
        (partial, 1.0),
        (terms(candidate.expertise), 1.0),
        (terms(candidate.role), ROLE_WEIGHT),
        (terms(candidate.department), DEPARTMENT_WEIGHT),
    ):
        for term in sorted(source & need):
            if term not in used:
                used.add(term)
                total += weight
                words.append(term)
    return total, (*matched, *words)


def match_experts(
    need: str, candidates: Iterable[Candidate], *, minimum: float = 1.0
) -> list[ExpertMatch]:
    """Candidates whose expertise covers ``need``, best first (see the module docstring)."""
    wanted = terms(need)
    if not wanted:
        return []
    found = []
    for candidate in candidates:
        points, matched = score(wanted, candidate)
        if points >= minimum:
            found.append(ExpertMatch(candidate, points, matched))
    found.sort(key=lambda m: (-m.score, m.candidate.load.items, _fold(m.candidate.name), m.id))
    return found
