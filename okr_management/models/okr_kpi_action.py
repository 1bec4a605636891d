from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ..tools import run_isolated
from .okr_kpi import KPI_TIER_SELECTION


class OkrKpiAction(models.Model):
    """The one action a red day opens for the KPI's owner. Later red days add
    to it while it is open; not closed by its due date it escalates, once, to
    the board of the next tier, where it stays listed until closed."""

    _name = "okr.kpi.action"
    _description = "OKR Daily KPI Action"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "okr.notify.mixin",
        "okr.system.fields.mixin",
    ]
    _order = "state desc, date_due, id desc"
    # facts of the action: opened by a red day, closed and escalated by the
    # suite's actions
    _okr_system_fields = (
        "kpi_id",
        "user_id",
        "date_open",
        "date_due",
        "state",
        "closed_date",
        "closed_by_id",
        "escalated_date",
        "escalation_tier",
        "escalation_department_id",
    )

    name = fields.Char(compute="_compute_name", store=True)
    kpi_id = fields.Many2one(
        "okr.kpi", string="KPI", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one(
        "res.users", string="Owner", required=True, index=True, tracking=True
    )
    date_open = fields.Date(string="Opened On", required=True)
    date_due = fields.Date(string="Due On", required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        index=True,
        tracking=True,
    )
    note = fields.Text(
        string="Countermeasure", tracking=True, help="What was done about it."
    )
    closed_date = fields.Datetime(string="Closed On", readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    escalated_date = fields.Date(string="Escalated On", readonly=True, tracking=True)
    escalation_tier = fields.Selection(
        KPI_TIER_SELECTION, string="Escalated To Tier", readonly=True
    )
    escalation_department_id = fields.Many2one(
        "hr.department",
        string="Escalated To",
        readonly=True,
        help="The department above the KPI's; empty for an escalation to the plant.",
    )
    is_escalated = fields.Boolean(
        string="Escalated", compute="_compute_is_escalated", store=True
    )
    value_ids = fields.One2many("okr.kpi.value", "action_id", string="Red Days")
    red_day_count = fields.Integer(compute="_compute_red_day_count")
    company_id = fields.Many2one(related="kpi_id.company_id", store=True, index=True)
    department_id = fields.Many2one(
        related="kpi_id.department_id", store=True, index=True
    )
    tier = fields.Selection(related="kpi_id.tier", store=True)
    category = fields.Selection(related="kpi_id.category", store=True)

    @api.depends("kpi_id.name", "date_open")
    def _compute_name(self):
        for action in self:
            action.name = self.env._(
                "%(kpi)s: red on %(date)s",
                kpi=action.kpi_id.name,
                date=format_date(self.env, action.date_open),
            )

    @api.depends("escalated_date")
    def _compute_is_escalated(self):
        for action in self:
            action.is_escalated = bool(action.escalated_date)

    def _compute_red_day_count(self):
        groups = self.env["okr.kpi.value"]._read_group(
            [("action_id", "in", self.ids)], ["action_id"], ["__count"]
        )
        counts = {action.id: count for action, count in groups}
        for action in self:
            action.red_day_count = counts.get(action.id, 0)

    def init(self):
        # one open action per KPI, whatever the concurrency
        self.env.cr.execute(
            """
            CREATE UNIQUE INDEX IF NOT EXISTS okr_kpi_action_one_open
                ON okr_kpi_action (kpi_id) WHERE state = 'open'
            """
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("KPI actions are opened by a red day only."))
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_fields(vals)
        if not self.env.su:
            self.kpi_id._check_record_allowed()
        return super().write(vals)

    # ------------------------------------------------------------------
    # Opening, red days, closing
    # ------------------------------------------------------------------
    @api.model
    def _open_for(self, value):
        """Open the action of the red day ``value`` for its KPI's owner."""
        kpi = value.kpi_id
        today = fields.Date.context_today(self)
        action = self.create(
            {
                "kpi_id": kpi.id,
                "user_id": kpi.user_id.id,
                "date_open": value.date,
                "date_due": max(value.date, today)
                + timedelta(days=kpi.action_due_days),
            }
        )
        value.action_id = action
        # the owner reads the red day in their language
        action._okr_schedule_activity(
            "mail.mail_activity_data_todo",
            kpi.user_id,
            summary=lambda record: record.env._(
                "Red day on %(kpi)s: act", kpi=record.kpi_id.name
            ),
            note=lambda record: record._red_day_text(value),
            date_deadline=action.date_due,
        )
        action._okr_owner_lang().message_post(
            body=action._okr_owner_lang()._red_day_text(value)
        )
        return action

    def _okr_owner_lang(self):
        """This action in its owner's language, for what it writes to them."""
        self.ensure_one()
        return self.with_context(lang=self.user_id.lang or self.env.lang)

    @api.model
    def _red_day_text(self, value):
        # figures formatted first: the translation extractor reads literals
        number = f"{value.value:g}"
        unit = f" {value.kpi_id.unit}" if value.kpi_id.unit else ""
        text = self.env._(
            "Red on %(date)s: %(value)s%(unit)s (green band %(band)s).",
            date=format_date(self.env, value.date),
            value=number,
            unit=unit,
            band=value.kpi_id.band_display or "-",
        )
        if value.note:
            text = f"{text} {value.note}"
        return text

    def _announce_red_day(self, value):
        """Another red day while the action is open: added to it."""
        self.ensure_one()
        action = self._okr_owner_lang()
        action.message_post(body=action._red_day_text(value))

    def action_close(self, note=None):
        """Close the action: its KPI's owner, the owner's managers or an OKR
        Manager."""
        self.check_access("write")
        forbidden = self.kpi_id - self.kpi_id._filter_record_allowed()
        if forbidden:
            raise AccessError(
                self.env._(
                    "KPI '%(kpi)s': only its owner, the owner's managers and "
                    "OKR Managers close its actions.",
                    kpi=forbidden[0].name,
                )
            )
        if note is not None and note is not False and not isinstance(note, str):
            raise UserError(
                self.env._(
                    "Countermeasure: a text is required, got %(value)r.", value=note
                )
            )
        to_close = self.filtered(lambda action: action.state == "open")
        vals = {
            "state": "closed",
            "closed_date": fields.Datetime.now(),
            "closed_by_id": self.env.uid,
        }
        if note:
            vals["note"] = note
        # rights checked above: closing is the suite's write
        to_close.sudo().write(vals)
        to_close.sudo().activity_ids.action_feedback(
            feedback=self.env._("Action closed.")
        )
        return True

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate_overdue(self):
        """Escalate, once, every open action past its due date to the board
        of the next tier; one failing action does not stop the others."""
        today = fields.Date.context_today(self)
        overdue = self.search(
            [
                ("state", "=", "open"),
                ("escalated_date", "=", False),
                ("date_due", "<", today),
            ]
        )
        run_isolated(overdue, lambda actions: actions._escalate(), "KPI escalation")
        return True

    def _escalate(self):
        today = fields.Date.context_today(self)
        for action in self.filtered(
            lambda a: a.state == "open" and not a.escalated_date
        ):
            kpi = action.kpi_id
            department = kpi.department_id.parent_id
            tier = str(min(int(kpi.tier) + 1, 3))
            if tier == "3":
                department = self.env["hr.department"]
            # the escalation is a fact the cron records, not a user's write
            action.sudo().write(
                {
                    "escalated_date": today,
                    "escalation_tier": tier,
                    "escalation_department_id": department.id,
                }
            )
            # the owner reads the escalation in their language
            record = action._okr_owner_lang()
            record.message_post(body=record._escalation_text(tier, department))
            # the manager who takes it over reads it in theirs
            action._okr_schedule_activity(
                "mail.mail_activity_data_todo",
                department.manager_id.user_id,
                summary=lambda record: record.env._(
                    "Escalated: %(action)s", action=record.name
                ),
                note=lambda record, tier=tier, department=department: (
                    record._escalation_text(tier, department)
                ),
            )

    def _escalation_text(self, tier, department):
        self.ensure_one()
        return self.env._(
            "Not closed by %(due)s: escalated to the tier %(tier)s board "
            "of %(target)s.",
            due=format_date(self.env, self.date_due),
            tier=tier,
            target=department.name or self.env._("the plant"),
        )
