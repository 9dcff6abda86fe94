"""NEED ↔ HAVE: terms, tags, scores worked out by hand, ranking and SME load."""

from __future__ import annotations

import pytest

from ldpm.domain.expertise import (
    DEPARTMENT_WEIGHT,
    MAX_INITIATIVES,
    MAX_ITEMS,
    ROLE_WEIGHT,
    TAG_WEIGHT,
    Candidate,
    SmeLoad,
    format_tags,
    match_experts,
    overloaded,
    parse_tags,
    score,
    stem,
    terms,
)

TOMAS = Candidate(
    id="tomas",
    name="Tomás Reyes",
    role="On-call Lead, Platform Operations",
    department="Operations",
    expertise="Incident command and Dev→Ops hand-offs; wrote the runbook conventions.",
    tags=("incident command", "hand-offs", "runbooks"),
)
AISHA = Candidate(
    id="aisha",
    name="Aisha Karimi",
    role="On-call Lead, Payments Engineering",
    department="Engineering",
    expertise="Structured hand-offs from the development side. Mentors new on-callers.",
    tags=("hand-offs", "mentoring"),
)
OWEN = Candidate(
    id="owen",
    name="Owen Price",
    role="Application Security Lead",
    department="Security",
    expertise="OWASP Top 10, static analysis rules, secure code review.",
    tags=("secure code review", "OWASP"),
)
RAVI = Candidate(
    id="ravi",
    name="Ravi Menon",
    role="Learning Experience Designer",
    department="Learning & Development",
    expertise="Microlearning, job aids and short-form video.",
)

SHADOWING = (
    "Shadowing rotation with the two on-call leads. Each new hire and each remote engineer "
    "shadows two live hand-offs with Tomás Reyes or Aisha Karimi."
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("offs", "off"),
        ("shadowing", "shadow"),
        ("leads", "lead"),
        ("policies", "policy"),
        ("mentoring", "mentor"),
        ("running", "run"),
        ("matched", "match"),
        ("process", "process"),  # not a plural
        ("status", "status"),
        ("analysis", "analysis"),
        ("boxes", "box"),
        ("aids", "aid"),
        ("bus", "bus"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_terms_drop_little_words_and_accents_and_join_hyphenated_words() -> None:
    found = terms("The on-call Hand-offs, Tomás!")
    assert found == {"call", "oncall", "hand", "off", "handoff", "toma"}
    assert terms("on call") & terms("oncall") == set()
    assert terms("oncall") <= terms("on-call")
    assert terms("Dev→Ops") == {"dev", "ops"}
    assert terms("") == frozenset()


def test_tags_are_parsed_trimmed_and_unique() -> None:
    assert parse_tags(" hand-offs, Runbooks;incident   command\nhand-offs ,, ") == [
        "hand-offs",
        "Runbooks",
        "incident command",
    ]
    assert format_tags(["OWASP", " owasp", "secure code review"]) == "OWASP, secure code review"


def test_a_score_worked_out_by_hand() -> None:
    need = terms("Incident command training for on-call leads; hand-offs at night")
    points, matched = score(need, TOMAS)
    # Tags: "incident command" (2 words) 3 + 1; "hand-offs" (2 words) 3 + 1; "runbooks" no.
    # Expertise text: its matching terms are the tags' already.  Role "On-call Lead,
    # Platform Operations": "call", "lead", "oncall" at 0.5 each.  Department: nothing new.
    assert matched == ("incident command", "hand-offs", "call", "lead", "oncall")
    assert points == (TAG_WEIGHT + 1) * 2 + 3 * ROLE_WEIGHT


def test_a_role_or_department_alone_is_weak() -> None:
    points, matched = score(terms("security"), OWEN)
    assert points == ROLE_WEIGHT and matched == ("security",)
    points, _ = score(terms("development"), RAVI)
    assert points == DEPARTMENT_WEIGHT  # only the department "Learning & Development"
    assert match_experts("security", [OWEN]) == []  # below the minimum of one point
    assert [m.id for m in match_experts("security", [OWEN], minimum=0.5)] == ["owen"]


def test_the_leads_are_suggested_for_the_shadowing_rotation() -> None:
    found = match_experts(SHADOWING, [OWEN, RAVI, AISHA, TOMAS])
    # Aisha: "hand-offs" 4, role terms "call", "engineer", "lead", "oncall" 4 × 0.5 = 6.
    # Tomás: "hand-offs" 4, role terms "call", "lead", "oncall" 3 × 0.5 = 5.5.
    assert [(m.id, m.score) for m in found] == [("aisha", 6.0), ("tomas", 5.5)]
    assert all(m.matched[0] == "hand-offs" for m in found)


def test_names_never_count() -> None:
    assert match_experts("Ask Owen Price", [OWEN]) == []


def test_equal_scores_go_to_the_lighter_load_first() -> None:
    busy = Candidate(id="b", name="Busy", tags=("hand-offs",), load=SmeLoad(items=5))
    free = Candidate(id="f", name="Free", tags=("hand-offs",), load=SmeLoad(items=0))
    found = match_experts("hand-offs", [busy, free])
    assert [m.id for m in found] == ["f", "b"]
    assert found[0].score == found[1].score == TAG_WEIGHT + 1


def test_nothing_matches_an_empty_need() -> None:
    assert match_experts("  the and of ", [TOMAS]) == []


def test_overload_thresholds() -> None:
    assert not overloaded(SmeLoad(items=MAX_ITEMS, initiatives=MAX_INITIATIVES))
    assert overloaded(SmeLoad(items=MAX_ITEMS + 1, initiatives=1))
    assert overloaded(SmeLoad(items=MAX_INITIATIVES + 1, initiatives=MAX_INITIATIVES + 1))
