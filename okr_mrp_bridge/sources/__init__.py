"""The registry of production sources.

Each family of sources is one small class (a subclass of
:class:`~.base.ProductionSource` decorated with :func:`~.base.register`): its
source keys and labels, the models and fields whose changes refresh it, the
domain of the records in a key result's scope (the records its drill-down
button opens), when a record counts at all (``base_domain``), its plan, and
the aggregate that turns those records into a value. Adding a family is adding
one file here (see ``unbuild.py``): the key result's source selection, its
counter field, its drill-down button, the refresh hooks on the family's model
and the planned landing all come from the registry.

Public API (kept stable for other modules' families, e.g. KPIs):

- :func:`~.base.register` (class decorator) and :class:`~.base.ProductionSource`
  with its declarations: ``family``, ``sources``, ``model``, ``paths``
  (``workorder``, ``production``, ``workcenter``, ``product``, ``company``,
  ``date``), ``base_domain``, ``triggers``, ``action_xmlid``,
  :meth:`~.base.ProductionSource.get_action_name`, ``count_field``,
  ``count_label``, ``count_groups``, ``icon``, ``button_groups``,
  ``uses_uom``, ``plan_sources``, ``plan_base_domain``, ``plan_date_path``,
  and its methods ``_get_facts``, ``_get_value``, ``count_matched`` (and
  ``_get_plan_facts``, ``_get_plan_value`` for a plan);
- ``ProductionSource.get_domain`` / ``get_plan_domain`` (the records of a key
  result), ``compute`` / ``compute_plan`` (its figures), ``match`` (the
  records the figures count), ``filter_counted`` (when a record counts),
  ``get_event_records``;
- :func:`~.base.get_linked_domain`: the key results linked to records;
- the functions below: :func:`get_selection`, :func:`get_source_keys`,
  :func:`get_plan_source_keys`, :func:`get_family`,
  :func:`get_model_family`, :func:`get_triggered_families`.
"""

from .base import REGISTRY, ProductionSource, register
from . import workorder
from . import productivity
from . import production
from . import inspection
from . import unbuild


def get_selection():
    """The (key, label) pairs of every registered source, in family order."""
    return [pair for family in REGISTRY.values() for pair in family.sources]


def get_source_keys():
    return [key for key, _label in get_selection()]


def get_plan_source_keys():
    """The source keys whose figure the ERP's plans extend."""
    return [key for family in REGISTRY.values() for key in family.plan_sources]


def get_model_family(model_name):
    """The family counting records of ``model_name``, or None."""
    for family in REGISTRY.values():
        if family.model == model_name:
            return family
    return None


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
