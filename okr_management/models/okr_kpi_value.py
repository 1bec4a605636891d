import math

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# what the caller of ``create`` gives; the server writes the rest
KPI_VALUE_GIVEN_FIELDS = frozenset({"kpi_id", "date", "value", "note"})


class OkrKpiValue(models.Model):
    """The value of a daily KPI on one day: one per KPI and day. Green inside
    the KPI's band, red outside; a red day opens (or adds to) the owner's
    action."""

    _name = "okr.kpi.value"
    _description = "OKR Daily KPI Value"
    _inherit = ["mail.thread", "okr.system.fields.mixin"]
    _order = "date desc, id desc"
    _rec_name = "kpi_id"
    # a value is a fact: who recorded it, how, and the action it opened
    _okr_system_fields = ("user_id", "source", "external_id", "action_id")

    kpi_id = fields.Many2one(
        "okr.kpi", string="KPI", required=True, index=True, ondelete="cascade"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    value = fields.Float(required=True, tracking=True, aggregator=False)
    note = fields.Text(tracking=True)
    state = fields.Selection(
        [("green", "Green"), ("red", "Red")],
        compute="_compute_state",
        store=True,
        tracking=True,
        help="Green inside the KPI's band, red outside.",
    )
    green_share = fields.Float(
        string="Green Days (%)",
        compute="_compute_state",
        store=True,
        aggregator="avg",
        help="1 for a green day, 0 for a red one: its average over a group of "
        "days is their share of green days (the roll-up of the tier boards).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Recorded by",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    source = fields.Selection(
        [("manual", "Manual"), ("api", "API"), ("import", "Import")],
        default="manual",
        required=True,
        readonly=True,
    )
    external_id = fields.Char(
        string="External Reference",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The reference an integration gave this reading: sent again for "
        "the same KPI, it returns this value and changes nothing.",
    )
    action_id = fields.Many2one("okr.kpi.action", index="btree_not_null", readonly=True)
    company_id = fields.Many2one(related="kpi_id.company_id", store=True, index=True)
    department_id = fields.Many2one(
        related="kpi_id.department_id", store=True, index=True
    )
    tier = fields.Selection(related="kpi_id.tier", store=True)
    category = fields.Selection(related="kpi_id.category", store=True)
    kpi_user_id = fields.Many2one(
        related="kpi_id.user_id", string="KPI Owner", store=True
    )
    unit = fields.Char(related="kpi_id.unit")

    _sql_constraints = [
        (
            "kpi_date_unique",
            "UNIQUE(kpi_id, date)",
            "A KPI has one value a day: record the day again to replace it.",
        ),
        (
            "external_id_unique",
            "UNIQUE(kpi_id, external_id)",
            "A KPI has one value per external reference.",
        ),
    ]

    @api.depends(
        "value",
        "kpi_id.band_min",
        "kpi_id.band_max",
        "kpi_id.band_min_set",
        "kpi_id.band_max_set",
    )
    def _compute_state(self):
        for record in self:
            record.state = (
                record.kpi_id._get_state_for_value(record.value)
                if record.kpi_id
                else False
            )
            record.green_share = 1.0 if record.state == "green" else 0.0

    @api.constrains("value", "date")
    def _check_value_and_date(self):
        today = fields.Date.context_today(self)
        for record in self:
            if not math.isfinite(record.value):
                raise ValidationError(
                    self.env._(
                        "Value: a finite number is required, got %(value)r.",
                        value=record.value,
                    )
                )
            if record.date and record.date > today:
                raise ValidationError(
                    self.env._(
                        "Date: %(date)s is in the future; record a day once it "
                        "has happened.",
                        date=record.date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_system_fields(set().union(*vals_list))
            kpis = self.env["okr.kpi"].browse(
                {vals.get("kpi_id") for vals in vals_list} - {None, False}
            )
            kpis._check_record_allowed()
            source = self.env["okr.key.result"]._get_check_in_source()
            vals_list = [
                dict(
                    vals,
                    value=self.env["okr.kpi"]._parse_kpi_number(vals.get("value")),
                    date=self.env["okr.kpi"]._parse_kpi_date(vals.get("date")),
                    user_id=self.env.uid,
                    source=source,
                )
                for vals in vals_list
            ]
        records = super().create(vals_list)
        records._after_record()
        return records

    def write(self, vals):
        if not self.env.su:
            self._check_system_fields(vals)
            moved = {"kpi_id", "date"} & set(vals)
            if moved:
                raise AccessError(
                    self.env._(
                        "Daily KPI value: the KPI and the day of a value are "
                        "facts; record the right day instead."
                    )
                )
            self.kpi_id._check_record_allowed()
            if "value" in vals:
                vals = dict(
                    vals, value=self.env["okr.kpi"]._parse_kpi_number(vals["value"])
                )
        result = super().write(vals)
        if "value" in vals:
            self._after_record()
        return result

    def unlink(self):
        if not self.env.su and not self.env.user.has_group(
            "okr_management.group_okr_manager"
        ):
            raise AccessError(
                self.env._(
                    "Daily KPI value: a recorded day stays; record it again "
                    "to correct it."
                )
            )
        kpis = self.kpi_id
        result = super().unlink()
        # the key results' figures follow the KPI's days, whoever removed one
        kpis.key_result_ids.sudo().action_refresh_from_source()
        return result

    def _after_record(self):
        """A red day opens the owner's action, or adds to the open one; the
        key results the KPIs feed follow the new values."""
        # the action and the key results' figures are written by the suite
        records = self.sudo()
        records._sync_red_actions()
        records.kpi_id.key_result_ids.action_refresh_from_source()

    def _sync_red_actions(self):
        red = self.filtered(
            lambda record: record.state == "red" and not record.action_id
        )
        if not red:
            return
        Action = self.env["okr.kpi.action"]
        open_actions = {
            action.kpi_id.id: action
            for action in Action.search(
                [("kpi_id", "in", red.kpi_id.ids), ("state", "=", "open")]
            )
        }
        for record in red.sorted(lambda r: (r.date, r.id)):
            action = open_actions.get(record.kpi_id.id)
            if action:
                record.action_id = action
                action._announce_red_day(record)
                continue
            action = Action._open_for(record)
            open_actions[record.kpi_id.id] = action
