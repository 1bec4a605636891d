from odoo import _, api, models
from odoo.exceptions import AccessError


class OkrSystemFieldsMixin(models.AbstractModel):
    """Fields that only the suite's own code writes.

    Computed figures (progress, status, current value, forecast...) and the
    facts and grades a model lists in ``_okr_system_fields`` are refused in
    ``create`` and ``write`` unless the call runs as superuser, which only
    server code can do: RPC, imports and the web client always go through
    here with the user's rights.
    """

    _name = "okr.system.fields.mixin"
    _description = "OKR: fields only the suite's code writes"

    # Beside the read-only computed and related fields: the facts and grades
    # of the model that are written by its actions only.
    _okr_system_fields = ()

    @api.model
    def _get_system_fields(self):
        names = set(self._okr_system_fields)
        for name, field in self._fields.items():
            if (field.compute or field.related) and field.readonly:
                names.add(name)
        return names

    @api.model
    def _check_system_fields(self, field_names):
        """Refuse to write ``field_names`` that only the system writes."""
        if self.env.su:
            return
        forbidden = sorted(set(field_names) & self._get_system_fields())
        if forbidden:
            raise AccessError(
                _(
                    "%(model)s: %(fields)s cannot be written: the OKR suite "
                    "computes or records them itself.",
                    model=self._description,
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in forbidden
                    ),
                )
            )
