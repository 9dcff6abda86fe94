"""The views of an initiative, in tab order: adding a view is one line here.

See :mod:`ldpm.ui.views.base` for what a view declares and gets for free.
"""

from __future__ import annotations

from ldpm.ui.views.backlog import BacklogView
from ldpm.ui.views.base import InitiativeView
from ldpm.ui.views.coverage import CoverageView
from ldpm.ui.views.experiments import ExperimentsView
from ldpm.ui.views.experts import ExpertsView
from ldpm.ui.views.matrix import MatrixView
from ldpm.ui.views.metrics import MetricsView
from ldpm.ui.views.overview import OverviewView
from ldpm.ui.views.releases import ReleasesView
from ldpm.ui.views.roadmap import RoadmapView
from ldpm.ui.views.stakeholder_map import StakeholderMapView
from ldpm.ui.views.stakeholders import StakeholdersView

#: Every view of an initiative, in the order of the tabs.
VIEWS: list[type[InitiativeView]] = [
    OverviewView,
    BacklogView,
    MatrixView,
    CoverageView,
    ReleasesView,
    RoadmapView,
    StakeholdersView,
    StakeholderMapView,
    ExpertsView,
    MetricsView,
    ExperimentsView,
]
