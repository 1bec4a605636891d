import math

from odoo import _, api, fields, models
from odoo.exceptions import MissingError, UserError, ValidationError
from odoo.tools import float_compare

from .okr_key_result_change import CHANGE_REQUEST_FIELDS

# Keys of action_request_change's values that ask to delete the key result.
DELETION_KEYS = ("delete", "is_deletion")
# The largest value (in size) a target or a weight may take, as the key
# result's own constraint says.
MAX_MAGNITUDE = 1e15
# Metric types whose start, target and direction the server sets.
SERVER_SET_METRICS = ("boolean", "milestone")
SERVER_SET_FIELDS = frozenset({"start_value", "target_value", "direction"})
# The figures a value's progress is measured against.
PROGRESS_FIELDS = ("start_value", "target_value", "direction", "maintain_mode")


class OkrKeyResult(models.Model):
    """Change requests of a key result: once its cycle runs, the figures that
    define its progress (and its appraisal reference) change through a
    request that someone above the requester approves, and its deletion too.

    Direct writes of those figures and deletions are refused unless the call
    runs as superuser, which only server code can do (the approval, after its
    own rights check; data loading); draft cycles stay free to edit, closed
    ones refuse every change already.
    """

    _inherit = "okr.key.result"

    change_ids = fields.One2many(
        "okr.key.result.change",
        "key_result_id",
        string="Approved Changes",
        domain=[("state", "=", "approved")],
        help="The approved versions of the key result's figures: old and new "
        "values, who asked, who approved, when and why.",
    )
    target_changed = fields.Boolean(
        readonly=True,
        copy=False,
        help="An approved request changed the key result's figures while its "
        "cycle ran: check-ins before the change keep the progress they had "
        "against the figures of their day (Changes tab).",
    )
    change_request_count = fields.Integer(
        string="Change Requests", compute="_compute_change_request_count"
    )
    pending_change_count = fields.Integer(
        string="Pending Changes", compute="_compute_change_request_count"
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_change_request_count(self):
        counts = {}
        for key_result, state, count in self.env["okr.key.result.change"]._read_group(
            [("key_result_id", "in", self._origin.ids)],
            ["key_result_id", "state"],
            ["__count"],
        ):
            totals = counts.setdefault(key_result.id, [0, 0])
            totals[0] += count
            if state == "pending":
                totals[1] += count
        for key_result in self:
            total, pending = counts.get(key_result._origin.id, (0, 0))
            key_result.change_request_count = total
            key_result.pending_change_count = pending

    @api.model
    def _get_system_fields(self):
        # set by the approval of a change request only
        return super()._get_system_fields() | {"target_changed"}

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.su:
            self._check_change_without_request(vals)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            running = self._filter_running_cycle()
            if running:
                # who may not delete at all hears that first
                running.check_access("unlink")
                raise UserError(
                    _(
                        "Key result '%(kr)s' belongs to the running cycle "
                        "'%(cycle)s': it is deleted through a change request "
                        "(Request Change on the key result) that the requester's "
                        "manager or an OKR Manager approves.",
                        kr=running[0].name,
                        cycle=running[0].cycle_id.name,
                    )
                )
        return super().unlink()

    def _filter_running_cycle(self):
        return self.filtered(lambda kr: kr.cycle_id.state == "running")

    def _check_change_without_request(self, vals):
        """Refuse to change, without a request, the figures of key results
        of a running cycle; writing the values they have already is fine."""
        names = set(CHANGE_REQUEST_FIELDS) | {"unit", "metric_type"}
        if not (names | {"active", "objective_id"}) & set(vals):
            return
        running = self._filter_running_cycle()
        if not running:
            return
        for key_result in running:
            effective = key_result._with_fixed_metric_values(vals)
            changed = [
                name
                for name in CHANGE_REQUEST_FIELDS
                if name in effective
                and key_result._change_request_differs(name, effective[name])
            ]
            if changed:
                # who may not change the key result at all hears that first
                key_result.check_access("write")
                raise UserError(
                    _(
                        "Key result '%(kr)s' belongs to the running cycle "
                        "'%(cycle)s': its %(fields)s change through a change "
                        "request (Request Change on the key result) that the "
                        "requester's manager or an OKR Manager approves.",
                        kr=key_result.name,
                        cycle=key_result.cycle_id.name,
                        fields=", ".join(
                            self._fields[name]._description_string(self.env)
                            for name in changed
                        ),
                    )
                )
            if "active" in vals and not vals["active"] and key_result.active:
                key_result.check_access("write")
                raise UserError(
                    _(
                        "Key result '%(kr)s' belongs to the running cycle "
                        "'%(cycle)s': it is archived or deleted through a change "
                        "request (Request Change on the key result).",
                        kr=key_result.name,
                        cycle=key_result.cycle_id.name,
                    )
                )
            if vals.get("objective_id"):
                objective = self.env["okr.objective"].browse(vals["objective_id"])
                if objective.cycle_id != key_result.cycle_id:
                    raise UserError(
                        _(
                            "Key result '%(kr)s' belongs to the running cycle "
                            "'%(cycle)s': it cannot move to an objective of "
                            "another cycle.",
                            kr=key_result.name,
                            cycle=key_result.cycle_id.name,
                        )
                    )

    def _change_request_differs(self, name, value):
        """Whether writing ``value`` into ``name`` changes this key result.

        A value that is not one (text, NaN, infinity, out of range) is left to
        the key result's own validation, which refuses it naming the field:
        bad input hears that first, whatever the cycle."""
        self.ensure_one()
        field = self._fields[name]
        if field.type == "float" and isinstance(value, bool):
            return False
        try:
            new = field.convert_to_record(field.convert_to_cache(value, self), self)
        except (TypeError, ValueError, OverflowError):
            return False
        old = self[name]
        if field.type == "float":
            if not math.isfinite(new) or abs(new) > MAX_MAGNITUDE:
                return False
            return float_compare(new, old, precision_digits=6) != 0
        return (new or False) != (old or False)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_request_change(self, vals, reason):
        """Ask to change the figures of this key result of a running cycle,
        or to delete it.

        ``vals`` maps some of ``target_value``, ``start_value``, ``weight``,
        ``direction``, ``maintain_mode`` and ``deadline`` (a date or
        ``YYYY-MM-DD``, False for none) to their new values, or is
        ``{"delete": True}``. ``reason`` (a text) is required. Whoever may
        change the key result may ask; the requester's manager or an OKR
        Manager decides (``okr.key.result.change.action_approve`` /
        ``action_reject``).

        Returns the id of the request (``okr.key.result.change``).
        """
        self.ensure_one()
        try:
            self.metric_type  # noqa: B018 (reads the key result, or raises)
        except MissingError:
            raise UserError(
                _("Key result %(id)s does not exist (or was deleted).", id=self.id)
            ) from None
        self.check_access("write")
        if self.cycle_id.state != "running":
            raise UserError(
                _(
                    "Key result '%(kr)s': change requests are for running "
                    "cycles; cycle '%(cycle)s' is %(state)s (a draft cycle's "
                    "key results are edited directly, a closed one's do not "
                    "change).",
                    kr=self.name,
                    cycle=self.cycle_id.name,
                    state=dict(
                        self.cycle_id._fields["state"]._description_selection(self.env)
                    )[self.cycle_id.state],
                )
            )
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(
                _("Reason: a text explaining the change is required, got %r.", reason)
            )
        is_deletion, new_vals = self._parse_change_request(vals)
        change_vals = {
            "key_result_id": self.id,
            "key_result_name": self.name,
            "objective_id": self.objective_id.id,
            "cycle_id": self.cycle_id.id,
            "company_id": self.company_id.id,
            "owner_id": self.owner_id.id,
            "is_deletion": is_deletion,
            "changed_fields": " ".join(new_vals),
            "reason": reason.strip(),
            "requested_by_id": self.env.uid,
            "requester_employee_id": self._get_requester_employee().id,
            "request_date": fields.Datetime.now(),
        }
        for name in CHANGE_REQUEST_FIELDS:
            change_vals[f"old_{name}"] = self[name]
            change_vals[f"new_{name}"] = new_vals.get(name, self[name])
        # requests are written by the suite only (users read them): the
        # caller's right to change the key result was checked above
        change = self.env["okr.key.result.change"].sudo().create(change_vals)
        change.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        change._schedule_approval()
        return change.id

    def action_open_change_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Request Change: %(kr)s", kr=self.name),
            "res_model": "okr.key.result.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_key_result_id": self.id},
        }

    def action_open_change_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "okr_management.okr_key_result_change_action"
        )
        action["domain"] = [("key_result_id", "=", self.id)]
        action["context"] = {}
        action["display_name"] = _("Change Requests: %(kr)s", kr=self.name)
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_figures_on(self, day):
        """The start, target, direction and guardrail in force on ``day``:
        the current ones, less the approved changes that took effect after
        it (latest first, each giving back the values it replaced)."""
        self.ensure_one()
        figures = {name: self[name] for name in PROGRESS_FIELDS}
        later = self.change_ids.filtered(
            lambda change: change.effective_date and change.effective_date > day
        ).sorted(lambda change: (change.effective_date, change.id), reverse=True)
        for change in later:
            for name in (change.changed_fields or "").split():
                if name in figures:
                    figures[name] = change[f"old_{name}"]
        return figures

    def _get_requester_employee(self):
        """The current user's employee in the key result's company."""
        self.ensure_one()
        # the user's own employees, whatever the employee rules let them read
        employees = self.env.user.sudo().employee_ids
        return (
            employees.filtered(lambda e: e.company_id == self.company_id)[:1]
            or employees[:1]
        )

    def _parse_change_request(self, vals):
        """``(is_deletion, {field: new value})`` of a change request on this
        key result; refuses values that are not of the documented shape or
        that the key result could not take."""
        self.ensure_one()
        if not isinstance(vals, dict):
            raise UserError(
                _(
                    "Change request: a dict of the new values is required, got %r.",
                    vals,
                )
            )
        vals = dict(vals)
        deletion_flags = [vals.pop(key) for key in DELETION_KEYS if key in vals]
        for flag in deletion_flags:
            if not isinstance(flag, bool):
                raise UserError(_("Deletion: True or False is required, got %r.", flag))
        is_deletion = any(deletion_flags)
        unknown = set(vals) - set(CHANGE_REQUEST_FIELDS)
        if unknown:
            raise UserError(
                _(
                    "Change request: unknown keys %(keys)s; use %(known)s, or delete.",
                    keys=", ".join(sorted(map(str, unknown))),
                    known=", ".join(CHANGE_REQUEST_FIELDS),
                )
            )
        if is_deletion:
            if vals:
                raise UserError(_("Change request: a deletion takes no new values."))
            return True, {}
        parsed = {}
        for name, value in vals.items():
            field = self._fields[name]
            label = field._description_string(self.env)
            if field.type == "float":
                parsed[name] = self._parse_change_number(value, label)
            elif field.type == "selection":
                keys = [key for key, _label in field._description_selection(self.env)]
                if value not in keys:
                    raise UserError(
                        _(
                            "%(field)s: one of %(keys)s is required, got %(value)r.",
                            field=label,
                            keys=", ".join(keys),
                            value=value,
                        )
                    )
                parsed[name] = value
            else:
                parsed[name] = self._parse_change_date(value, label)
        fixed = SERVER_SET_FIELDS & set(parsed)
        if self.metric_type in SERVER_SET_METRICS and fixed:
            raise UserError(
                _(
                    "Key result '%(kr)s': the %(fields)s of a Done / Not Done or "
                    "Milestone key result are set by the server.",
                    kr=self.name,
                    fields=", ".join(
                        self._fields[name]._description_string(self.env)
                        for name in sorted(fixed)
                    ),
                )
            )
        changed = {
            name: value
            for name, value in parsed.items()
            if self._change_request_differs(name, value)
        }
        if not changed:
            raise UserError(
                _(
                    "Key result '%(kr)s': the requested values are its current "
                    "ones; there is nothing to change.",
                    kr=self.name,
                )
            )
        self._check_change_request_values(changed)
        return False, changed

    def _check_change_request_values(self, changed):
        """Refuse new values the key result's constraints would refuse at the
        approval: tell the requester now."""
        self.ensure_one()
        values = {
            name: self[name]
            for name in ("name", "objective_id", "metric_type", *CHANGE_REQUEST_FIELDS)
        }
        values["objective_id"] = self.objective_id.id
        candidate = self.new(dict(values, **changed))
        candidate._check_finite_values()
        candidate._check_weight()
        candidate._check_target_value()
        candidate._check_deadline()

    def _parse_change_number(self, value, label):
        """``value`` as a finite float; a UserError naming ``label`` else."""
        number = None
        if not isinstance(value, bool) and isinstance(value, int | float | str):
            try:
                number = float(value)
            except (ValueError, OverflowError):
                number = None
        if number is None:
            raise UserError(
                _(
                    "%(field)s: a number is required, got %(value)r.",
                    field=label,
                    value=value,
                )
            )
        if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
            raise ValidationError(
                _(
                    "%(field)s: a finite number of at most %(max)g in size is "
                    "required, got %(value)r.",
                    field=label,
                    max=MAX_MAGNITUDE,
                    value=value,
                )
            )
        return number

    def _parse_change_date(self, value, label):
        """``value`` (a date or ``YYYY-MM-DD``) as a date, False for none."""
        if value is False or value is None or value == "":
            return False
        try:
            parsed = fields.Date.to_date(value)
        except (TypeError, ValueError):
            parsed = None
        if not parsed:
            raise UserError(
                _(
                    "%(field)s: a date (YYYY-MM-DD) is required, got %(value)r.",
                    field=label,
                    value=value,
                )
            )
        return parsed
