"""The records the source families count refresh their key results.

Each family's ``model`` gets the hooks below (the classes are generated from
the registry at the end of this file): a write or create that touches one of
the family's trigger fields on records that count before or after it (the
family's ``base_domain``, asked through :meth:`filter_counted`) refreshes the
key results those records may feed. A new family needs no model file here.
"""

from odoo import api, models

from .. import sources as registry


class OkrSourceRecordMixin(models.AbstractModel):
    _name = "okr.source.record.mixin"
    _description = "Record Counted by OKR Production Sources"

    @api.model
    def _okr_get_family(self):
        return registry.get_model_family(self._name)

    @api.model
    def _okr_is_trigger(self, field_names):
        family = self._okr_get_family()
        return bool(
            family and set(field_names) & set(family.triggers.get(self._name, ()))
        )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        field_names = {name for vals in vals_list for name in vals}
        if self._okr_is_trigger(field_names):
            records._okr_refresh_counted(self.browse(), field_names)
        return records

    def write(self, vals):
        counted_before = None
        if self._okr_is_trigger(vals):
            counted_before = self._okr_get_family().filter_counted(self)
        res = super().write(vals)
        if counted_before is not None:
            self._okr_refresh_counted(counted_before, vals)
        return res

    def _okr_refresh_counted(self, counted_before, field_names):
        """Refresh the key results fed by the records that count before or
        after the change; returns the records that count now and did not."""
        family = self._okr_get_family()
        counted = family.filter_counted(self)
        changed = counted | counted_before
        if changed:
            records = family.get_event_records(changed)
            if any(records.values()):
                self.env["okr.key.result"]._refresh_for_event(
                    self._name, field_names, **records
                )
        return counted - counted_before


# the hooks on each family's model
for _model_name in sorted({family.model for family in registry.REGISTRY.values()}):
    type(
        "OkrSourceRecord_" + _model_name.replace(".", "_"),
        (models.Model,),
        {
            "_name": _model_name,
            "_inherit": [_model_name, "okr.source.record.mixin"],
            "__module__": __name__,
        },
    )
