"""What the portfolio says about each initiative beyond its name: flags from every area.

The sidebar lists initiatives with their stage and owner, and under them short *flags* that
need attention: "2 contacts overdue", "only vanity metrics", "waiting for triage"…  Each area
contributes a provider — a function that looks at many initiatives at once (in bulk: one query
per area, not one per initiative) and returns its flags — listed once in :data:`PROVIDERS`.
Adding a kind of flag is one provider function in the area's service module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ldpm.domain.entities import Initiative
from ldpm.services import experiments, metrics, stakeholder_flags
from ldpm.services.project import Project
from ldpm.services.triage import sourcing_flags, triage_flags


@dataclass(frozen=True)
class Flag:
    """One thing to say about an initiative in the portfolio."""

    initiative_id: str
    text: str  # short: it is drawn under the initiative's name
    #: "warning" draws attention (a drift, an overdue contact); "info" does not.
    severity: str = "info"
    #: Which area said it (for tests and filters): "triage", "metrics", "stakeholders" …
    area: str = ""


FlagProvider = Callable[[Project, Sequence[Initiative]], list[Flag]]

#: Every area's provider, in the order their flags are shown.
PROVIDERS: list[FlagProvider] = [
    triage_flags,  # new requests to triage, waitlisted, declined, routed, approval overrides
    sourcing_flags,  # how much L&D builds versus enables
    metrics.vanity_flags,  # only vanity metrics
    experiments.experiment_flags,  # experiments waiting for a decision
    stakeholder_flags.drift_flags,  # support drifting away from what the plan needs
    stakeholder_flags.overdue_flags,  # stakeholders overdue for contact
]


def flags(project: Project, initiatives: Sequence[Initiative]) -> dict[str, list[Flag]]:
    """Every provider's flags, by initiative id (warnings first, then in provider order)."""
    out: dict[str, list[Flag]] = {i.id: [] for i in initiatives}
    for provider in PROVIDERS:
        for flag in provider(project, initiatives):
            if flag.initiative_id in out:
                out[flag.initiative_id].append(flag)
    for items in out.values():
        items.sort(key=lambda f: f.severity != "warning")
    return out
