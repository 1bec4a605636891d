from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

APPRAISAL_USER = "hr_appraisal_oca.group_appraisal_user"
DONE_STATE = "3_done"
HIDE_OKR_PARAM = "okr_hr_appraisal.hide_okr"


class HrAppraisal(models.Model):
    _inherit = "hr.appraisal"

    okr_period_start = fields.Date(
        string="OKR Period Start",
        compute="_compute_okr_period",
        store=True,
        readonly=False,
        help="Key results in cycles overlapping the period count. Defaults to "
        "the employee's previous appraisal date, or 12 months before the "
        "appraisal date.",
    )
    okr_period_end = fields.Date(
        string="OKR Period End",
        compute="_compute_okr_period",
        store=True,
        readonly=False,
        help="Defaults to the appraisal date.",
    )
    okr_line_ids = fields.One2many(
        "okr.appraisal.line",
        "appraisal_id",
        string="OKR Key Results",
        readonly=True,
        groups=APPRAISAL_USER,
    )
    okr_score = fields.Float(
        string="OKR Reference Score",
        compute="_compute_okr_score",
        store=True,
        aggregator="avg",
        groups=APPRAISAL_USER,
        help="From 0.0 to 1.0: weighted mean of the key results the employee "
        "owns in cycles overlapping the period, of their score (closed cycles) "
        "or progress (running cycles). A reference for the conversation, not "
        "a rating.",
    )
    okr_score_display = fields.Char(
        string="OKR Reference Score (scale)",
        compute="_compute_okr_score_display",
        groups=APPRAISAL_USER,
    )
    okr_score_frozen = fields.Boolean(
        string="OKR Reference Frozen",
        readonly=True,
        copy=False,
        help="Set when the appraisal is completed: the key results and the "
        "score stay as they were at that moment. Reopening the appraisal "
        "thaws them.",
    )
    okr_frozen_date = fields.Datetime(
        string="OKR Reference Frozen On", readonly=True, copy=False
    )
    okr_frozen_check_in_regularity = fields.Float(
        string="OKR Check-in Regularity at Completion",
        readonly=True,
        copy=False,
        groups=APPRAISAL_USER,
    )
    okr_key_result_count = fields.Integer(
        string="OKR Key Results Counted",
        compute="_compute_okr_score",
        store=True,
        groups=APPRAISAL_USER,
    )
    okr_weight_total = fields.Float(
        string="OKR Total Weight",
        compute="_compute_okr_score",
        store=True,
        groups=APPRAISAL_USER,
    )
    okr_hidden = fields.Boolean(string="OKR Hidden", compute="_compute_okr_hidden")

    @api.depends("employee_id", "date_close")
    def _compute_okr_period(self):
        to_compute = self.filtered(
            lambda a: (
                a.employee_id
                and a.date_close
                and not (
                    (a.state == DONE_STATE or a.okr_score_frozen) and a.okr_period_start
                )
            )
        )
        previous_dates = defaultdict(list)
        if to_compute:
            others = self.sudo().search(
                [
                    ("employee_id", "in", to_compute.employee_id.ids),
                    ("id", "not in", to_compute._origin.ids),
                    ("date_close", "!=", False),
                ]
            )
            for other in others:
                previous_dates[other.employee_id.id].append(other.date_close)
        for appraisal in to_compute:
            earlier = [
                date
                for date in previous_dates[appraisal.employee_id.id]
                if date < appraisal.date_close
            ]
            appraisal.okr_period_start = (
                max(earlier)
                if earlier
                else appraisal.date_close - relativedelta(months=12)
            )
            appraisal.okr_period_end = appraisal.date_close

    @api.depends("okr_line_ids.score", "okr_line_ids.weight", "okr_score_frozen")
    def _compute_okr_score(self):
        lines_by_appraisal = defaultdict(list)
        for line in self._okr_get_lines():
            lines_by_appraisal[line.appraisal_id.id].append(line)
        for appraisal in self:
            if appraisal.okr_score_frozen:
                continue  # a completed appraisal keeps its score
            lines = lines_by_appraisal[appraisal._origin.id]
            total_weight = sum(line.weight for line in lines)
            appraisal.okr_key_result_count = len(lines)
            appraisal.okr_weight_total = total_weight
            appraisal.okr_score = (
                sum(line.score * line.weight for line in lines) / total_weight
                if total_weight
                else 0.0
            )

    @api.depends("okr_score")
    def _compute_okr_score_display(self):
        format_score = self.env["okr.objective"]._format_score
        for appraisal in self:
            appraisal.okr_score_display = format_score(appraisal.okr_score)

    @api.depends_context("uid")
    def _compute_okr_hidden(self):
        self.okr_hidden = self._okr_is_hidden()

    @api.constrains("okr_period_start", "okr_period_end")
    def _check_okr_period(self):
        for appraisal in self:
            start, end = appraisal.okr_period_start, appraisal.okr_period_end
            if start and end and end < start:
                raise ValidationError(
                    _(
                        "Appraisal of %(employee)s: the OKR Period End (%(end)s) "
                        "must not be before the OKR Period Start (%(start)s).",
                        employee=appraisal.employee_id.name,
                        end=end,
                        start=start,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        appraisals = super().create(vals_list)
        appraisals._okr_sync_lines()
        appraisals.filtered(lambda a: a.state == DONE_STATE)._okr_freeze()
        return appraisals

    def write(self, vals):
        if "okr_period_start" in vals or "okr_period_end" in vals:
            self._check_okr_period_editable()
        res = super().write(vals)
        if vals.get("state") == DONE_STATE:
            self._okr_freeze()
        elif "state" in vals:
            self.filtered("okr_score_frozen")._okr_thaw()
        elif {"employee_id", "date_close", "okr_period_start", "okr_period_end"} & set(
            vals
        ):
            self._okr_sync_lines()
        return res

    def action_okr_refresh(self):
        """Bring the key results of open appraisals up to date."""
        self.check_access("write")
        self._okr_sync_lines()
        return True

    @api.model
    def _okr_is_hidden(self):
        return (
            self.env["ir.config_parameter"].sudo().get_param(HIDE_OKR_PARAM, "False")
            == "True"
        )

    def _check_okr_period_editable(self):
        for appraisal in self:
            if appraisal.okr_score_frozen:
                raise ValidationError(
                    _(
                        "Appraisal of %(employee)s is completed: its OKR Period "
                        "can only be changed after reopening it.",
                        employee=appraisal.employee_id.name,
                    )
                )

    def _okr_get_lines(self):
        """All lines of the appraisals, searched as superuser in one query.

        Not ``okr_line_ids``: its cached value may have been read by a user
        who is not allowed to see every line."""
        appraisal_ids = [
            appraisal_id for appraisal_id in self._origin.ids if appraisal_id
        ]
        if not appraisal_ids:
            return self.env["okr.appraisal.line"].sudo()
        return (
            self.env["okr.appraisal.line"]
            .sudo()
            .search([("appraisal_id", "in", appraisal_ids)])
        )

    def _okr_get_key_results(self):
        """Key results each appraisal counts, found with a single search:
        owned by the employee, in a running or closed cycle that overlaps the
        period, of an objective that is not cancelled."""
        appraisals = self.filtered(
            lambda a: a.employee_id and a.okr_period_start and a.okr_period_end
        )
        result = {appraisal: self.env["okr.key.result"].sudo() for appraisal in self}
        if not appraisals:
            return result
        key_results = (
            self.env["okr.key.result"]
            .sudo()
            .search(
                [
                    ("owner_id", "in", appraisals.employee_id.ids),
                    ("cycle_id.state", "in", ("running", "closed")),
                    ("objective_id.state", "!=", "cancelled"),
                    (
                        "cycle_id.date_start",
                        "<=",
                        max(appraisals.mapped("okr_period_end")),
                    ),
                    (
                        "cycle_id.date_end",
                        ">=",
                        min(appraisals.mapped("okr_period_start")),
                    ),
                ]
            )
        )
        by_owner = defaultdict(list)
        for key_result in key_results:
            by_owner[key_result.owner_id.id].append(key_result)
        for appraisal in appraisals:
            result[appraisal] = (
                self.env["okr.key.result"]
                .sudo()
                .union(
                    *(
                        key_result
                        for key_result in by_owner[appraisal.employee_id.id]
                        if key_result.cycle_id.date_start <= appraisal.okr_period_end
                        and key_result.cycle_id.date_end >= appraisal.okr_period_start
                    )
                )
            )
        return result

    def _okr_sync_lines(self):
        """Make the lines of open appraisals match the key results they count:
        a fixed number of queries for any number of appraisals and lines."""
        appraisals = self.sudo().filtered(lambda a: a.id and not a.okr_score_frozen)
        if not appraisals:
            return
        lines = appraisals._okr_get_lines()
        if self._okr_is_hidden():
            lines.unlink()
            return
        wanted = appraisals._okr_get_key_results()
        lines.filtered(
            lambda line: line.key_result_id not in wanted[line.appraisal_id]
        ).unlink()
        existing = {
            (line.appraisal_id.id, line.key_result_id.id) for line in lines.exists()
        }
        self.env["okr.appraisal.line"].sudo().create(
            [
                {"appraisal_id": appraisal.id, "key_result_id": key_result.id}
                for appraisal, key_results in wanted.items()
                for key_result in key_results
                if (appraisal.id, key_result.id) not in existing
            ]
        )

    def _okr_freeze(self):
        """Keep the lines and the score as they are now."""
        appraisals = self.sudo().filtered(lambda a: not a.okr_score_frozen)
        if not appraisals:
            return
        appraisals._okr_sync_lines()
        # settle pending recomputations while the values still follow OKR data
        appraisals._okr_get_lines().mapped("score")
        appraisals.mapped("okr_score")
        Report = self.env["okr.appraisal.report"].sudo()
        Report.invalidate_model()
        regularity = {
            row.appraisal_id.id: row.check_in_regularity
            for row in Report.search([("appraisal_id", "in", appraisals.ids)])
        }
        for appraisal in appraisals:
            appraisal.write(
                {
                    "okr_score_frozen": True,
                    "okr_frozen_date": fields.Datetime.now(),
                    "okr_frozen_check_in_regularity": regularity.get(appraisal.id, 0.0),
                }
            )

    def _okr_thaw(self):
        appraisals = self.sudo()
        appraisals.write(
            {
                "okr_score_frozen": False,
                "okr_frozen_date": False,
                "okr_frozen_check_in_regularity": 0.0,
            }
        )
        appraisals._okr_sync_lines()

    @api.model
    def _okr_sync_for_employees(self, employees):
        """Called when OKR data that decides which key results count changes."""
        if not employees:
            return
        self.sudo().search(
            [
                ("employee_id", "in", employees.ids),
                ("okr_score_frozen", "=", False),
                ("state", "!=", DONE_STATE),
            ]
        )._okr_sync_lines()
