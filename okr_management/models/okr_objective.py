from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from ..tools import get_setting
from .okr_pace_mixin import SCORE_BAND_SELECTION

LEVEL_SELECTION = [
    ("company", "Company"),
    ("department", "Department"),
    ("team", "Team"),
    ("individual", "Individual"),
]
LEVEL_RANK = {level: rank for rank, (level, _label) in enumerate(LEVEL_SELECTION)}


class OkrObjective(models.Model):
    _name = "okr.objective"
    _description = "OKR Objective"
    _inherit = [
        "mail.activity.mixin",
        "okr.pace.mixin",
        "okr.score.mixin",
        "okr.system.fields.mixin",
    ]
    _order = "sequence, id"
    _parent_store = True
    # the tree path is Odoo's; the carry-over link is set by the carry-over
    _okr_system_fields = ("parent_path", "carried_from_id")
    # what a closed cycle freezes on its objectives
    _okr_closed_cycle_frozen_fields = frozenset({"state", "cycle_id"})

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(
        default=True,
        help="An objective with check-ins is archived rather than deleted, so "
        "its history stays.",
    )
    description = fields.Html()
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    cycle_id = fields.Many2one(
        "okr.cycle",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain="[('state', '!=', 'closed')]",
    )
    company_id = fields.Many2one(
        related="cycle_id.company_id", store=True, index=True, precompute=True
    )
    level = fields.Selection(
        LEVEL_SELECTION,
        required=True,
        default="individual",
        tracking=True,
        group_expand=True,  # the board's columns: the whole cascade, in order
    )
    owner_id = fields.Many2one(
        "hr.employee",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user.employee_id,
        check_company=True,
    )
    user_id = fields.Many2one(
        related="owner_id.user_id", string="Owner User", store=True, index=True
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Primary Department",
        compute="_compute_department_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="The department responsible for the objective.",
    )
    support_department_ids = fields.Many2many(
        "hr.department",
        "okr_objective_support_department_rel",
        "objective_id",
        "department_id",
        string="Supporting Departments",
        compute="_compute_support_department_ids",
        store=True,
        help="Departments with a commitment (not cancelled) to the objective, "
        "beside its primary department. For an objective visible to its "
        "department, their members read it too.",
    )
    commitment_ids = fields.One2many(
        "okr.commitment", "objective_id", string="Commitments"
    )
    commitment_deadline = fields.Date(
        string="Next Commitment Deadline",
        compute="_compute_commitment_deadline",
        store=True,
        help="The earliest deadline among its open commitments. Once it is "
        "past, the objective is at least At Risk.",
    )
    parent_id = fields.Many2one(
        "okr.objective",
        string="Aligned To",
        index=True,
        tracking=True,
        ondelete="set null",
        help="The objective of a higher or equal level this one contributes to.",
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many(
        "okr.objective", "parent_id", string="Aligned Objectives"
    )
    parent_key_result_id = fields.Many2one(
        "okr.key.result",
        string="Contributes To Key Result",
        domain="[('objective_id', '=', parent_id)]",
        ondelete="set null",
    )
    key_result_ids = fields.One2many(
        "okr.key.result", "objective_id", string="Key Results"
    )
    visibility = fields.Selection(
        [
            ("public", "Everyone in the company"),
            ("department", "Department and the departments above it"),
            ("private", "Owner and managers only"),
        ],
        default="public",
        required=True,
        tracking=True,
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="Weighted mean of the key results' progress, from 0.0 to 1.0.",
    )
    score = fields.Float(
        compute="_compute_score",
        store=True,
        aggregator="avg",
        help="Weighted mean of the key results' scores, set when the cycle closes.",
    )
    score_display = fields.Char(
        string="Score (scale)", compute="_compute_score_display"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    retro_what_worked = fields.Text(string="What Worked")
    retro_what_did_not = fields.Text(string="What Did Not Work")
    retro_lessons = fields.Text(string="Lessons Learned")
    retro_decision = fields.Selection(
        [("keep", "Keep"), ("modify", "Modify"), ("abandon", "Abandon")],
        string="Decision",
        tracking=True,
        copy=False,
        help="At the retrospective: keep or modify carries the objective over "
        "to the next cycle; abandon leaves it behind.",
    )
    carried_from_id = fields.Many2one(
        "okr.objective",
        string="Carried Over From",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        help="The objective of the previous cycle this one continues.",
    )
    carried_to_ids = fields.One2many(
        "okr.objective", "carried_from_id", string="Carried Over To"
    )
    origin_retro_what_worked = fields.Text(
        related="carried_from_id.retro_what_worked", string="Previously: What Worked"
    )
    origin_retro_what_did_not = fields.Text(
        related="carried_from_id.retro_what_did_not",
        string="Previously: What Did Not Work",
    )
    origin_retro_lessons = fields.Text(
        related="carried_from_id.retro_lessons", string="Previously: Lessons Learned"
    )
    origin_retro_decision = fields.Selection(
        related="carried_from_id.retro_decision", string="Previously: Decision"
    )
    last_check_in_date = fields.Date(
        compute="_compute_last_check_in_date",
        store=True,
        help="The latest check-in on any of its key results.",
    )
    days_since_check_in = fields.Integer(
        string="Days Since Last Check-in",
        compute="_compute_days_since_check_in",
    )
    is_aligned_to_company = fields.Boolean(
        compute="_compute_is_aligned_to_company",
        store=True,
        recursive=True,
        help="Set when the alignment chain of this objective leads up to a "
        "company objective.",
    )
    is_unaligned = fields.Boolean(
        string="Missing Alignment",
        compute="_compute_is_unaligned",
        search="_search_is_unaligned",
        help="Set when the Settings require alignment and this objective below "
        "company level has no parent objective.",
    )

    forecast_progress = fields.Float(
        string="Forecast",
        compute="_compute_forecast_progress",
        store=True,
        aggregator="avg",
        help="Projected progress at the end of the cycle: the weighted mean of "
        "the key results' forecasts.",
    )
    # Key result types: results, ambition bands, milestones
    achieved_key_result_count = fields.Integer(
        string="Key Results Achieved",
        compute="_compute_achieved_key_result_count",
        help="Key results whose result at the cycle close is Achieved.",
    )
    score_band = fields.Selection(
        SCORE_BAND_SELECTION,
        string="Ambition Band",
        compute="_compute_score_band",
        help="Where the score of a graded objective falls against the ideal band "
        "of the scoring scale (Settings).",
    )
    retro_key_result_ids = fields.Many2many(
        "okr.key.result",
        string="Key Results to Discuss",
        compute="_compute_retro_key_result_ids",
        help="The key results, committed ones that were missed first, then the "
        "others by result.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("owner_id")
    def _compute_department_id(self):
        for objective in self:
            if objective.owner_id and not objective.department_id:
                objective.department_id = objective.owner_id.department_id

    @api.depends(
        "department_id", "commitment_ids.department_id", "commitment_ids.state"
    )
    def _compute_support_department_ids(self):
        for objective in self:
            objective.support_department_ids = (
                objective.commitment_ids.filtered(lambda c: c.state != "cancelled")
            ).department_id - objective.department_id

    @api.depends("commitment_ids.state", "commitment_ids.date_deadline")
    def _compute_commitment_deadline(self):
        for objective in self:
            deadlines = [
                deadline
                for deadline in (
                    commitment._get_pending_deadline()
                    for commitment in objective.commitment_ids
                )
                if deadline
            ]
            objective.commitment_deadline = min(deadlines) if deadlines else False

    @api.depends("commitment_deadline")
    def _compute_status(self):
        """At least At Risk while a commitment to it is overdue (its earliest
        pending deadline is past). Overdue follows the calendar: the daily
        status cron recomputes it."""
        result = super()._compute_status()
        today = fields.Date.context_today(self)
        for objective in self:
            deadline = objective.commitment_deadline
            if objective.status == "on_track" and deadline and deadline < today:
                objective.status = "at_risk"
        return result

    @api.depends(
        "key_result_ids.active", "key_result_ids.progress", "key_result_ids.weight"
    )
    def _compute_progress(self):
        for objective in self:
            objective.progress = objective._weighted_mean("progress")

    @api.depends(
        "key_result_ids.active",
        "key_result_ids.forecast_progress",
        "key_result_ids.weight",
    )
    def _compute_forecast_progress(self):
        for objective in self:
            objective.forecast_progress = objective._weighted_mean("forecast_progress")

    @api.depends(
        "key_result_ids.active", "key_result_ids.score", "key_result_ids.weight"
    )
    def _compute_score(self):
        for objective in self:
            objective.score = objective._weighted_mean("score")

    @api.depends("key_result_ids.last_check_in_date")
    def _compute_last_check_in_date(self):
        for objective in self:
            dates = objective.key_result_ids.filtered("last_check_in_date").mapped(
                "last_check_in_date"
            )
            objective.last_check_in_date = max(dates) if dates else False

    @api.depends("last_check_in_date")
    def _compute_days_since_check_in(self):
        today = fields.Date.context_today(self)
        for objective in self:
            since = objective.last_check_in_date or objective.create_date
            objective.days_since_check_in = (
                (today - fields.Date.to_date(since)).days if since else 0
            )

    @api.depends("score")
    def _compute_score_display(self):
        scale = self._get_score_scale()
        for objective in self:
            objective.score_display = self._format_score(objective.score, scale)

    @api.depends("level", "parent_id.is_aligned_to_company")
    def _compute_is_aligned_to_company(self):
        for objective in self:
            objective.is_aligned_to_company = objective.level == "company" or bool(
                objective.parent_id.is_aligned_to_company
            )

    @api.depends("level", "parent_id")
    def _compute_is_unaligned(self):
        required = self._alignment_required()
        for objective in self:
            objective.is_unaligned = (
                required and objective.level != "company" and not objective.parent_id
            )

    def _search_is_unaligned(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Missing Alignment can only be searched with = or !=."))
        unaligned = (operator == "=") == bool(value)
        if not self._alignment_required():
            return expression.FALSE_DOMAIN if unaligned else expression.TRUE_DOMAIN
        if unaligned:
            return [("level", "!=", "company"), ("parent_id", "=", False)]
        return ["|", ("level", "=", "company"), ("parent_id", "!=", False)]

    def _weighted_mean(self, field_name):
        # the archived (deleted with their history) never count, whatever the
        # context of the recompute
        key_results = self.key_result_ids.filtered("active")
        total_weight = sum(key_results.mapped("weight"))
        if not total_weight:
            return 0.0
        return sum(kr[field_name] * kr.weight for kr in key_results) / total_weight

    @api.model
    def _alignment_required(self):
        return get_setting(self.env, "require_alignment")

    @api.depends("key_result_ids.result")
    def _compute_achieved_key_result_count(self):
        real_ids = [objective_id for objective_id in self._origin.ids if objective_id]
        counts = {}
        if real_ids:
            counts = {
                objective.id: count
                for objective, count in self.env["okr.key.result"]._read_group(
                    [("objective_id", "in", real_ids), ("result", "=", "achieved")],
                    ["objective_id"],
                    ["__count"],
                )
            }
        for objective in self:
            objective.achieved_key_result_count = counts.get(objective._origin.id, 0)

    @api.depends("score", "state")
    def _compute_score_band(self):
        limits = self._get_score_band_limits()
        for objective in self:
            objective.score_band = (
                self._get_score_band(objective.score, limits)
                if objective.state == "done"
                else False
            )

    @api.depends("key_result_ids.result", "key_result_ids.kr_type")
    def _compute_retro_key_result_ids(self):
        rank = {"missed": 0, "partial": 1, "achieved": 2}
        for objective in self:
            objective.retro_key_result_ids = objective.key_result_ids.sorted(
                lambda kr: (
                    not (kr.kr_type == "committed" and kr.result == "missed"),
                    rank.get(kr.result, 3),
                    kr.sequence,
                    kr.id,
                )
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(
                _(
                    "Aligned To: an objective cannot be aligned to itself or to "
                    "one of the objectives aligned to it."
                )
            )
        level_labels = dict(self._fields["level"]._description_selection(self.env))
        for objective in self.filtered("parent_id"):
            parent = objective.parent_id
            if LEVEL_RANK[parent.level] > LEVEL_RANK[objective.level]:
                raise ValidationError(
                    _(
                        "Aligned To: '%(objective)s' is a %(level)s objective; it "
                        "cannot be aligned to '%(parent)s', a lower-level "
                        "(%(parent_level)s) objective.",
                        objective=objective.name,
                        level=level_labels[objective.level],
                        parent=parent.name,
                        parent_level=level_labels[parent.level],
                    )
                )
            cycle, parent_cycle = objective.cycle_id, parent.cycle_id
            if parent_cycle != cycle and (
                parent_cycle.date_start > cycle.date_start
                or parent_cycle.date_end < cycle.date_end
            ):
                raise ValidationError(
                    _(
                        "Aligned To: '%(parent)s' belongs to cycle '%(parent_cycle)s', "
                        "which does not enclose cycle '%(cycle)s' of '%(objective)s'.",
                        parent=parent.name,
                        parent_cycle=parent_cycle.name,
                        cycle=cycle.name,
                        objective=objective.name,
                    )
                )

    @api.constrains("visibility")
    def _check_visibility_commitments(self):
        for objective in self:
            if objective.visibility == "private" and objective.commitment_ids:
                raise ValidationError(
                    _(
                        "Visibility: objective '%(objective)s' has commitments of "
                        "other departments; it cannot be private.",
                        objective=objective.name,
                    )
                )

    @api.constrains("parent_key_result_id", "parent_id")
    def _check_parent_key_result_id(self):
        for objective in self.filtered("parent_key_result_id"):
            if objective.parent_key_result_id.objective_id != objective.parent_id:
                raise ValidationError(
                    _(
                        "Contributes To Key Result: '%(kr)s' is not a key result "
                        "of the parent objective of '%(objective)s'.",
                        kr=objective.parent_key_result_id.name,
                        objective=objective.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_system_fields(set().union(*vals_list))
        cycles = self.env["okr.cycle"].browse(
            {vals.get("cycle_id") for vals in vals_list} - {None, False}
        )
        self._check_cycles_take_objectives(cycles)
        objectives = super().create(vals_list)
        objectives.parent_key_result_id._refresh_if_aligned()
        return objectives

    @api.model
    def _check_cycles_take_objectives(self, cycles):
        """New objectives go to draft or running cycles only."""
        closed = cycles.filtered(lambda cycle: cycle.state == "closed")
        if closed:
            raise UserError(
                _(
                    "Cycle: '%(cycle)s' is closed; set objectives in a draft or "
                    "running cycle.",
                    cycle=closed[0].name,
                )
            )

    def _check_structure_change(self):
        """Adding, moving or removing key results changes the objective: it
        needs write access to the objective and an open cycle."""
        self.cycle_id._check_not_closed(_("its key results"))
        if not self.env.su:
            self.check_access("write")

    def write(self, vals):
        self._check_system_fields(vals)
        if self._okr_closed_cycle_frozen_fields & set(vals):
            self.cycle_id._check_not_closed(_("the state of its objectives"))
        if vals.get("cycle_id"):
            self._check_cycles_take_objectives(
                self.env["okr.cycle"].browse(vals["cycle_id"])
            )
        realign = bool({"parent_key_result_id", "state"} & set(vals))
        before = self.parent_key_result_id if realign else None
        result = super().write(vals)
        if realign:
            (before | self.parent_key_result_id)._refresh_if_aligned()
        return result

    def unlink(self):
        """An objective with check-ins is archived with its key results, not
        deleted. Deleting one removes its key results through the ORM, so
        their activities and followers go with them."""
        self.cycle_id._check_not_closed(_("its objectives"))
        key_results = self.with_context(active_test=False).key_result_ids
        with_history = key_results._filter_with_check_ins().objective_id
        if with_history:
            with_history.write({"active": False})
            with_history.with_context(active_test=False).key_result_ids.write(
                {"active": False}
            )
        to_delete = self - with_history
        to_delete.with_context(active_test=False).key_result_ids.unlink()
        return super(OkrObjective, to_delete).unlink()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        self.write({"state": "active"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_reset_to_draft(self):
        self.write({"state": "draft"})
        return True

    def action_open_check_in_wizard(self):
        """The quick check-in from a card: pick one of its key results."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Check-in: %(objective)s", objective=self.name),
            "res_model": "okr.check.in.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_objective_id": self.id},
        }
