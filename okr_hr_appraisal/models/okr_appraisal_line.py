from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import format_date


class OkrAppraisalLine(models.Model):
    """One key result of the appraised employee, as a reference for the talk.

    While the appraisal is open, every value follows the key result (stored
    computes, kept current by the ORM). Once the appraisal is completed the
    computes stop writing: the line keeps the values and names it had at that
    moment, even if the key result changes or disappears later.

    Reopening a completed appraisal keeps its lines as a previous version
    (``reopened_on`` set, see ``hr.appraisal._okr_thaw``): they never follow
    the key result again, and new lines take over.

    Lines are written only by the appraisal's own freeze, thaw and sync code,
    as superuser: ``create``, ``write`` and ``unlink`` refuse anyone else,
    whatever their groups.

    Who may read a line: whoever may read its appraisal AND its objective
    (see ``_search`` and ``_check_access``), so that a private objective never
    shows through an appraisal to someone not allowed to read it. Once the
    objective is deleted, the line stays readable to the appraisal's readers,
    unless the objective was private: then only to the appraised employee.
    """

    _name = "okr.appraisal.line"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Reference Line of an Appraisal"
    _order = "appraisal_id, cycle_date_start desc, objective_name, key_result_name, id"

    appraisal_id = fields.Many2one(
        "hr.appraisal", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="appraisal_id.company_id", store=True)
    frozen = fields.Boolean(related="appraisal_id.okr_score_frozen")
    key_result_id = fields.Many2one(
        "okr.key.result",
        string="Linked Key Result",
        index=True,
        ondelete="set null",
        readonly=True,
    )
    objective_id = fields.Many2one(
        "okr.objective",
        string="Linked Objective",
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
        index=True,
        ondelete="set null",
    )
    cycle_id = fields.Many2one(
        "okr.cycle",
        string="Linked Cycle",
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
        ondelete="set null",
    )
    key_result_name = fields.Char(
        string="Key Result",
        compute="_compute_from_key_result",
        store=True,
        precompute=True,
    )
    objective_name = fields.Char(
        string="Objective",
        compute="_compute_from_key_result",
        store=True,
        precompute=True,
    )
    cycle_name = fields.Char(
        string="Cycle",
        compute="_compute_from_key_result",
        store=True,
        precompute=True,
    )
    cycle_date_start = fields.Date(
        compute="_compute_from_key_result",
        store=True,
        precompute=True,
    )
    cycle_closed = fields.Boolean(
        string="Graded",
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
        help="Set when the key result's cycle is closed: the score counts. "
        "Otherwise the cycle is running and the progress counts.",
    )
    weight = fields.Float(
        compute="_compute_from_key_result",
        store=True,
        precompute=True,
    )
    progress = fields.Float(
        compute="_compute_from_key_result",
        store=True,
        precompute=True,
    )
    score = fields.Float(
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
        help="The value that counts in the reference score: the key result's "
        "score in a closed cycle, its progress in a running one.",
    )
    value = fields.Float(
        string="Current Value",
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
    )
    target_value = fields.Float(
        string="Target",
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
    )
    target_changed = fields.Boolean(
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
        help="The key result's target, start, weight, direction or deadline "
        "changed through an approved request during the appraisal period.",
    )
    target_change_note = fields.Text(
        string="Target Changes",
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
        help="The approved changes of the period: when, what, who approved.",
    )
    objective_visibility = fields.Selection(
        [
            ("public", "Everyone in the company"),
            ("department", "Department and the departments above it"),
            ("private", "Owner and managers only"),
        ],
        compute="_compute_from_key_result",
        precompute=True,
        store=True,
        help="The objective's visibility when the line was last updated: it "
        "still decides who reads the line once the objective is deleted.",
    )
    frozen_on = fields.Datetime(
        readonly=True,
        help="For a previous version: when the appraisal was completed.",
    )
    reopened_on = fields.Datetime(
        readonly=True,
        index=True,
        help="Set on the lines of a previous version of the reference, kept "
        "when the completed appraisal was reopened.",
    )

    @api.depends(
        "key_result_id.name",
        "key_result_id.weight",
        "key_result_id.progress",
        "key_result_id.score",
        "key_result_id.current_value",
        "key_result_id.target_value",
        "key_result_id.objective_id.name",
        "key_result_id.objective_id.visibility",
        "key_result_id.cycle_id.name",
        "key_result_id.cycle_id.date_start",
        "key_result_id.cycle_id.state",
        "key_result_id.change_ids.effective_date",
        "appraisal_id.okr_score_frozen",
        "appraisal_id.okr_period_start",
        "appraisal_id.okr_period_end",
    )
    def _compute_from_key_result(self):
        for line in self:
            if line.reopened_on or (
                line.appraisal_id.okr_score_frozen and line.key_result_name
            ):
                continue  # a completed appraisal or a version keeps the line
            key_result = line.key_result_id
            closed = key_result.cycle_id.state == "closed"
            line.objective_id = key_result.objective_id
            line.cycle_id = key_result.cycle_id
            line.key_result_name = key_result.name
            line.objective_name = key_result.objective_id.name
            line.cycle_name = key_result.cycle_id.name
            line.cycle_date_start = key_result.cycle_id.date_start
            line.cycle_closed = closed
            line.weight = key_result.weight
            line.progress = key_result.progress
            line.score = key_result.score if closed else key_result.progress
            line.value = key_result.current_value
            line.target_value = key_result.target_value
            line.objective_visibility = key_result.objective_id.visibility
            changes = line._get_period_changes()
            line.target_changed = bool(changes)
            line.target_change_note = (
                "\n".join(
                    _(
                        "%(date)s: %(change)s (approved by %(user)s)",
                        date=format_date(self.env, change.effective_date),
                        change=change.summary,
                        user=change.approved_by_id.name,
                    )
                    for change in changes
                )
                or False
            )

    def _get_period_changes(self):
        """The approved changes of the key result that took effect during the
        appraisal's OKR period."""
        self.ensure_one()
        start = self.appraisal_id.okr_period_start
        end = self.appraisal_id.okr_period_end
        return self.key_result_id.change_ids.filtered(
            lambda change: (
                change.effective_date
                and (not start or change.effective_date >= start)
                and (not end or change.effective_date <= end)
            )
        ).sorted("effective_date")

    @api.model_create_multi
    def create(self, vals_list):
        self._check_written_by_okr()
        return super().create(vals_list)

    def write(self, vals):
        self._check_written_by_okr()
        return super().write(vals)

    def unlink(self):
        self._check_written_by_okr()
        return super().unlink()

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if not self.env.su:
            domain = expression.AND([domain, self._get_readable_domain()])
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not any(self._ids):
            return result
        # the line's appraisal, objective and visibility decide, read whole
        # here: the rights are then checked on the appraisals and objectives
        lines = self.sudo()
        appraisal_ids = set(
            lines.appraisal_id.with_env(self.env)._filtered_access("read").ids
        )
        objective_ids = set()
        if self.env["okr.objective"].has_access("read"):
            objective_ids = set(
                lines.objective_id.with_env(self.env)._filtered_access("read").ids
            )
        employee_ids = set(self.env.user.employee_ids.ids)
        forbidden = self.browse(
            line.id
            for line in lines
            if line.appraisal_id.id not in appraisal_ids
            or (line.objective_id and line.objective_id.id not in objective_ids)
            or (
                not line.objective_id
                and line.objective_visibility == "private"
                and line.appraisal_id.employee_id.id not in employee_ids
            )
        )
        if not forbidden:
            return None
        return forbidden, lambda: self.env["ir.rule"]._make_access_error(
            operation, forbidden
        )

    @api.model
    def _get_readable_domain(self):
        """Lines of appraisals and objectives the current user may read, as
        sub-queries that apply those models' own access rules; lines whose
        objective was deleted follow ``objective_visibility``."""
        Appraisal = self.env["hr.appraisal"].with_context(active_test=False)
        Objective = self.env["okr.objective"].with_context(active_test=False)
        if not (Appraisal.has_access("read") and Objective.has_access("read")):
            return expression.FALSE_DOMAIN
        return [
            ("appraisal_id", "in", Appraisal._search([])),
            "|",
            ("objective_id", "in", Objective._search([])),
            "&",
            ("objective_id", "=", False),
            "|",
            ("objective_visibility", "!=", "private"),
            ("appraisal_id.employee_id", "in", self.env.user.employee_ids.ids),
        ]

    def _check_written_by_okr(self):
        """The reference is a snapshot our code takes: refuse every other
        writer, whatever their groups (RPC, imports, one2many commands)."""
        self._check_system_fields(self._fields)

    @api.model
    def _get_system_fields(self):
        # every field of a line: the line as a whole is the system's
        return set(self._fields)

    @api.model
    def _get_system_fields_error(self, field_names):
        return AccessError(
            _(
                "The OKR key results of an appraisal are taken from the "
                "employee's key results when the appraisal is refreshed, "
                "completed or reopened: they cannot be created, changed "
                "or deleted by hand."
            )
        )
