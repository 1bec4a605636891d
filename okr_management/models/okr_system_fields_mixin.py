import math

from odoo import _, api, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command
from odoo.osv import expression

from ..tools import MAX_MAGNITUDE

NUMERIC_FIELD_TYPES = ("float", "integer", "monetary")
# a PostgreSQL integer column
INTEGER_RANGE = (-(2**31), 2**31 - 1)
# transient records referring to these models show their figures: the caller
# must be allowed to read what they refer to
OKR_READ_CHECKED_PREFIXES = ("okr.", "hr.appraisal")


class OkrSystemFieldsMixin(models.AbstractModel):
    """Fields that only the suite's own code writes, and numbers that are
    numbers.

    Computed figures (progress, status, current value, forecast...) and the
    facts and grades a model lists in ``_okr_system_fields`` are refused in
    ``create`` and ``write`` unless the call runs as superuser, which only
    server code can do: RPC, imports and the web client always go through
    here with the user's rights.

    Every value given to a Float, Integer or Monetary field in ``create`` or
    ``write`` is checked before the ORM converts it: a text that is not a
    number, NaN, infinity or a value out of range is refused with a
    ValidationError naming the field, whoever writes it (form, import, RPC).

    The OKR records given to a relational field must be readable by the
    caller: in ``default_get`` and ``onchange`` of every model (a form never
    shows the name or figures of a record its user may not read), and in
    ``create`` and ``write`` of transient models (wizards and their lines).
    """

    _name = "okr.system.fields.mixin"
    _description = "OKR: fields only the suite's code writes"

    # Beside the read-only computed and related fields: the facts and grades
    # of the model that are written by its actions only.
    _okr_system_fields = ()
    # False on models of other modules extended by the suite: only the
    # fields listed in _okr_system_fields are the suite's to guard.
    _okr_system_computed_fields = True

    # ------------------------------------------------------------------
    # Fields only the suite writes
    # ------------------------------------------------------------------
    @api.model
    def _get_system_fields(self):
        names = set(self._okr_system_fields)
        if self._okr_system_computed_fields:
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
            raise self._get_system_fields_error(forbidden)

    @api.model
    def _get_system_fields_error(self, field_names):
        """The error refusing ``field_names``; models say how their facts are
        recorded instead."""
        return AccessError(
            _(
                "%(model)s: %(fields)s cannot be written: the OKR suite "
                "computes or records them itself.",
                model=self._description,
                fields=self._okr_field_labels(field_names),
            )
        )

    @api.model
    def _okr_field_labels(self, field_names):
        return ", ".join(
            self._fields[name]._description_string(self.env)
            for name in sorted(field_names)
        )

    # ------------------------------------------------------------------
    # Numbers
    # ------------------------------------------------------------------
    @api.model
    def _check_numeric_values(self, vals):
        """Before the ORM converts ``vals``: refuse a value of a numeric field
        that is not a number (the conversion would raise a bare ValueError),
        or an integer the database cannot hold, naming the field. NaN,
        infinity and floats out of range are refused once the model's own
        constraints had their say (see :meth:`_validate_fields`)."""
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is not None and field.type == "many2one":
                self._check_record_id(field, value)
                continue
            if field is None or field.type not in NUMERIC_FIELD_TYPES:
                continue
            if value is False or value is None:
                continue
            number = self._okr_number_of(field, value)
            if number is None:
                raise ValidationError(
                    _(
                        "%(model)s: the %(field)s must be a number (got %(value)r).",
                        model=self._description,
                        field=field._description_string(self.env),
                        value=value if isinstance(value, str) else type(value).__name__,
                    )
                )
            if field.type == "integer" or (
                isinstance(number, int) and abs(number) > MAX_MAGNITUDE
            ):
                # beyond what the column (or a float) holds: refused before
                # the conversion overflows
                self._check_number_in_range(field, number)

    @api.model
    def _check_record_id(self, field, value):
        """A many2one takes a record's id (or nothing): anything else would
        reach the database as a raw error."""
        if value is False or value is None or isinstance(value, models.BaseModel):
            return
        if isinstance(value, bool) or not isinstance(value, int):
            shown = value if isinstance(value, str) else type(value).__name__
            raise ValidationError(
                _(
                    "%(model)s: the %(field)s must be the id of a record (got "
                    "%(value)r).",
                    model=self._description,
                    field=field._description_string(self.env),
                    value=shown,
                )
            )

    @api.model
    def _check_number_in_range(self, field, number):
        low, high = (
            INTEGER_RANGE
            if field.type == "integer"
            else (-MAX_MAGNITUDE, MAX_MAGNITUDE)
        )
        finite = not isinstance(number, float) or math.isfinite(number)
        if not (finite and low <= number <= high):
            # the bounds as they read (the message's arguments are plain
            # names: Odoo's term extraction reads the call's source)
            low_label = f"{low:g}" if isinstance(low, float) else low
            high_label = f"{high:g}" if isinstance(high, float) else high
            raise ValidationError(
                _(
                    "%(model)s: the %(field)s must be a finite number "
                    "between %(low)s and %(high)s (got %(value)s).",
                    model=self._description,
                    field=field._description_string(self.env),
                    low=low_label,
                    high=high_label,
                    value=number,
                )
            )

    @api.model
    def _okr_number_of(self, field, value):
        """``value`` as the number the ORM would store (NaN and infinity
        included); None when it is not a number."""
        if isinstance(value, bool):
            return None
        if isinstance(value, str):
            try:
                value = float(value) if field.type != "integer" else int(value)
            except ValueError:
                return None
        if isinstance(value, int | float):
            return value
        return None

    def _validate_fields(self, field_names, excluded_names=()):
        """After the model's own constraints (their messages say more), refuse
        the NaN, infinity and out-of-range values written to numeric fields,
        whoever wrote them."""
        result = super()._validate_fields(field_names, excluded_names)
        numeric_fields = [
            self._fields[name]
            for name in field_names
            if name not in excluded_names
            and name in self._fields
            and self._fields[name].type in NUMERIC_FIELD_TYPES
            and self._fields[name].store
        ]
        for record in self if numeric_fields else ():
            for field in numeric_fields:
                self._check_number_in_range(field, record[field.name] or 0)
        return result

    # ------------------------------------------------------------------
    # What transient records refer to
    # ------------------------------------------------------------------
    @api.model
    def _check_referred_readable(self, vals, always=False):
        """On a transient model (or ``always``), the OKR records ``vals``
        refers to (many2one ids, x2many link and set commands) must be
        readable by the caller: the form shows their names and figures."""
        if not (self._transient or always) or self.env.su:
            return
        for name, value in vals.items():
            field = self._fields.get(name)
            if (
                field is None
                or not field.relational
                or not value
                or not field.comodel_name.startswith(OKR_READ_CHECKED_PREFIXES)
            ):
                continue
            ids = set()
            if field.type == "many2one":
                if isinstance(value, int):
                    ids.add(value)
                elif isinstance(value, models.BaseModel):
                    ids.update(value.ids)
            else:
                for command in value if isinstance(value, list | tuple) else []:
                    if isinstance(command, int):
                        ids.add(command)
                    elif isinstance(command, list | tuple) and command:
                        if command[0] in (Command.LINK, Command.UPDATE):
                            ids.add(command[1])
                        elif command[0] == Command.SET:
                            ids.update(command[2] or ())
            ids = {record_id for record_id in ids if isinstance(record_id, int)}
            if ids:
                self.env[field.comodel_name].browse(ids).exists().check_access("read")

    # ------------------------------------------------------------------
    # Wizards are their user's
    # ------------------------------------------------------------------
    def _is_private_transient(self):
        """The suite's wizards hold figures copied for their user (a team
        check-in line keeps the value it showed): nobody else reads them."""
        return self._transient and self._name.startswith("okr.") and not self.env.su

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if self._is_private_transient():
            domain = expression.AND([domain, [("create_uid", "=", self.env.uid)]])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or not self._is_private_transient():
            return result
        ids = [record_id for record_id in self._ids if isinstance(record_id, int)]
        if not ids:
            return None
        # sudo: who created the wizards is read to decide who may see them
        others = (
            self.browse(ids)
            .sudo()
            .filtered(lambda wizard: wizard.create_uid.id != self.env.uid)
        )
        if not others:
            return None
        forbidden = self.browse(others.ids)
        return forbidden, lambda: self.env["ir.rule"]._make_access_error(
            operation, forbidden
        )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        # defaults come from the caller's context: a form never opens on
        # the name or figures of a record its user may not read
        self._check_referred_readable(values, always=True)
        return values

    def onchange(self, values, field_names, fields_spec):
        # a new record shows every value given; a record being edited, the
        # changed ones (the others are the stored record's)
        if self._transient or not self.ids:
            given = values
        else:
            given = {name: values[name] for name in field_names if name in values}
        self._check_referred_readable(given, always=True)
        return super().onchange(values, field_names, fields_spec)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_numeric_values(vals)
            self._check_referred_readable(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_numeric_values(vals)
        self._check_referred_readable(vals)
        return super().write(vals)


class ResConfigSettings(models.TransientModel):
    """The OKR Settings are numbers too: thresholds, bands and limits typed
    in the form or given over RPC are checked as any OKR figure."""

    _name = "res.config.settings"
    _inherit = ["res.config.settings", "okr.system.fields.mixin"]
