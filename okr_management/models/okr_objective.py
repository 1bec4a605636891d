import functools
import math
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .okr_pace_mixin import SCORE_BAND_SELECTION

LEVEL_SELECTION = [
    ("company", "Company"),
    ("department", "Department"),
    ("team", "Team"),
    ("individual", "Individual"),
]
LEVEL_RANK = {level: rank for rank, (level, _label) in enumerate(LEVEL_SELECTION)}
# (Settings key, default) of the low and high ends of the ideal score band of
# each scoring scale, in the scale's own figures.
SCORE_BAND_PARAMS = {
    "unit": (
        ("okr_management.band_unit_low", 0.6),
        ("okr_management.band_unit_high", 0.7),
    ),
    "five": (
        ("okr_management.band_five_low", 2.5),
        ("okr_management.band_five_high", 3.5),
    ),
}


class OkrObjective(models.Model):
    _name = "okr.objective"
    _description = "OKR Objective"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "okr.pace.mixin",
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
    overdue_commitment_count = fields.Integer(
        string="Overdue Commitments",
        compute="_compute_board_counts",
        help="Open commitments past their deadline; while there is one, the "
        "objective is at least At Risk.",
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
    key_result_count = fields.Integer(compute="_compute_board_counts")
    manual_key_result_count = fields.Integer(
        string="Key Results Checked In by Hand",
        compute="_compute_board_counts",
        help="Key results that take check-ins: neither computed from a source "
        "nor from milestones. Without any, the objective offers no Check In.",
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
    focus_warning = fields.Text(
        compute="_compute_board_counts",
        help="Focus rules from the Settings: too many objectives for the owner in "
        "the cycle, too many key results, or none.",
    )
    # Key result types: results, ambition bands, milestones
    achieved_key_result_count = fields.Integer(
        string="Key Results Achieved",
        compute="_compute_achieved_key_result_count",
        help="Key results whose result at the cycle close is Achieved.",
    )
    overdue_milestone_count = fields.Integer(
        string="Overdue Milestones",
        compute="_compute_board_counts",
        help="Open milestones of its key results past their deadline.",
    )
    key_result_overview = fields.Text(
        string="Key Results Overview",
        compute="_compute_key_result_overview",
        help="Each key result with its value as it reads (Done / Not done, share "
        "of milestones done, number and unit).",
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
    # Access
    # ------------------------------------------------------------------
    def _check_access(self, operation):
        """The read rules, evaluated in one query (the ORM's own search with
        the same rules, as :meth:`fetch` does for stored fields) instead of
        record by record in Python: there, the rules' key-result owners and
        supporting departments are read and matched card by card on every
        board column. The rules are the same; they are evaluated as a search
        evaluates them, so a record the board's search returns is a record
        it may read (one difference with the Python check: an archived
        supporting department still counts, as it does for the search and
        for the primary department). Archived key results grant nothing, as
        in the Python check; records deleted meanwhile are left to the
        standard check (its MissingError)."""
        if (
            operation != "read"
            or self.env.su
            or not self._ids
            or not all(isinstance(record_id, int) for record_id in self._ids)
            or not self.env["ir.model.access"].check(
                self._name, operation, raise_exception=False
            )
            or not self.env["ir.rule"]._compute_domain(self._name, operation)
        ):
            return super()._check_access(operation)
        # archived objectives are checked too; inside the rules, the archived
        # key results and departments grant nothing, as in the standard check
        readable = self._search(
            [("id", "in", list(set(self._ids))), ("active", "in", (True, False))]
        )
        forbidden = self - self.browse(readable)
        if not forbidden:
            return None
        if forbidden.exists() != forbidden:
            return super()._check_access(operation)
        return forbidden, functools.partial(
            self.env["ir.rule"]._make_access_error, operation, forbidden
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
        "owner_id",
        "cycle_id",
        "state",
        "key_result_ids",
        "key_result_ids.source",
        "key_result_ids.metric_type",
        "commitment_ids.state",
        "commitment_ids.date_deadline",
        "key_result_ids.milestone_ids.state",
        "key_result_ids.milestone_ids.date_deadline",
    )
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_board_counts(self):
        """The card's counts in one fixed query for the whole batch (a board
        column): its key results (as the reader may read them, so that a
        count never reveals a hidden one), the open commitments and
        milestones past their deadline (whoever may read them: a late
        commitment is the objective's fact), and the objectives of each owner
        in the cycle (as the reader may read them); then the focus warnings
        from the Settings' limits."""
        counts = self._get_board_counts()
        max_objectives, max_key_results = self._get_focus_limits()
        today = fields.Date.context_today(self)
        for objective in self:
            origin_id = objective._origin.id
            key_result_count, manual_count = counts["key_results"].get(
                origin_id, (0, 0)
            )
            objective.key_result_count = key_result_count
            objective.manual_key_result_count = manual_count
            objective.overdue_milestone_count = counts["milestones"].get(origin_id, 0)
            if origin_id:
                overdue_commitments = counts["commitments"].get(origin_id, 0)
            else:  # a new record (onchange): its commitments in memory
                overdue_commitments = len(
                    objective.commitment_ids.filtered(
                        lambda c, today=today: c._is_overdue_on(today)
                    )
                )
            objective.overdue_commitment_count = overdue_commitments
            warnings = []
            owner_count = counts["owners"].get(
                (objective.cycle_id.id, objective.owner_id.id), 0
            )
            if owner_count > max_objectives:
                warnings.append(
                    self.env._(
                        "%(owner)s owns %(count)s objectives in %(cycle)s; focus on "
                        "at most %(max)s.",
                        owner=objective.owner_id.name,
                        count=owner_count,
                        cycle=objective.cycle_id.name,
                        max=max_objectives,
                    )
                )
            if key_result_count > max_key_results:
                warnings.append(
                    self.env._(
                        "This objective has %(count)s key results; keep at most "
                        "%(max)s.",
                        count=key_result_count,
                        max=max_key_results,
                    )
                )
            elif origin_id and not key_result_count:
                warnings.append(
                    self.env._(
                        "This objective has no key result: add one to measure it."
                    )
                )
            objective.focus_warning = "\n".join(warnings) or False

    def _get_board_counts(self):
        """``{"key_results": {objective_id: (count, manual count)},
        "commitments": {objective_id: overdue}, "milestones": {objective_id:
        overdue}, "owners": {(cycle_id, owner_id): objectives}}`` of the saved
        records of ``self``, in one query whatever their number. Each part's
        records are the ORM's own search (record rules, the archived left
        out, the overdue rule of commitments and milestones), used as a
        subquery."""
        counts = {"key_results": {}, "commitments": {}, "milestones": {}, "owners": {}}
        real = self._origin.filtered("id")
        if not real:
            return counts
        ids = real.ids
        key_results = self.env["okr.key.result"]._search([("objective_id", "in", ids)])
        overdue = [("objective_id", "in", ids), ("is_overdue", "=", True)]
        commitments = self.env["okr.commitment"].sudo()._search(overdue)
        milestones = self.env["okr.key.result.milestone"].sudo()._search(overdue)
        owners = self.env["okr.objective"]._search(
            [
                ("cycle_id", "in", real.cycle_id.ids),
                ("owner_id", "in", real.owner_id.ids),
                ("state", "!=", "cancelled"),
            ]
        )
        # the grouped columns (the subqueries flush their own)
        self.env["okr.key.result"].flush_model(
            ["objective_id", "source", "metric_type"]
        )
        self.env["okr.commitment"].flush_model(["objective_id"])
        self.env["okr.key.result.milestone"].flush_model(["objective_id"])
        self.flush_model(["cycle_id", "owner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT 'key_results', objective_id, NULL::int, COUNT(*),
                       COUNT(*) FILTER (
                           WHERE NOT (COALESCE(source, '') = ANY(%(computed)s))
                             AND metric_type IS DISTINCT FROM 'milestone')
                  FROM okr_key_result WHERE id IN %(key_results)s
                 GROUP BY objective_id
                UNION ALL
                SELECT 'commitments', objective_id, NULL::int, COUNT(*), 0
                  FROM okr_commitment WHERE id IN %(commitments)s
                 GROUP BY objective_id
                UNION ALL
                SELECT 'milestones', objective_id, NULL::int, COUNT(*), 0
                  FROM okr_key_result_milestone WHERE id IN %(milestones)s
                 GROUP BY objective_id
                UNION ALL
                SELECT 'owners', cycle_id, owner_id, COUNT(*), 0
                  FROM okr_objective WHERE id IN %(owners)s
                 GROUP BY cycle_id, owner_id
                """,
                computed=list(self.env["okr.key.result"]._get_computed_sources()),
                key_results=key_results.subselect(),
                commitments=commitments.subselect(),
                milestones=milestones.subselect(),
                owners=owners.subselect(),
            )
        )
        for part, first, second, count, manual in rows:
            if part == "key_results":
                counts[part][first] = (count, manual)
            elif part == "owners":
                counts[part][first, second] = count
            else:
                counts[part][first] = count
        return counts

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
        for objective in self:
            objective.score_display = self._format_score(objective.score)

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
        return (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("okr_management.require_alignment", "False")
            == "True"
        )

    @api.model
    def _get_focus_limits(self):
        """(max objectives per owner and cycle, max key results per objective)."""
        params = self.env["ir.config_parameter"].sudo()
        return (
            int(params.get_param("okr_management.max_objectives_per_owner", 5)),
            int(params.get_param("okr_management.max_key_results_per_objective", 5)),
        )

    @api.model
    def _get_score_scale(self):
        return (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("okr_management.score_scale", "unit")
        )

    @api.model
    def _format_score(self, score):
        """Display a 0.0-1.0 score in the scale chosen in the Settings."""
        if self._get_score_scale() == "five":
            return f"{1.0 + 4.0 * (score or 0.0):.1f} / 5"
        return f"{score or 0.0:.2f}"

    # ------------------------------------------------------------------
    # Key result types: results, ambition bands, milestones
    # ------------------------------------------------------------------
    @api.model
    def _get_score_band_limits(self):
        """(low, high) of the ideal band of the scoring scale, as 0.0-1.0
        scores: the Settings give it in the scale's own figures."""
        scale = self._get_score_scale()
        params = self.env["ir.config_parameter"].sudo()
        limits = []
        for key, default in SCORE_BAND_PARAMS.get(scale, SCORE_BAND_PARAMS["unit"]):
            try:
                value = float(params.get_param(key, default))
            except (TypeError, ValueError):
                value = default
            limits.append(value if math.isfinite(value) else default)
        low, high = limits
        if scale == "five":
            low, high = (low - 1.0) / 4.0, (high - 1.0) / 4.0
        return low, high

    @api.model
    def _get_score_band(self, score, limits=None):
        """'below', 'inside' or 'above' the ideal band."""
        low, high = limits or self._get_score_band_limits()
        if score < low - 1e-6:
            return "below"
        if score > high + 1e-6:
            return "above"
        return "inside"

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

    @api.depends(
        "key_result_ids.name",
        "key_result_ids.value_display",
        "key_result_ids.sequence",
    )
    def _compute_key_result_overview(self):
        """The key results the reader may read, with their values; those of
        the saved objectives in one search for the whole batch (a board
        column), in their order."""
        saved = [objective.id for objective in self if isinstance(objective.id, int)]
        key_results_of = defaultdict(lambda: self.env["okr.key.result"])
        if saved:
            for key_result in self.env["okr.key.result"].search_fetch(
                [("objective_id", "in", saved)],
                ["objective_id", "name", "metric_type", "current_value", "unit"],
            ):
                key_results_of[key_result.objective_id.id] |= key_result
        for objective in self:
            key_results = (
                key_results_of[objective.id]
                if isinstance(objective.id, int)
                else objective.key_result_ids
            )
            objective.key_result_overview = (
                "\n".join(
                    f"{key_result.name}: {key_result.value_display}"
                    for key_result in key_results
                )
                or False
            )

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
