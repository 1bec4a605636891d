from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import MAX_MAGNITUDE, check_finite

# What the caller of ``create`` gives; the server sets the source and the
# author, and every other figure is computed.
CHECK_IN_GIVEN_FIELDS = frozenset(
    {"key_result_id", "value", "date", "confidence", "note", "external_id"}
)
# A manager's answer to a check-in: written by action_acknowledge only.
ACKNOWLEDGEMENT_FIELDS = frozenset(
    {"acknowledged_by_id", "acknowledged_date", "acknowledgement_note"}
)


class OkrCheckIn(models.Model):
    _name = "okr.check.in"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Check-in"
    _order = "date desc, id desc"
    _rec_name = "key_result_id"
    # a check-in is a fact: once recorded, only its note may change
    _okr_system_fields = (
        "key_result_id",
        "value",
        "date",
        "confidence",
        "source",
        "user_id",
        "external_id",
    )

    key_result_id = fields.Many2one(
        "okr.key.result", required=True, index=True, ondelete="cascade"
    )
    objective_id = fields.Many2one(
        related="key_result_id.objective_id", store=True, index=True
    )
    cycle_id = fields.Many2one(
        related="key_result_id.cycle_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="key_result_id.company_id", store=True, precompute=True
    )
    owner_id = fields.Many2one(
        related="key_result_id.owner_id", string="Key Result Owner"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    # values of different key results are in different units: never summed
    value = fields.Float(required=True, aggregator=False)
    confidence = fields.Integer(
        default=5, aggregator="avg", help="From 0 (no chance) to 10 (certain)."
    )
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Checked in by",
        required=True,
        default=lambda self: self.env.user,
    )
    source = fields.Selection(
        [
            ("manual", "Manual"),
            ("api", "API"),
            ("import", "Import"),
            ("aligned", "Aligned Objectives"),
            ("milestone", "Milestones"),
        ],
        default="manual",
        required=True,
        help="Where the value came from.",
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="The key result's progress at this value.",
    )
    external_id = fields.Char(
        string="External Reference",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The reference an integration (MES, gateway, script) gave this "
        "reading: sent again for the same key result, it returns this check-in "
        "instead of recording a second one.",
    )
    unit = fields.Char(related="key_result_id.unit")
    expected_progress = fields.Float(
        compute="_compute_expected_progress",
        store=True,
        aggregator="avg",
        help="The cycle's expected progress on the check-in date: the even-pace "
        "line the progress is compared with.",
    )
    # written by action_acknowledge only
    acknowledged_by_id = fields.Many2one(
        "res.users", string="Acknowledged by", readonly=True, copy=False
    )
    acknowledged_date = fields.Datetime(
        string="Acknowledged on", readonly=True, copy=False, index="btree_not_null"
    )
    acknowledgement_note = fields.Text(
        string="Manager's Comment", readonly=True, copy=False
    )
    can_acknowledge = fields.Boolean(
        compute="_compute_can_acknowledge",
        help="The current user may acknowledge this check-in: a manager of its "
        "key result's owner, or an OKR Manager, and not its author or owner.",
    )
    to_acknowledge = fields.Boolean(
        compute="_compute_can_acknowledge",
        search="_search_to_acknowledge",
        help="Not acknowledged yet, by someone of my team.",
    )

    _sql_constraints = [
        (
            "external_id_unique",
            "UNIQUE(key_result_id, external_id)",
            "A key result has one check-in per external reference.",
        ),
    ]

    @api.depends(
        "value",
        "key_result_id.start_value",
        "key_result_id.target_value",
        "key_result_id.direction",
        "key_result_id.maintain_mode",
    )
    def _compute_progress(self):
        for check_in in self:
            check_in.progress = (
                check_in.key_result_id._progress_for_value(check_in.value)
                if check_in.key_result_id
                else 0.0
            )

    @api.depends(
        "date", "cycle_id.date_start", "cycle_id.date_end", "key_result_id.deadline"
    )
    def _compute_expected_progress(self):
        for check_in in self:
            check_in.expected_progress = (
                check_in.key_result_id._get_expected_progress_on(check_in.date)
                if check_in.key_result_id
                else 0.0
            )

    @api.depends("acknowledged_by_id", "user_id", "key_result_id.owner_id")
    @api.depends_context("uid")
    def _compute_can_acknowledge(self):
        user = self.env.user
        for check_in in self:
            pending = not check_in.acknowledged_by_id
            check_in.can_acknowledge = pending and check_in._may_acknowledge(user)
            check_in.to_acknowledge = (
                pending and not check_in._is_own(user) and check_in._in_team_of(user)
            )

    def _search_to_acknowledge(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("To Acknowledge can only be searched with = or !=."))
        user = self.env.user
        domain = [
            ("acknowledged_by_id", "=", False),
            ("key_result_id.owner_id", "child_of", user.employee_ids.ids),
            ("key_result_id.owner_id", "not in", user.employee_ids.ids),
            ("user_id", "!=", user.id),
        ]
        if (operator == "=") == bool(value):
            return domain
        return ["!", "&", "&", "&", *domain]

    def _in_team_of(self, user):
        """The key result's owner reports to ``user`` (the employee's manager
        chain, ``parent_id`` up)."""
        self.ensure_one()
        managers = user.employee_ids
        # the reporting line above the owner, whatever HR records the reader sees
        employee = self.sudo().key_result_id.owner_id.parent_id
        seen = set()
        while employee and employee.id not in seen:
            if employee in managers:
                return True
            seen.add(employee.id)
            employee = employee.parent_id
        return False

    def _may_acknowledge(self, user):
        """A manager of the owner or an OKR Manager, never on one's own
        check-in (its author or its key result's owner)."""
        self.ensure_one()
        if self._is_own(user):
            return False
        return self._in_team_of(user) or user.has_group(
            "okr_management.group_okr_manager"
        )

    def _is_own(self, user):
        self.ensure_one()
        return (
            # the owner's user, whatever HR records the reader sees
            self.user_id == user or self.sudo().key_result_id.owner_id.user_id == user
        )

    @api.constrains("value")
    def _check_value(self):
        for check_in in self:
            if not check_finite(check_in.value):
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the check-in Value must be a finite "
                        "number of at most %(max)g in size (got %(value)s).",
                        kr=check_in.key_result_id.name,
                        max=MAX_MAGNITUDE,
                        value=check_in.value,
                    )
                )

    @api.constrains("value", "key_result_id")
    def _check_value_of_metric(self):
        for check_in in self:
            key_result = check_in.key_result_id
            if key_result.metric_type == "boolean" and check_in.value not in (0.0, 1.0):
                raise ValidationError(
                    _(
                        "Key result '%(kr)s' is Done / Not Done: the check-in "
                        "Value must be 1 (done) or 0 (not done), got %(value)s.",
                        kr=key_result.name,
                        value=check_in.value,
                    )
                )

    @api.constrains("confidence")
    def _check_confidence(self):
        for check_in in self:
            if not 0 <= check_in.confidence <= 10:
                raise ValidationError(
                    _(
                        "Confidence must lie between 0 and 10 (got %s).",
                        check_in.confidence,
                    )
                )

    @api.constrains("date", "cycle_id")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for check_in in self:
            if check_in.date > today:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the check-in Date (%(date)s) is in "
                        "the future; check in what was measured, up to today.",
                        kr=check_in.key_result_id.name,
                        date=check_in.date,
                    )
                )
            start = check_in.cycle_id.date_start
            if start and check_in.date < start:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the check-in Date (%(date)s) is "
                        "before the start of cycle '%(cycle)s' (%(start)s).",
                        kr=check_in.key_result_id.name,
                        date=check_in.date,
                        cycle=check_in.cycle_id.name,
                        start=start,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_acknowledgement_fields(set().union(*vals_list))
        if not self.env.su:
            # the server says who checked in and how the value came in
            source = self.env["okr.key.result"]._get_check_in_source()
            vals_list = [
                dict(vals, source=source, user_id=self.env.uid) for vals in vals_list
            ]
            self._check_system_fields(
                set().union(*vals_list) - CHECK_IN_GIVEN_FIELDS - {"source", "user_id"}
            )
        key_result_ids_by_source = defaultdict(set)
        for vals in vals_list:
            key_result_ids_by_source[vals.get("source", "manual")].add(
                vals.get("key_result_id")
            )
        for source, key_result_ids in key_result_ids_by_source.items():
            self.env["okr.key.result"].browse(
                key_result_ids - {None, False}
            )._check_check_in_allowed(source)
        check_ins = super().create(vals_list)
        check_ins._refresh_aligned_key_results()
        # the check-in that brings a key result to its target earns the badge;
        # granting it is the suite's act, whoever checked in
        check_ins.sudo().key_result_id._recognize_target_reached()
        return check_ins

    def _refresh_aligned_key_results(self):
        """A check-in moves its objective: move the parent key results fed by
        their aligned objectives too (up the alignment chain, one level per
        check-in they record)."""
        # the system refreshes the aligned parents, whoever checked in
        self.sudo().key_result_id.objective_id.parent_key_result_id._refresh_if_aligned()

    def write(self, vals):
        if self._check_acknowledgement_fields(vals) == set(vals):
            # acknowledging changes no fact of the check-in: none of the
            # check-in rules apply
            return super().write(vals)
        self._check_system_fields(vals)
        self.key_result_id._check_check_in_allowed(vals.get("source", "manual"))
        return super().write(vals)

    def unlink(self):
        self.key_result_id._check_check_in_allowed("manual")
        acknowledged = self.filtered("acknowledged_by_id")
        if acknowledged and not self.env.su:
            raise UserError(
                _(
                    "The check-in of %(date)s on '%(kr)s' was acknowledged by "
                    "%(user)s: it stays in the history. Record a new check-in "
                    "to correct it.",
                    date=acknowledged[0].date,
                    kr=acknowledged[0].key_result_id.name,
                    user=acknowledged[0].acknowledged_by_id.name,
                )
            )
        return super().unlink()

    # ------------------------------------------------------------------
    # Acknowledgement
    # ------------------------------------------------------------------
    @api.model
    def _check_acknowledgement_fields(self, field_names):
        """The acknowledgement is written by :meth:`action_acknowledge` only.
        Returns the acknowledgement fields among ``field_names``."""
        given = set(field_names) & ACKNOWLEDGEMENT_FIELDS
        if given and not self.env.su:
            raise AccessError(
                _(
                    "Check-in: Acknowledged by, Acknowledged on and Manager's "
                    "Comment are recorded by Acknowledge only."
                )
            )
        return given

    def action_open_acknowledge_wizard(self):
        """Acknowledge from the form, with a comment for the owner."""
        return {
            "type": "ir.actions.act_window",
            "name": _("Acknowledge"),
            "res_model": "okr.check.in.acknowledge",
            "view_mode": "form",
            "target": "new",
            "context": {"default_check_in_ids": self.ids},
        }

    def action_acknowledge(self, note=None):
        """The owner's manager (up the ``parent_id`` chain) or an OKR Manager
        acknowledges the check-ins, with an optional comment; the owner is
        notified. Nothing else of the check-in changes."""
        if note is not None and not isinstance(note, str):
            raise ValidationError(_("Manager's Comment: give a text."))
        note = (note or "").strip()
        user = self.env.user
        self.check_access("read")
        for check_in in self:
            if check_in.acknowledged_by_id:
                raise UserError(
                    _(
                        "The check-in of %(date)s on '%(kr)s' was acknowledged "
                        "already by %(user)s.",
                        date=check_in.date,
                        kr=check_in.key_result_id.name,
                        user=check_in.acknowledged_by_id.name,
                    )
                )
            if not self.env.su and not check_in._may_acknowledge(user):
                raise AccessError(
                    _(
                        "Check-in of %(date)s on '%(kr)s': only a manager of its "
                        "owner or an OKR Manager may acknowledge it, and never "
                        "on their own check-in.",
                        date=check_in.date,
                        kr=check_in.key_result_id.name,
                    )
                )
        # acknowledgements are system facts; the right was checked above
        self.sudo().write(
            {
                "acknowledged_by_id": user.id,
                "acknowledged_date": fields.Datetime.now(),
                "acknowledgement_note": note or False,
            }
        )
        # the owner and author are told, whatever the acknowledger reads of
        # them, each in their language (one note per language)
        for check_in in self.sudo():
            owner_user = check_in.key_result_id.owner_id.user_id
            recipients = (owner_user | check_in.user_id) - user
            langs = dict.fromkeys(recipients.mapped("lang")) or [self.env.lang]
            for lang in langs:
                readers = recipients.filtered(lambda r, lang=lang: r.lang == lang)
                record = check_in.key_result_id.with_context(lang=lang or self.env.lang)
                body = record.env._(
                    "%(manager)s acknowledged the check-in of %(date)s (value "
                    "%(value)s).",
                    manager=user.name,
                    date=check_in.date,
                    value=check_in.value,
                )
                if note:
                    body = record.env._(
                        "%(body)s Comment: %(note)s", body=body, note=note
                    )
                record.message_post(
                    body=body,
                    partner_ids=readers.partner_id.ids,
                    subtype_xmlid="mail.mt_note",
                )
        return True
