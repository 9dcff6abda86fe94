"""Which stakeholders to show, and how to tell people with the same name apart.

:class:`StakeholderFilter` is the one filter the register and the map share: by kind, support
and department (an empty set means "any"; values of one field combine with OR, fields with
AND) and by words (each somewhere in the name, role, department, expertise or tags).

:func:`distinct_names` gives each person the name to show: their name, or — when two people
share it (allowed: a person is a record, not a name) — their name with their role and
department, so "Alex Kim (Engineer, Sales)" and "Alex Kim (Manager, Finance)" are told apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ldpm.domain.entities import Person, Stakeholder
from ldpm.domain.enums import StakeholderKind, Support


@dataclass(frozen=True)
class StakeholderFilter:
    text: str = ""
    kinds: frozenset[StakeholderKind] = field(default_factory=frozenset)
    supports: frozenset[Support] = field(default_factory=frozenset)
    #: Department names as written ("" for people without one), compared ignoring case.
    departments: frozenset[str] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        """True if it hides anything at all."""
        return bool(self.text.strip() or self.kinds or self.supports or self.departments)

    def matches(self, stake: Stakeholder | None, person: Person) -> bool:
        """Does the filter let this person (with their stake, if any) through?  Without a
        stake (the workspace's list of people), kind and support do not apply."""
        if stake is not None:
            if self.kinds and stake.kind not in self.kinds:
                return False
            if self.supports and stake.support not in self.supports:
                return False
        if self.departments:
            wanted = {d.casefold().strip() for d in self.departments}
            if person.department.casefold().strip() not in wanted:
                return False
        words = self.text.casefold().split()
        if words:
            haystack = "\n".join(
                (
                    person.name,
                    person.role,
                    person.department,
                    person.expertise,
                    person.expertise_tags,
                )
            ).casefold()
            return all(word in haystack for word in words)
        return True


def distinct_names(people: Iterable[Person]) -> dict[str, str]:
    """Person id → the name to show (see the module docstring).  People who share a name and
    also a role and department are numbered in id order: "Alex Kim (Engineer, Sales, 2)"."""
    by_name: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        by_name[" ".join(person.name.split()).casefold()].append(person)
    out: dict[str, str] = {}
    for group in by_name.values():
        if len(group) == 1:
            out[group[0].id] = group[0].name
            continue
        described: dict[str, list[Person]] = defaultdict(list)
        for person in group:
            details = ", ".join(p for p in (person.role.strip(), person.department.strip()) if p)
            described[details].append(person)
        for details, same in described.items():
            same.sort(key=lambda p: p.id)
            for n, person in enumerate(same, 1):
                extra = [details] if details else []
                if len(same) > 1:
                    extra.append(str(n))
                out[person.id] = f"{person.name} ({', '.join(extra)})" if extra else person.name
    return out
