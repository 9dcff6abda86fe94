"""The rule classes that entities of later issues declare: Short, Exclusive and Custom, each
checked on its own and in its SQL form against a real file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import pytest

from ldpm.domain.validation import Custom, Exclusive, Short, ValidationError, check_rules


@dataclass
class Thing:
    owner: str = ""
    metric_id: str | None = None
    key_result_id: str | None = None
    weights: tuple[float, ...] = (1.0, 1.0)


def _no_zero_weights(thing: Thing) -> None:
    if not any(thing.weights):
        raise ValidationError("weights", "At least one weight must be above zero.")


RULES = (
    Short("owner", 5, "owner"),
    Exclusive("metric_id", "key_result_id", "One or the other, not both."),
    Custom(("weights",), _no_zero_weights),
)


def test_each_rule_names_its_field_and_says_what_to_do() -> None:
    check_rules(Thing(owner="12345", metric_id="m"), RULES)
    with pytest.raises(ValidationError) as err:
        check_rules(Thing(owner="123456"), RULES)
    assert err.value.field == "owner"
    assert "keep it to 5 characters" in str(err.value)
    with pytest.raises(ValidationError) as err:
        check_rules(Thing(metric_id="m", key_result_id="k"), RULES)
    assert err.value.field == "key_result_id"
    with pytest.raises(ValidationError) as err:
        check_rules(Thing(weights=(0.0, 0.0)), RULES)
    assert err.value.field == "weights"


def test_an_edit_runs_only_the_rules_that_read_its_fields() -> None:
    broken = Thing(owner="123456", weights=(0.0, 0.0))
    check_rules(broken, RULES, ["metric_id"])  # neither broken rule reads it
    with pytest.raises(ValidationError):
        check_rules(broken, RULES, ["weights"])


def test_the_sql_forms_find_every_row_that_breaks_a_rule() -> None:
    from ldpm.persistence.content_values import _rule_candidates

    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (id INTEGER, owner TEXT, metric_id TEXT, key_result_id TEXT)")
    rows = [(1, "12345", "m", None), (2, "123456", None, None), (3, "", "m", "k")]
    con.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    found = {
        rule: {r[0] for r in con.execute(f"SELECT id FROM t WHERE {_rule_candidates(rule)}")}
        for rule in RULES
    }
    assert found[RULES[0]] == {2}
    assert found[RULES[1]] == {3}
    assert found[RULES[2]] == {1, 2, 3}  # every row, each confirmed by the rule itself
