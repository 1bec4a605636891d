"""The registry of production sources.

Each family of sources is one small class (a subclass of
:class:`~.base.ProductionSource` decorated with :func:`~.base.register`): its
source keys and labels, the models and fields whose changes refresh it, the
domain of the records in a key result's scope (the records its drill-down
button opens) and the aggregate that turns those records into a value. Adding
a source is adding one class; nothing outside it spells its keys.
"""

from .base import REGISTRY, ProductionSource, register
from . import workorder
from . import productivity
from . import production
from . import inspection


def get_selection():
    """The (key, label) pairs of every registered source, in family order."""
    return [pair for family in REGISTRY.values() for pair in family.sources]


def get_source_keys():
    return [key for key, _label in get_selection()]


def get_plan_source_keys():
    """The source keys whose figure the ERP's plans extend."""
    return [key for family in REGISTRY.values() for key in family.plan_sources]


def get_family(source):
    """The family class of ``source``, or None for a source of another module."""
    for family in REGISTRY.values():
        if source in family.source_keys():
            return family
    return None


def get_triggered_families(model_name, field_names):
    """The families fed by a change of ``field_names`` on ``model_name``."""
    field_names = set(field_names)
    return [
        family
        for family in REGISTRY.values()
        if field_names & set(family.triggers.get(model_name, ()))
    ]
