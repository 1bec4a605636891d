from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

APPRAISAL_USER = "hr_appraisal_oca.group_appraisal_user"
APPRAISAL_OFFICER = "hr_appraisal_oca.group_appraisal_hr_officer"
DONE_STATE = "3_done"
HIDE_OKR_PARAM = "okr_hr_appraisal.hide_okr"
# The OKR reference: written only by our own freeze, thaw and sync code, as
# superuser. hr_appraisal_oca lets every internal user write appraisals, so
# create and write refuse these fields to anyone else, whatever their groups.
OKR_REFERENCE_FIELDS = {
    "okr_line_ids",
    "okr_version_line_ids",
    "okr_score",
    "okr_score_frozen",
    "okr_frozen_date",
    "okr_frozen_check_in_regularity",
    "okr_key_result_count",
    "okr_weight_total",
}
OKR_PERIOD_FIELDS = {"okr_period_start", "okr_period_end"}


class HrAppraisal(models.Model):
    _name = "hr.appraisal"
    _inherit = ["hr.appraisal", "okr.system.fields.mixin"]
    _okr_system_fields = tuple(OKR_REFERENCE_FIELDS)
    # the fields of hr_appraisal_oca are its own to guard
    _okr_system_computed_fields = False

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
        domain=[("reopened_on", "=", False)],
        readonly=True,
        groups=APPRAISAL_USER,
    )
    okr_version_line_ids = fields.One2many(
        "okr.appraisal.line",
        "appraisal_id",
        string="Previous OKR References",
        domain=[("reopened_on", "!=", False)],
        readonly=True,
        groups=APPRAISAL_USER,
        help="The key results as they were frozen each time the completed "
        "appraisal was reopened.",
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
    okr_period_editable = fields.Boolean(
        string="OKR Period Editable", compute="_compute_okr_period_editable"
    )

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
            # the employee's earlier appraisals set the period start, also
            # those the user computing it may not read
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
        Score = self.env["okr.score.mixin"]
        scale = Score._get_score_scale()
        for appraisal in self:
            appraisal.okr_score_display = Score._format_score(
                appraisal.okr_score, scale
            )

    @api.depends_context("uid")
    def _compute_okr_hidden(self):
        self.okr_hidden = self._okr_is_hidden()

    @api.depends("okr_score_frozen", "manager_user_ids")
    @api.depends_context("uid")
    def _compute_okr_period_editable(self):
        for appraisal in self:
            appraisal.okr_period_editable = (
                not appraisal.okr_score_frozen and appraisal._okr_may_set_period()
            )

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
        for vals in vals_list:
            self._check_okr_reference_untouched(vals)
        appraisals = super().create(vals_list)
        # the web client sends the default period back on create: whoever may
        # not choose the period gets the default, not what was sent, computed
        # again for all of them at once (a stored compute, run as superuser)
        reset = appraisals.browse(
            appraisal.id
            for appraisal, vals in zip(appraisals, vals_list, strict=True)
            if OKR_PERIOD_FIELDS & set(vals) and not appraisal._okr_may_set_period()
        )
        if reset:
            for name in OKR_PERIOD_FIELDS:
                self.env.add_to_compute(self._fields[name], reset)
            reset.modified(OKR_PERIOD_FIELDS)
        appraisals._okr_sync_lines()
        appraisals.filtered(lambda a: a.state == DONE_STATE)._okr_freeze()
        return appraisals

    def write(self, vals):
        self._check_okr_reference_untouched(vals)
        if OKR_PERIOD_FIELDS & set(vals):
            self._check_okr_period_writer()
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
        # a setting every appraisal reader depends on; parameters are admin-only
        return (
            self.env["ir.config_parameter"].sudo().get_param(HIDE_OKR_PARAM, "False")
            == "True"
        )

    @api.model
    def _check_okr_reference_untouched(self, vals):
        self._check_system_fields(vals)

    @api.model
    def _get_system_fields_error(self, field_names):
        return AccessError(
            _(
                "The OKR reference of an appraisal (%(fields)s) is taken "
                "from the employee's key results and frozen when the "
                "appraisal is completed: it cannot be written by hand.",
                fields=", ".join(
                    sorted(
                        self._fields[name]._description_string(self.env)
                        for name in field_names
                    )
                ),
            )
        )

    def _okr_may_set_period(self):
        """HR officers and the appraisal's managers choose the OKR period;
        the appraised employee (even one listed among the managers, which
        hr_appraisal_oca allows) and their colleagues do not."""
        self.ensure_one()
        if self.env.su:
            return True
        user = self.env.user
        # whose appraisal it is and who manages it decide, whatever the user
        # may read of the employee
        appraisal = self.sudo()
        if user in appraisal.employee_id.user_id:
            return False
        return user.has_group(APPRAISAL_OFFICER) or user in appraisal.manager_user_ids

    def _check_okr_period_writer(self):
        for appraisal in self:
            if not appraisal._okr_may_set_period():
                raise AccessError(
                    _(
                        "Appraisal of %(employee)s: only an HR officer or the "
                        "appraisal's managers may change its OKR Period Start "
                        "and OKR Period End.",
                        employee=appraisal.employee_id.name,
                    )
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
        # the score counts every line, those the reader may not see too
        Line = self.env["okr.appraisal.line"].sudo()
        if not appraisal_ids:
            return Line
        return Line.search(
            [("appraisal_id", "in", appraisal_ids), ("reopened_on", "=", False)]
        )

    def _okr_get_key_results(self):
        """Key results each appraisal counts, found with a single search:
        owned by the employee, in a running or closed cycle that overlaps the
        period, of an objective that is not cancelled."""
        appraisals = self.filtered(
            lambda a: a.employee_id and a.okr_period_start and a.okr_period_end
        )
        # every key result of the employee counts, private ones too, whoever
        # refreshes the appraisal
        KeyResult = self.env["okr.key.result"].sudo()
        result = dict.fromkeys(self, KeyResult)
        if not appraisals:
            return result
        key_results = KeyResult.search(
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
        by_owner = defaultdict(list)
        for key_result in key_results:
            by_owner[key_result.owner_id.id].append(key_result)
        for appraisal in appraisals:
            result[appraisal] = KeyResult.union(
                *(
                    key_result
                    for key_result in by_owner[appraisal.employee_id.id]
                    if key_result.cycle_id.date_start <= appraisal.okr_period_end
                    and key_result.cycle_id.date_end >= appraisal.okr_period_start
                )
            )
        return result

    def _okr_sync_lines(self):
        """Make the lines of open appraisals match the key results they count:
        a fixed number of queries for any number of appraisals and lines."""
        # the lines are the system's to write (see okr.appraisal.line), for
        # whoever changed what they follow
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
        appraisals.env["okr.appraisal.line"].create(
            [
                {"appraisal_id": appraisal.id, "key_result_id": key_result.id}
                for appraisal, key_results in wanted.items()
                for key_result in key_results
                if (appraisal.id, key_result.id) not in existing
            ]
        )

    def _okr_freeze(self):
        """Keep the lines and the score as they are now: one write of the
        frozen reference, then one per distinct check-in regularity (flushed
        as one UPDATE), whatever the number of appraisals."""
        # the frozen reference is the system's to write (OKR_REFERENCE_FIELDS),
        # and its regularity is read over every check-in of the employee
        appraisals = self.sudo().filtered(lambda a: not a.okr_score_frozen)
        if not appraisals:
            return
        appraisals._okr_sync_lines()
        # settle pending recomputations while the values still follow OKR data
        appraisals._okr_get_lines().mapped("score")
        appraisals.mapped("okr_score")
        Report = appraisals.env["okr.appraisal.report"]
        Report.invalidate_model()
        regularity = {
            row.appraisal_id.id: row.check_in_regularity
            for row in Report.search([("appraisal_id", "in", appraisals.ids)])
        }
        by_regularity = defaultdict(list)
        for appraisal in appraisals:
            by_regularity[regularity.get(appraisal.id, 0.0)].append(appraisal.id)
        appraisals.write(
            {"okr_score_frozen": True, "okr_frozen_date": fields.Datetime.now()}
        )
        # nothing depends on the regularity: these writes wait in the cache
        # and are flushed together in one UPDATE
        for value, appraisal_ids in by_regularity.items():
            appraisals.browse(appraisal_ids).write(
                {"okr_frozen_check_in_regularity": value}
            )

    def _okr_thaw(self):
        """Reopened: the frozen lines stay as a previous version, new lines
        follow the key results again, and the chatter says so: one write of
        the lines per freezing date and one batch of notes, whatever the
        number of appraisals."""
        # the lines and the frozen reference are the system's to write
        appraisals = self.sudo()
        if not appraisals:
            return
        now = fields.Datetime.now()
        frozen_dates = {
            appraisal.id: appraisal.okr_frozen_date for appraisal in appraisals
        }
        lines_by_date = defaultdict(list)
        for line in appraisals._okr_get_lines():
            lines_by_date[frozen_dates.get(line.appraisal_id.id)].append(line.id)
        Line = appraisals.env["okr.appraisal.line"]
        for frozen_date, line_ids in lines_by_date.items():
            Line.browse(line_ids).write({"reopened_on": now, "frozen_on": frozen_date})
        format_score = self.env["okr.score.mixin"]._format_score
        appraisals._message_log_batch(
            {
                appraisal.id: _(
                    "Appraisal reopened: the OKR reference frozen on %(date)s "
                    "(score %(score)s, %(count)s key results) is kept under "
                    "Previous OKR References.",
                    date=fields.Datetime.to_string(appraisal.okr_frozen_date),
                    score=format_score(appraisal.okr_score),
                    count=appraisal.okr_key_result_count,
                )
                for appraisal in appraisals
            }
        )
        appraisals.write(
            {
                "okr_score_frozen": False,
                "okr_frozen_date": False,
                "okr_frozen_check_in_regularity": 0.0,
            }
        )
        appraisals._okr_sync_lines()

    def _okr_post_reference(self):
        """Post each appraisal's frozen OKR reference and its previous
        versions in its chatter, as HTML tables (the uninstall hook: the
        lines go with the module, the messages stay). Names and figures of
        private objectives are left out: the chatter has no objective rules."""
        lines_by_version = defaultdict(list)
        Line = self.env["okr.appraisal.line"]
        for line in Line.search([("appraisal_id", "in", self.ids)]):
            if line.reopened_on or line.appraisal_id.okr_score_frozen:
                lines_by_version[line.appraisal_id.id, line.frozen_on].append(line)
        format_score = self.env["okr.score.mixin"]._format_score
        bodies = {}
        for appraisal in self:
            parts = []
            versions = sorted(
                (frozen_on, lines)
                for (appraisal_id, frozen_on), lines in lines_by_version.items()
                if appraisal_id == appraisal.id and frozen_on
            )
            current = lines_by_version.get((appraisal.id, False), [])
            if appraisal.okr_score_frozen:
                parts.append(
                    Markup("<p><strong>%s</strong></p>")
                    % _(
                        "OKR reference frozen on %(date)s: score %(score)s, "
                        "%(count)s key results.",
                        date=fields.Datetime.to_string(appraisal.okr_frozen_date),
                        score=format_score(appraisal.okr_score),
                        count=appraisal.okr_key_result_count,
                    )
                )
                parts.append(self._okr_reference_table(current))
            for frozen_on, lines in versions:
                parts.append(
                    Markup("<p><strong>%s</strong></p>")
                    % _(
                        "Previous OKR reference, frozen on %(date)s and reopened "
                        "on %(reopened)s.",
                        date=fields.Datetime.to_string(frozen_on),
                        reopened=fields.Datetime.to_string(lines[0].reopened_on),
                    )
                )
                parts.append(self._okr_reference_table(lines))
            if parts:
                bodies[appraisal.id] = Markup("").join(parts)
        # one batch of notes, whatever the number of appraisals
        if bodies:
            self.browse(bodies)._message_log_batch(bodies)

    @api.model
    def _okr_reference_table(self, lines):
        headers = [
            _("Cycle"),
            _("Objective"),
            _("Key Result"),
            _("Weight"),
            _("Current Value"),
            _("Target"),
            _("Progress"),
            _("Value That Counts"),
        ]
        rows = []
        for line in lines:
            if line.objective_visibility == "private":
                cells = [line.cycle_name, _("Private objective")] + ["-"] * 6
            else:
                cells = [
                    line.cycle_name,
                    line.objective_name,
                    line.key_result_name,
                    f"{line.weight:g}",
                    f"{line.value:g}",
                    f"{line.target_value:g}",
                    f"{line.progress:.0%}",
                    f"{line.score:.2f}",
                ]
            rows.append(
                Markup("<tr>%s</tr>")
                % Markup("").join(
                    Markup("<td>%s</td>") % escape(cell or "") for cell in cells
                )
            )
        if not rows:
            return Markup("<p>%s</p>") % _("No key result counted.")
        header = Markup("").join(Markup("<th>%s</th>") % h for h in headers)
        return Markup(
            '<table class="table table-sm o_okr_reference"><thead><tr>%s</tr>'
            "</thead><tbody>%s</tbody></table>"
        ) % (header, Markup("").join(rows))

    @api.model
    def _okr_sync_for_employees(self, employees):
        """Called when OKR data that decides which key results count changes."""
        if not employees:
            return
        # their open appraisals follow, also those the user who changed the
        # OKR data may not read
        self.sudo().search(
            [
                ("employee_id", "in", employees.ids),
                ("okr_score_frozen", "=", False),
                ("state", "!=", DONE_STATE),
            ]
        )._okr_sync_lines()
