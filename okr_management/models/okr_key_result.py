import math
import threading
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from psycopg2.errors import UniqueViolation

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tools import SQL, float_compare, format_date

from ..tools import run_isolated
from .okr_pace_mixin import SCORE_BAND_SELECTION

# The largest value (in size) a check-in, a target or a weight may take.
MAX_MAGNITUDE = 1e15
# Items of one action_check_in_batch call, and the keys an item may have.
CHECK_IN_BATCH_LIMIT = 1000
CHECK_IN_BATCH_KEYS = frozenset(
    {"key_result_id", "value", "confidence", "note", "date", "external_id"}
)
EXTERNAL_ID_MAX_LENGTH = 255
# What the server sets on Done / Not Done and Milestone key results.
FIXED_METRIC_VALUES = {
    "boolean": {
        "start_value": 0.0,
        "target_value": 1.0,
        "direction": "increase",
        "unit": False,
    },
    "milestone": {
        "start_value": 0.0,
        "target_value": 100.0,
        "direction": "increase",
        "unit": "%",
    },
}
FIXED_METRIC_FIELDS = frozenset(FIXED_METRIC_VALUES["boolean"])
# (Settings key, default) of the success thresholds of committed and
# aspirational key results, and of the score below which one is missed.
RESULT_THRESHOLD_PARAMS = (
    ("okr_management.committed_threshold", 1.0),
    ("okr_management.aspirational_threshold", 0.7),
    ("okr_management.missed_below", 0.3),
)

DIRECTION_SELECTION = [
    ("increase", "Increase"),
    ("decrease", "Decrease"),
    ("maintain", "Maintain"),
]


class OkrKeyResult(models.Model):
    _name = "okr.key.result"
    _description = "OKR Key Result"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "okr.pace.mixin",
        "okr.system.fields.mixin",
    ]
    _order = "objective_id, sequence, id"
    # graded by the cycle close or action_grade only; the badge by the system
    _okr_system_fields = (
        "score",
        "score_graded",
        "graded_by_id",
        "graded_date",
        "target_reached_date",
        "result",
        "notified_deadline",
    )
    # what defines a key result's figures: frozen while its cycle is closed
    _okr_closed_cycle_frozen_fields = frozenset(
        {
            "objective_id",
            "start_value",
            "target_value",
            "weight",
            "direction",
            "maintain_mode",
            "kr_type",
            "metric_type",
            "deadline",
            "source",
            "score",
        }
    )

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    objective_id = fields.Many2one(
        "okr.objective", required=True, index=True, ondelete="cascade", tracking=True
    )
    cycle_id = fields.Many2one(
        related="objective_id.cycle_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="objective_id.company_id", store=True, index=True, precompute=True
    )
    owner_id = fields.Many2one(
        "hr.employee",
        compute="_compute_owner_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        index=True,
        tracking=True,
        help="Defaults to the objective's owner.",
    )
    user_id = fields.Many2one(
        related="owner_id.user_id", string="Owner User", store=True, index=True
    )
    kr_type = fields.Selection(
        [("committed", "Committed"), ("aspirational", "Aspirational")],
        string="Type",
        default="committed",
        required=True,
        help="Committed: a baseline to hold in full. Aspirational: a stretch, "
        "where 0.7 is a good result.",
    )
    metric_type = fields.Selection(
        [
            ("number", "Number"),
            ("percentage", "Percentage"),
            ("currency", "Currency"),
            ("boolean", "Done / Not Done"),
            ("milestone", "Milestone"),
        ],
        default="number",
        required=True,
    )
    direction = fields.Selection(
        DIRECTION_SELECTION,
        default="increase",
        required=True,
        help="Increase: move up to the target. Decrease: move down to the "
        "target (scrap 3.2% to 1.0%). Maintain: a guardrail, met while the "
        "value holds the target.",
    )
    maintain_mode = fields.Selection(
        [("at_most", "At most the target"), ("at_least", "At least the target")],
        string="Guardrail",
        default="at_most",
        required=True,
        help="For a Maintain key result: whether the value must stay at most "
        "or at least at the target.",
    )
    # values of different key results are in different units: never summed
    start_value = fields.Float(tracking=True, aggregator=False)
    target_value = fields.Float(
        required=True, default=1.0, tracking=True, aggregator=False
    )
    current_value = fields.Float(
        compute="_compute_from_check_ins",
        store=True,
        tracking=True,
        aggregator=False,
        help="The value of the check-in with the latest date; the start value "
        "before any check-in.",
    )
    unit = fields.Char()
    weight = fields.Float(default=1.0, required=True, aggregator=False)
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="From 0.0 to 1.0, following the direction, clamped.",
    )
    confidence = fields.Integer(
        compute="_compute_from_check_ins",
        store=True,
        aggregator="avg",
        help="From 0 to 10, as given at the latest check-in.",
    )
    score = fields.Float(
        aggregator="avg",
        tracking=True,
        copy=False,
        help="From 0.0 to 1.0. Set to the progress when the cycle closes, "
        "unless a manager graded the key result before.",
    )
    score_graded = fields.Boolean(
        string="Graded by a Manager",
        copy=False,
        help="Set when an OKR manager graded the key result; closing the cycle "
        "keeps that score.",
    )
    graded_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    graded_date = fields.Datetime(string="Graded On", copy=False, readonly=True)
    active = fields.Boolean(
        default=True,
        help="A key result with check-ins is archived rather than deleted, so "
        "its history stays.",
    )
    source = fields.Selection(
        [("manual", "Manual"), ("aligned", "Aligned Objectives")],
        default="manual",
        required=True,
        tracking=True,
        help="Where the value comes from. Manual: check-ins by people. Aligned "
        "Objectives: the mean progress (in %) of the objectives that contribute "
        "to this key result, updated by itself.",
    )
    is_computed = fields.Boolean(
        string="Computed Value",
        compute="_compute_is_computed",
        search="_search_is_computed",
        help="The value comes from its source (aligned objectives, production "
        "or quality data) and Odoo refreshes it: nobody checks in by hand.",
    )
    last_refresh_note = fields.Char(
        string="Last Refresh",
        compute="_compute_last_refresh_note",
        help="For a computed key result: when its value was last refreshed from "
        "its source, and from what data.",
    )
    check_in_ids = fields.One2many("okr.check.in", "key_result_id", string="Check-ins")
    check_in_count = fields.Integer(compute="_compute_check_in_count")
    last_check_in_date = fields.Date(compute="_compute_from_check_ins", store=True)
    deadline = fields.Date(
        tracking=True,
        help="Inside the cycle. The expected pace then runs from the cycle start "
        "to this day; past it and not reached, the key result is Off Track and "
        "its owner gets an activity.",
    )
    # Key result types: Done / Not Done, milestones, deadlines, results
    milestone_ids = fields.One2many(
        "okr.key.result.milestone", "key_result_id", string="Milestones"
    )
    overdue_milestone_count = fields.Integer(
        string="Overdue Milestones", compute="_compute_overdue_milestone_count"
    )
    value_display = fields.Char(
        string="Value",
        compute="_compute_value_display",
        help="The current value as it reads: Done / Not done, the share of "
        "milestones done, or the number and its unit.",
    )
    result = fields.Selection(
        [("achieved", "Achieved"), ("partial", "Partial"), ("missed", "Missed")],
        readonly=True,
        copy=False,
        help="Set when the cycle closes, from the score: achieved at or above "
        "the success threshold of the key result's type, missed below the "
        "'missed below' value of the Settings, partial in between.",
    )
    score_band = fields.Selection(
        SCORE_BAND_SELECTION,
        string="Ambition Band",
        compute="_compute_score_band",
        help="Where the score of a graded key result falls against the ideal "
        "band of the scoring scale (Settings).",
    )
    retro_flag = fields.Char(
        string="Retrospective",
        compute="_compute_score_band",
        help="What the retrospective should discuss about this key result.",
    )
    notified_deadline = fields.Date(
        readonly=True,
        copy=False,
        help="The deadline whose overrun was announced to the owner: one "
        "activity per deadline.",
    )
    state = fields.Selection(related="objective_id.state", string="Objective State")
    cycle_state = fields.Selection(related="cycle_id.state", string="Cycle State")
    score_display = fields.Char(
        string="Score (scale)", compute="_compute_score_display"
    )
    target_reached_date = fields.Date(
        readonly=True,
        copy=False,
        help="The day the key result first reached its target; its owner then "
        "received the Target Reached badge.",
    )
    forecast_progress = fields.Float(
        string="Forecast",
        compute="_compute_forecast_progress",
        store=True,
        aggregator="avg",
        help="Projected progress at the end of the cycle: the least-squares line "
        "of the value over time, through the start value at the cycle start and "
        "the check-ins, evaluated at the cycle end.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("objective_id")
    def _compute_owner_id(self):
        for key_result in self:
            if not key_result.owner_id:
                key_result.owner_id = key_result.objective_id.owner_id

    @api.depends(
        "start_value",
        "check_in_ids.date",
        "check_in_ids.value",
        "check_in_ids.confidence",
    )
    def _compute_from_check_ins(self):
        latest = self._get_latest_check_ins()
        for key_result in self:
            check_in = latest.get(key_result._origin.id or key_result.id)
            if check_in:
                key_result.current_value = check_in["value"]
                key_result.confidence = check_in["confidence"]
                key_result.last_check_in_date = check_in["date"]
            else:
                key_result.current_value = key_result.start_value
                key_result.confidence = 0
                key_result.last_check_in_date = False

    def _get_latest_check_ins(self):
        """Latest check-in (by date, then creation) per key result, in one query."""
        real_ids = [kr_id for kr_id in self._origin.ids if kr_id]
        result = {}
        if real_ids:
            self.env["okr.check.in"].flush_model(
                ["key_result_id", "date", "value", "confidence"]
            )
            self.env.cr.execute(
                """
                SELECT DISTINCT ON (key_result_id)
                       key_result_id, value, confidence, date
                  FROM okr_check_in
                 WHERE key_result_id = ANY(%s)
              ORDER BY key_result_id, date DESC, id DESC
                """,
                [real_ids],
            )
            for kr_id, value, confidence, date in self.env.cr.fetchall():
                result[kr_id] = {"value": value, "confidence": confidence, "date": date}
        for key_result in self.filtered(lambda kr: not kr._origin.id):
            check_ins = key_result.check_in_ids.sorted(
                lambda c: (c.date or fields.Date.today(), c._origin.id or 0),
                reverse=True,
            )
            if check_ins:
                result[key_result.id] = {
                    "value": check_ins[0].value,
                    "confidence": check_ins[0].confidence,
                    "date": check_ins[0].date,
                }
        return result

    @api.depends(
        "current_value", "start_value", "target_value", "direction", "maintain_mode"
    )
    def _compute_progress(self):
        for key_result in self:
            key_result.progress = key_result._progress_for_value(
                key_result.current_value
            )
        self._schedule_target_reached_recognition()

    @api.depends("source")
    def _compute_is_computed(self):
        computed = self._get_computed_sources()
        for key_result in self:
            key_result.is_computed = key_result.source in computed

    def _search_is_computed(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Computed Value can only be searched with = or !=."))
        computed = self._get_computed_sources()
        if (operator == "=") == bool(value):
            return [("source", "in", computed)]
        return [("source", "not in", computed)]

    @api.depends("source", "check_in_ids.date", "check_in_ids.source")
    def _compute_last_refresh_note(self):
        """The latest check-in recorded by the source, in one query."""
        computed = self.filtered("is_computed")
        latest = {}
        if computed._origin.ids:
            check_ins = self.env["okr.check.in"].search_fetch(
                [
                    ("key_result_id", "in", computed._origin.ids),
                    ("source", "in", self._get_computed_sources()),
                ],
                ["key_result_id", "date", "note"],
                order="date desc, id desc",
            )
            for check_in in check_ins:
                latest.setdefault(check_in.key_result_id.id, check_in)
        for key_result in self:
            check_in = latest.get(key_result._origin.id)
            if not key_result.is_computed:
                key_result.last_refresh_note = False
            elif not check_in:
                key_result.last_refresh_note = _("Not refreshed yet.")
            else:
                key_result.last_refresh_note = _(
                    "%(date)s: %(note)s",
                    date=format_date(self.env, check_in.date),
                    note=check_in.note or _("value refreshed"),
                )

    @api.depends("score")
    def _compute_score_display(self):
        format_score = self.env["okr.objective"]._format_score
        for key_result in self:
            key_result.score_display = format_score(key_result.score)

    def _compute_check_in_count(self):
        counts = dict(
            self.env["okr.check.in"]._read_group(
                [("key_result_id", "in", self.ids)], ["key_result_id"], ["__count"]
            )
        )
        for key_result in self:
            key_result.check_in_count = counts.get(key_result._origin, 0)

    @api.depends(
        "start_value",
        "target_value",
        "direction",
        "maintain_mode",
        "current_value",
        "progress",
        "check_in_ids.date",
        "check_in_ids.value",
        "cycle_id.date_start",
        "cycle_id.date_end",
        "deadline",
    )
    def _compute_forecast_progress(self):
        """Least-squares line of the value over the days of the cycle, through
        the start value at the cycle start and every check-in, evaluated at the
        cycle end. Check-ins of all key results are read in one query."""
        points = defaultdict(list)
        real_ids = [kr_id for kr_id in self._origin.ids if kr_id]
        if real_ids:
            # grouped rather than fetched: a cycle's recompute reads the
            # check-ins of thousands of key results, the points need no records
            for key_result, day, values in (
                self.env["okr.check.in"]
                .sudo()
                ._read_group(
                    [("key_result_id", "in", real_ids)],
                    ["key_result_id", "date:day"],
                    ["value:array_agg"],
                )
            ):
                points[key_result.id] += [(day, value) for value in values]
        for key_result in self:
            cycle = key_result.cycle_id
            if not (cycle.date_start and cycle.date_end):
                key_result.forecast_progress = key_result.progress
                continue
            series = [(cycle.date_start, key_result.start_value)]
            series += points.get(key_result._origin.id, [])
            # a key result with a deadline is judged at its own date
            date_end = key_result.deadline or cycle.date_end
            value = self._forecast_value(series, cycle.date_start, date_end)
            if value is None:
                key_result.forecast_progress = key_result.progress
            else:
                key_result.forecast_progress = min(
                    max(key_result._progress_for_value(value), 0.0), 1.0
                )

    @api.model
    def _forecast_value(self, series, date_start, date_end):
        """Value at ``date_end`` of the least-squares line through ``series``
        (a list of (date, value)); None when the dates do not span a line."""
        xs = [(date - date_start).days for date, _value in series]
        ys = [value for _date, value in series]
        count = len(xs)
        mean_x, mean_y = sum(xs) / count, sum(ys) / count
        variance = sum((x - mean_x) ** 2 for x in xs)
        if not variance:
            return None
        slope = (
            sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
            / variance
        )
        return mean_y + slope * ((date_end - date_start).days - mean_x)

    def _check_in_if_changed(self, value, confidence, note):
        """Check in when the value or the confidence differs from the current
        one, or a note is given; otherwise create nothing (the team check-in
        wizard records only the lines that changed).

        Returns the id of the new check-in, or False.
        """
        self.ensure_one()
        value_changed = float_compare(value, self.current_value, precision_digits=6)
        confidence_changed = confidence != self._get_check_in_confidence()
        if not value_changed and not confidence_changed and not note:
            return False
        return self.action_check_in(value, confidence=confidence, note=note)

    def _get_check_in_confidence(self):
        """Confidence a new check-in starts from: the latest one given, or the
        check-in default before the first check-in."""
        self.ensure_one()
        if self.last_check_in_date:
            return self.confidence
        return self.env["okr.check.in"]._fields["confidence"].default(self)

    def _progress_for_value(self, value):
        """Progress (0.0-1.0) this key result would have at ``value``.

        One place for the rule, used by the key result and its check-ins.
        """
        self.ensure_one()
        start, target = self.start_value, self.target_value
        if self.direction == "maintain":
            comparison = float_compare(value, target, precision_digits=6)
            if self.maintain_mode == "at_least":
                return 1.0 if comparison >= 0 else 0.0
            return 1.0 if comparison <= 0 else 0.0
        span = target - start
        if not span:
            return 1.0 if value == target else 0.0
        return min(max((value - start) / span, 0.0), 1.0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("start_value", "target_value", "direction")
    def _check_target_value(self):
        for key_result in self:
            start, target = key_result.start_value, key_result.target_value
            if key_result.direction == "maintain":
                continue
            if float_compare(start, target, precision_digits=6) == 0:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the Target Value (%(target)s) must "
                        "differ from the Start Value (%(start)s).",
                        kr=key_result.name,
                        target=target,
                        start=start,
                    )
                )
            if key_result.direction == "increase" and target < start:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s' is an Increase: its Target Value "
                        "(%(target)s) must be above its Start Value (%(start)s). "
                        "Choose Decrease to go down.",
                        kr=key_result.name,
                        target=target,
                        start=start,
                    )
                )
            if key_result.direction == "decrease" and target > start:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s' is a Decrease: its Target Value "
                        "(%(target)s) must be below its Start Value (%(start)s). "
                        "Choose Increase to go up.",
                        kr=key_result.name,
                        target=target,
                        start=start,
                    )
                )

    @api.constrains("start_value", "target_value", "weight")
    def _check_finite_values(self):
        for key_result in self:
            for name in ("start_value", "target_value", "weight"):
                value = key_result[name]
                if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
                    raise ValidationError(
                        _(
                            "Key result '%(kr)s': the %(field)s must be a finite "
                            "number of at most %(max)g in size (got %(value)s).",
                            kr=key_result.name,
                            field=self._fields[name]._description_string(self.env),
                            max=MAX_MAGNITUDE,
                            value=value,
                        )
                    )

    @api.constrains("weight")
    def _check_weight(self):
        for key_result in self:
            if key_result.weight <= 0:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the Weight must be greater than 0 "
                        "(got %(weight)s).",
                        kr=key_result.name,
                        weight=key_result.weight,
                    )
                )

    @api.constrains("score")
    def _check_score(self):
        for key_result in self:
            if not 0.0 <= key_result.score <= 1.0:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the Score must lie between 0.0 and "
                        "1.0 (got %(score)s).",
                        kr=key_result.name,
                        score=key_result.score,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._check_system_fields(set().union(*vals_list))
        self._check_owner_allowed({vals.get("owner_id") for vals in vals_list})
        vals_list = [self._with_fixed_metric_values(vals) for vals in vals_list]
        objectives = self.env["okr.objective"].browse(
            {vals.get("objective_id") for vals in vals_list} - {None, False}
        )
        objectives._check_structure_change()
        return super().create(vals_list)

    @api.model
    def _check_owner_allowed(self, owner_ids):
        """An OKR user makes only themselves or people of their reporting
        line owners of a key result: its figures count in the owner's
        appraisal reference. OKR managers assign anyone."""
        owner_ids = set(owner_ids) - {None, False}
        if (
            not owner_ids
            or self.env.su
            or self.env.user.has_group("okr_management.group_okr_manager")
        ):
            return
        outside = owner_ids - set(self.env.user._okr_managed_employee_ids())
        if outside:
            raise AccessError(
                _(
                    "Owner: you can make only yourself or people of your "
                    "reporting line owners of a key result (not %(owner)s).",
                    owner=self.env["hr.employee"].sudo().browse(min(outside)).name,
                )
            )

    def write(self, vals):
        self._check_system_fields(vals)
        if vals.get("owner_id"):
            self._check_owner_allowed({vals["owner_id"]})
        vals = self._with_fixed_metric_values(vals)
        frozen = self._okr_closed_cycle_frozen_fields & set(vals)
        if frozen:
            self._check_cycle_not_closed(frozen)
        if "objective_id" in vals:
            new_objective = self.env["okr.objective"].browse(vals["objective_id"])
            (self.objective_id | new_objective)._check_structure_change()
        result = super().write(vals)
        if "source" in vals:
            self.action_refresh_from_source()
        return result

    def unlink(self):
        """A key result with check-ins is archived, not deleted: its history
        stays. Deleting changes the objective: it needs write access to it and
        an open cycle."""
        self.cycle_id._check_not_closed(_("its key results"))
        self.objective_id._check_structure_change()
        with_check_ins = self._filter_with_check_ins()
        with_check_ins.write({"active": False})
        return super(OkrKeyResult, self - with_check_ins).unlink()

    def _filter_with_check_ins(self):
        groups = (
            self.env["okr.check.in"]
            .sudo()
            ._read_group([("key_result_id", "in", self.ids)], ["key_result_id"])
        )
        with_check_ins = {key_result.id for (key_result,) in groups}
        return self.filtered(lambda kr: kr.id in with_check_ins)

    def _check_cycle_not_closed(self, field_names):
        self.cycle_id._check_not_closed(
            _(
                "the %(fields)s of its key results",
                fields=", ".join(
                    self._fields[name]._description_string(self.env)
                    for name in sorted(field_names)
                ),
            )
        )

    # ------------------------------------------------------------------
    # Actions and business methods
    # ------------------------------------------------------------------
    def action_check_in(
        self, value, confidence=None, note=None, date=None, external_id=None
    ):
        """Record a check-in of ``value``; used by the UI and by integrations.

        ``date`` (a date or ``YYYY-MM-DD``, default today) is the day the value
        was measured. ``external_id`` is the caller's own reference for this
        reading, unique per key result: sent again, it returns the check-in
        recorded the first time and records nothing, whatever the value.

        Returns the id of the check-in.
        """
        check_in, _created = self._record_check_in(
            value, confidence=confidence, note=note, date=date, external_id=external_id
        )
        return check_in.id

    def _record_check_in(self, value, confidence=None, note=None, date=None, external_id=None):
        """:meth:`action_check_in`, returning ``(check-in, created)``:
        ``created`` is False when ``external_id`` named a known check-in."""
        self.ensure_one()
        try:
            self.metric_type  # noqa: B018 (reads the key result, or raises)
        except MissingError:
            raise UserError(
                _("Key result %(id)s does not exist (or was deleted).", id=self.id)
            ) from None
        vals = {
            "key_result_id": self.id,
            "value": self._parse_check_in_value(value),
            "note": note or False,
        }
        if confidence is None or confidence is False:
            vals["confidence"] = self._get_check_in_confidence()
        else:
            vals["confidence"] = int(self._parse_number(confidence, _("Confidence")))
        if date:
            vals["date"] = self._parse_date(date, _("Date"))
        vals["source"] = self._get_check_in_source()
        CheckIn = self.env["okr.check.in"]
        if not external_id:
            return CheckIn.create(vals), True
        vals["external_id"] = self._parse_external_id(external_id)
        known = self._find_check_in_by_external_id(vals["external_id"])
        if known:
            return known, False
        try:
            with self.env.cr.savepoint():
                return CheckIn.create(vals), True
        except UniqueViolation:
            # the same reading, recorded meanwhile by a concurrent retry
            known = self._find_check_in_by_external_id(vals["external_id"])
            if known:
                return known, False
            raise

    def _find_check_in_by_external_id(self, external_id):
        """The check-in recorded on this key result under ``external_id``.

        Only a user who may check in on the key result learns whether the
        reference is known."""
        self.ensure_one()
        if not self._filter_check_in_allowed():
            raise AccessError(
                _(
                    "Key result '%(kr)s': you can only check in on key "
                    "results you own or manage.",
                    kr=self.name,
                )
            )
        return (
            self.env["okr.check.in"]
            .sudo()
            .search(
                [("key_result_id", "=", self.id), ("external_id", "=", external_id)],
                limit=1,
            )
        )

    @api.model
    def action_check_in_batch(self, items):
        """Record many check-ins in one call, each on its own.

        ``items`` is a list of dicts with the keys ``key_result_id`` and
        ``value`` and, optionally, ``confidence``, ``note``, ``date`` and
        ``external_id`` (the arguments of :meth:`action_check_in`). Each item
        runs in its own savepoint: a refused item changes nothing and does not
        undo the others.

        Returns one dict per item, in order: ``index``, ``key_result_id``,
        ``external_id``, ``status`` ("created", "duplicate" or "refused"),
        ``check_in_id`` (False when refused) and ``error`` (the reason, False
        otherwise).
        """
        if not isinstance(items, list | tuple):
            raise UserError(
                _("Check-in batch: a list of items is required, got %r.", items)
            )
        if len(items) > CHECK_IN_BATCH_LIMIT:
            raise UserError(
                _(
                    "Check-in batch: at most %(limit)s items per call, got "
                    "%(count)s; split the batch.",
                    limit=CHECK_IN_BATCH_LIMIT,
                    count=len(items),
                )
            )
        results = []
        for index, item in enumerate(items):
            result = {
                "index": index,
                "key_result_id": item.get("key_result_id")
                if isinstance(item, dict)
                else False,
                "external_id": item.get("external_id") or False
                if isinstance(item, dict)
                else False,
                "status": "refused",
                "check_in_id": False,
                "error": False,
            }
            try:
                with self.env.cr.savepoint():
                    key_result, kwargs = self._parse_batch_item(item)
                    check_in, created = key_result._record_check_in(**kwargs)
                    result.update(
                        status="created" if created else "duplicate",
                        check_in_id=check_in.id,
                    )
            except UserError as error:
                result["error"] = error.args[0] if error.args else str(error)
            results.append(result)
        return results

    def _parse_batch_item(self, item):
        """``(key result, keyword arguments of action_check_in)`` of one batch
        item; refuses an item that is not of the documented shape."""
        if not isinstance(item, dict):
            raise UserError(
                _("Check-in batch: each item must be a dict, got %r.", item)
            )
        unknown = set(item) - CHECK_IN_BATCH_KEYS
        if unknown:
            raise UserError(
                _(
                    "Check-in batch: unknown keys %(keys)s; use %(known)s.",
                    keys=", ".join(sorted(map(str, unknown))),
                    known=", ".join(sorted(CHECK_IN_BATCH_KEYS)),
                )
            )
        key_result_id = item.get("key_result_id")
        if isinstance(key_result_id, bool) or not isinstance(key_result_id, int):
            raise UserError(
                _(
                    "Key Result: the id of a key result is required, got %r.",
                    key_result_id,
                )
            )
        if "value" not in item:
            raise UserError(_("Value: a number is required, got nothing."))
        kwargs = {key: item[key] for key in item if key != "key_result_id"}
        return self.browse(key_result_id), kwargs

    @api.model
    def _parse_external_id(self, external_id):
        if not isinstance(external_id, str) or not external_id.strip():
            raise UserError(
                _(
                    "External Reference: a non-empty text is required, got %r.",
                    external_id,
                )
            )
        if len(external_id) > EXTERNAL_ID_MAX_LENGTH:
            raise UserError(
                _(
                    "External Reference: at most %(max)s characters, got %(count)s.",
                    max=EXTERNAL_ID_MAX_LENGTH,
                    count=len(external_id),
                )
            )
        return external_id

    @api.model
    def _parse_date(self, value, field_label):
        try:
            parsed = fields.Date.to_date(value)
        except (TypeError, ValueError):
            parsed = None
        if not parsed:
            raise UserError(
                _(
                    "%(field)s: a date (YYYY-MM-DD) is required, got %(value)r.",
                    field=field_label,
                    value=value,
                )
            )
        return parsed

    def action_grade(self, score):
        """An OKR manager's grade (0.0-1.0) for these key results, kept when
        the cycle closes; records who graded and when. Nobody grades their own
        key result."""
        if not self.env.user.has_group("okr_management.group_okr_manager"):
            raise AccessError(_("Only an OKR Manager can grade key results."))
        score = self._parse_number(score, _("Score"))
        if not 0.0 <= score <= 1.0:
            raise UserError(
                _("Score: a grade between 0.0 and 1.0 is required, got %s.", score)
            )
        own = self.filtered(lambda kr: kr.user_id == self.env.user)
        if own:
            raise AccessError(
                _(
                    "Key result '%(kr)s' is yours: another OKR Manager grades it.",
                    kr=own[0].name,
                )
            )
        self.check_access("write")
        self._check_cycle_not_closed({"score"})
        self.sudo().write(
            {
                "score": score,
                "score_graded": True,
                "graded_by_id": self.env.uid,
                "graded_date": fields.Datetime.now(),
            }
        )
        return True

    def action_open_grade_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Grade: %(kr)s", kr=self.name),
            "res_model": "okr.key.result.grade",
            "view_mode": "form",
            "target": "new",
            "context": {"default_key_result_id": self.id},
        }

    def action_open_check_in_wizard(self):
        """The quick check-in on this key result."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Check-in: %(kr)s", kr=self.name),
            "res_model": "okr.check.in.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_objective_id": self.objective_id.id,
                "default_key_result_id": self.id,
            },
        }

    def action_open_check_in_history(self):
        """The check-in history graph of this key result: progress against
        the expected pace."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "okr_management.okr_check_in_action_history"
        )
        action["domain"] = [("key_result_id", "=", self.id)]
        action["context"] = {"default_key_result_id": self.id}
        action["display_name"] = _("Check-ins: %(kr)s", kr=self.name)
        return action

    @api.model
    def _parse_number(self, value, field_label):
        if isinstance(value, bool) or value is None:
            raise UserError(
                _(
                    "%(field)s: a number is required, got %(value)r.",
                    field=field_label,
                    value=value,
                )
            )
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise UserError(
                _(
                    "%(field)s: a number is required, got %(value)r.",
                    field=field_label,
                    value=value,
                )
            ) from None
        if not math.isfinite(number) or abs(number) > MAX_MAGNITUDE:
            raise UserError(
                _(
                    "%(field)s: a finite number of at most %(max)g in size is "
                    "required, got %(value)r.",
                    field=field_label,
                    max=MAX_MAGNITUDE,
                    value=value,
                )
            )
        return number

    def _get_check_in_source(self):
        """'api' for calls that arrive over the external RPC endpoints,
        'import' for imports, 'manual' otherwise."""
        if self.env.context.get("import_file"):
            return "import"
        # Odoo unbinds the request while it dispatches /jsonrpc and /xmlrpc
        # calls; the serving thread still knows the URL.
        url = getattr(threading.current_thread(), "url", "") or ""
        if urlsplit(url).path.startswith(("/jsonrpc", "/xmlrpc")):
            return "api"
        return "manual"

    def _check_check_in_allowed(self, source):
        """Refuse a check-in on a closed cycle, one by hand on a key result
        whose value is computed from its source, or one by a user who neither
        owns nor manages the key result."""
        self._check_check_in_metric(source)
        for key_result in self:
            if (
                key_result.source in self._get_computed_sources()
                and source != key_result.source
            ):
                raise UserError(
                    _(
                        "Key result '%(kr)s' takes its value from %(origin)s: it "
                        "cannot be checked in by hand. Use 'Refresh from Source' "
                        "on the key result, or set its Source to Manual.",
                        kr=key_result.name,
                        origin=key_result._get_source_label(),
                    )
                )
        for key_result in self:
            if key_result.cycle_id.state == "closed":
                raise UserError(
                    _(
                        "Key result '%(kr)s': cycle '%(cycle)s' is closed, its "
                        "check-ins are locked.",
                        kr=key_result.name,
                        cycle=key_result.cycle_id.name,
                    )
                )
        forbidden = self - self._filter_check_in_allowed()
        if forbidden:
            raise AccessError(
                _(
                    "Key result '%(kr)s': you can only check in on key "
                    "results you own or manage.",
                    kr=forbidden[0].name,
                )
            )

    @api.model
    def _get_computed_sources(self):
        """Sources whose value Odoo computes: no check-in by hand on them.
        Bridge modules add theirs."""
        return ["aligned"]

    def _get_source_label(self):
        self.ensure_one()
        return dict(self._fields["source"]._description_selection(self.env)).get(
            self.source, self.source
        )

    def action_refresh_from_source(self):
        """Recompute the value of key results fed by a source.

        A check-in authored by the system is recorded for each key result whose
        value changed; its note says what data produced the value. Manual key
        results and closed cycles are left alone.
        """
        self.check_access("read")
        key_results = self.sudo().filtered(
            lambda kr: (
                kr.source in self._get_computed_sources()
                and kr.cycle_id.state != "closed"
            )
        )
        if not key_results:
            return True
        results = key_results._get_source_values()
        check_in_vals = []
        for key_result in key_results:
            value, note = results.get(key_result.id, (None, None))
            if value is not None and float_compare(
                value, key_result.current_value, precision_digits=4
            ):
                check_in_vals.append(
                    {
                        "key_result_id": key_result.id,
                        "value": value,
                        "note": note,
                        "source": key_result.source,
                        "user_id": SUPERUSER_ID,
                        "confidence": key_result.confidence or 5,
                    }
                )
        if check_in_vals:
            self.env["okr.check.in"].sudo().create(check_in_vals)
        key_results._after_refresh_from_source(results)
        return True

    def _get_source_values(self):
        """``{key_result_id: (value or None, note)}`` for a batch of key results
        fed by a source, in a fixed number of queries. Here: the key results
        fed by their aligned objectives (mean progress in %); bridge modules
        add their sources."""
        aligned = self.filtered(lambda kr: kr.source == "aligned")
        if not aligned:
            return {}
        groups = (
            self.env["okr.objective"]
            .sudo()
            ._read_group(
                [
                    ("parent_key_result_id", "in", aligned.ids),
                    ("state", "!=", "cancelled"),
                ],
                ["parent_key_result_id"],
                ["progress:avg", "__count"],
            )
        )
        rows = {kr.id: (avg, count) for kr, avg, count in groups}
        results = {}
        for key_result in aligned:
            avg, count = rows.get(key_result.id, (None, 0))
            if not count:
                results[key_result.id] = (None, _("No objective is aligned to it yet."))
                continue
            results[key_result.id] = (
                round(avg * 100.0, 2),
                _(
                    "Mean progress %(progress).1f%% of %(count)s aligned objectives.",
                    progress=avg * 100.0,
                    count=count,
                ),
            )
        return results

    def _after_refresh_from_source(self, results):
        """Hook called with the computed values after a refresh."""

    def _refresh_if_aligned(self):
        self.sudo().filtered(
            lambda kr: kr.source == "aligned"
        ).action_refresh_from_source()

    def _filter_check_in_allowed(self):
        """The key results the current user may check in on: all for OKR
        managers, else those they own or manage (owner of the key result or
        of its objective in their reporting line)."""
        if self.env.su or self.env.user.has_group("okr_management.group_okr_manager"):
            return self
        managed = set(self.env.user._okr_managed_employee_ids())
        return self.filtered(
            lambda kr: (
                kr.owner_id.id in managed or kr.objective_id.owner_id.id in managed
            )
        )

    def _filter_checkable_by_hand(self):
        """The key results the current user may check in on by hand: those
        whose value is not computed from a source, and that they own or
        manage. The check-in wizards list these."""
        computed = self._get_computed_sources()
        return self.filtered(
            lambda kr: kr.source not in computed and kr.metric_type != "milestone"
        )._filter_check_in_allowed()

    def _grade_from_progress(self):
        """Score = progress (unless a manager graded the key result), and the
        result from the score, in one fixed UPDATE: no query per key result.

        The result is achieved at or above the success threshold of the key
        result's type, missed below the 'missed below' value, partial in
        between; the thresholds are read from the Settings in the same
        statement (a value that is not a number falls back to the default).

        Access is checked once for the whole set; the fields that depend on
        the score (objective scores, bridges) are then marked for recompute in
        one batch. The cycle's closing summary records the grading: no
        tracking message per key result.
        """
        if not self:
            return
        self.check_access("write")
        self.flush_recordset(["progress", "score", "score_graded", "kr_type"])
        (
            (committed_key, committed),
            (aspirational_key, aspirational),
            (
                missed_key,
                missed,
            ),
        ) = RESULT_THRESHOLD_PARAMS
        self.env.cr.execute(
            SQL(
                """
                WITH settings AS (
                    SELECT key, value::float AS value
                      FROM ir_config_parameter
                     WHERE key = ANY(%s) AND value ~ %s
                ), thresholds AS (
                    SELECT COALESCE((SELECT value FROM settings WHERE key = %s), %s)
                               AS committed,
                           COALESCE((SELECT value FROM settings WHERE key = %s), %s)
                               AS aspirational,
                           COALESCE((SELECT value FROM settings WHERE key = %s), %s)
                               AS missed_below
                ), graded AS (
                    SELECT id, kr_type,
                           CASE WHEN score_graded THEN score ELSE progress END
                               AS score
                      FROM okr_key_result
                     WHERE id = ANY(%s)
                )
                UPDATE okr_key_result kr
                   SET score = g.score,
                       result = CASE
                           WHEN g.score >= CASE WHEN g.kr_type = 'aspirational'
                                                THEN t.aspirational
                                                ELSE t.committed END - 0.000001
                               THEN 'achieved'
                           WHEN g.score < t.missed_below - 0.000001 THEN 'missed'
                           ELSE 'partial'
                       END,
                       write_uid = %s,
                       write_date = (now() AT TIME ZONE 'UTC')
                  FROM graded g, thresholds t
                 WHERE kr.id = g.id
                """,
                [committed_key, aspirational_key, missed_key],
                r"^\s*[0-9]+(\.[0-9]+)?\s*$",
                committed_key,
                committed,
                aspirational_key,
                aspirational,
                missed_key,
                missed,
                self.ids,
                self.env.uid,
            )
        )
        self.invalidate_recordset(["score", "result", "write_uid", "write_date"])
        self.modified(["score", "result"])

    def _schedule_target_reached_recognition(self):
        """Remember the key results that reached their target; at commit,
        :meth:`_recognize_target_reached` grants the badge (once per key
        result). Called by the progress compute, whatever changed the value."""
        reached_ids = [
            key_result.id
            for key_result in self
            if isinstance(key_result.id, int)
            and key_result.progress >= 1.0
            and not key_result.target_reached_date
        ]
        if not reached_ids:
            return
        precommit = self.env.cr.precommit
        key = "okr_management.target_reached"
        pending = precommit.data.get(key)
        if pending is None:
            pending = precommit.data[key] = set()
            model = self.env["okr.key.result"].sudo()
            # the data is read when the hook runs, not captured now
            precommit.add(
                lambda: model._recognize_target_reached(precommit.data.get(key, ()))
            )
        pending.update(reached_ids)

    def _recognize_target_reached(self, key_result_ids):
        """Grant the Target Reached badge to the owners of the key results
        that reached their target through a check-in, and announce it on the
        objective."""
        key_results = (
            self.browse(sorted(key_result_ids))
            .exists()
            .filtered(
                lambda kr: (
                    kr.progress >= 1.0
                    and kr.last_check_in_date
                    and not kr.target_reached_date
                )
            )
        )
        if not key_results:
            return
        key_results.write({"target_reached_date": fields.Date.context_today(self)})
        badge = self.env.ref(
            "okr_management.badge_okr_target_reached", raise_if_not_found=False
        )
        badge_vals = []
        for key_result in key_results:
            # badges are shown to every employee: a key result whose objective
            # is not public is not named there
            if key_result.objective_id.visibility == "public":
                comment = _(
                    "Key result '%(kr)s' reached its target of %(target)s %(unit)s.",
                    kr=key_result.name,
                    target=key_result.target_value,
                    unit=key_result.unit or "",
                )
            else:
                comment = _("A key result reached its target.")
            if badge and key_result.user_id:
                badge_vals.append(
                    {
                        "badge_id": badge.id,
                        "user_id": key_result.user_id.id,
                        "comment": comment,
                    }
                )
            key_result.objective_id.message_post(
                body=_(
                    "Target reached! %(owner)s brought key result '%(kr)s' to "
                    "its target (%(target)s %(unit)s) and earns the '%(badge)s' "
                    "badge.",
                    owner=key_result.owner_id.name,
                    kr=key_result.name,
                    target=key_result.target_value,
                    unit=key_result.unit or "",
                    badge=badge.name if badge else _("Target Reached"),
                ),
                subtype_xmlid="mail.mt_comment",
            )
        if badge_vals:
            self.env["gamification.badge.user"].create(badge_vals)._send_badge()

    @api.model
    def _get_reminder_days(self):
        params = self.env["ir.config_parameter"].sudo()
        return max(int(params.get_param("okr_management.reminder_days", 7) or 7), 1)

    @api.model
    def _cron_send_reminders(self):
        """Schedule one check-in activity for the owner of each key result of
        a running cycle without a check-in for the days set in the Settings,
        unless one is still open; close the open ones that got a check-in."""
        activity_type = self.env.ref(
            "okr_management.mail_activity_type_okr_check_in", raise_if_not_found=False
        )
        if not activity_type:
            return True
        days = self._get_reminder_days()
        today = fields.Date.context_today(self)
        limit = today - timedelta(days=days)
        open_activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        last_dates = {
            key_result.id: key_result.last_check_in_date or date.min
            for key_result in self.browse(open_activities.mapped("res_id")).exists()
        }
        checked_in = open_activities.filtered(
            lambda activity: (
                last_dates.get(activity.res_id, date.min) >= activity.create_date.date()
            )
        )
        if checked_in:
            checked_in.action_feedback(feedback=_("Checked in."))
        stale = self.search(
            [
                ("cycle_id.state", "=", "running"),
                ("objective_id.state", "=", "active"),
                ("user_id", "!=", False),
                ("source", "not in", self._get_computed_sources()),
                ("id", "not in", (open_activities - checked_in).mapped("res_id")),
                "|",
                ("last_check_in_date", "<=", limit),
                "&",
                ("last_check_in_date", "=", False),
                ("create_date", "<", datetime.combine(limit, time.max)),
            ]
        )
        model_id = self.env["ir.model"]._get_id(self._name)

        def remind(key_results):
            self.env["mail.activity"].create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": key_result.id,
                        "activity_type_id": activity_type.id,
                        "user_id": key_result.user_id.id,
                        "date_deadline": today,
                        "summary": activity_type.summary,
                        "note": _(
                            "No check-in on '%(kr)s' for %(days)s days or more: "
                            "give its current value and your confidence.",
                            kr=key_result.name,
                            days=days,
                        ),
                    }
                    for key_result in key_results
                ]
            )

        run_isolated(stale, remind, "OKR check-in reminders")
        return True

    # ------------------------------------------------------------------
    # Key result types: Done / Not Done, milestones, deadlines, results
    # ------------------------------------------------------------------
    @api.depends(
        "deadline",
        "metric_type",
        "milestone_ids.state",
        "milestone_ids.date_deadline",
    )
    def _compute_status(self):
        """The pace status, then two calendar rules: past its deadline and not
        reached, Off Track; an open milestone past its deadline, at least At
        Risk. The daily status cron recomputes them as the days pass."""
        result = super()._compute_status()
        today = fields.Date.context_today(self)
        overdue = self._get_overdue_milestone_counts(today)
        for key_result in self:
            if key_result.progress >= 1.0:
                continue
            if key_result.deadline and key_result.deadline < today:
                key_result.status = "off_track"
            elif (
                overdue.get(key_result._origin.id or key_result.id)
                and key_result.status == "on_track"
            ):
                key_result.status = "at_risk"
        return result

    @api.depends("deadline", "cycle_id.date_start", "cycle_id.date_end")
    def _compute_expected_progress(self):
        return super()._compute_expected_progress()

    def _get_expected_progress_on(self, date):
        """With a deadline, the pace runs from the cycle start to the
        deadline instead of the cycle end."""
        self.ensure_one()
        return self.cycle_id._get_expected_progress(date, date_end=self.deadline)

    def _get_overdue_milestone_counts(self, today=None):
        """``{key result id: open milestones past their deadline}`` for the
        Milestone key results of ``self``, in one query (none without any)."""
        today = today or fields.Date.context_today(self)
        key_results = self.filtered(lambda kr: kr.metric_type == "milestone")
        counts = {}
        real_ids = [kr_id for kr_id in key_results._origin.ids if kr_id]
        if real_ids:
            groups = (
                self.env["okr.key.result.milestone"]
                .sudo()
                ._read_group(
                    [
                        ("key_result_id", "in", real_ids),
                        ("state", "=", "open"),
                        ("date_deadline", "<", today),
                    ],
                    ["key_result_id"],
                    ["__count"],
                )
            )
            counts = {key_result.id: count for key_result, count in groups}
        for key_result in key_results.filtered(lambda kr: not kr._origin.id):
            counts[key_result.id] = len(
                key_result.milestone_ids.filtered(
                    lambda m: (
                        m.state == "open"
                        and m.date_deadline
                        and m.date_deadline < today
                    )
                )
            )
        return counts

    @api.depends("metric_type", "milestone_ids.state", "milestone_ids.date_deadline")
    @api.depends_context("date")
    def _compute_overdue_milestone_count(self):
        counts = self._get_overdue_milestone_counts()
        for key_result in self:
            key_result.overdue_milestone_count = counts.get(
                key_result._origin.id or key_result.id, 0
            )

    @api.depends("metric_type", "current_value", "unit")
    def _compute_value_display(self):
        for key_result in self:
            key_result.value_display = key_result._format_value(
                key_result.current_value
            )

    def _format_value(self, value):
        """``value`` as this key result reads it: Done / Not done, the share
        of milestones done, or the number with its unit."""
        self.ensure_one()
        if self.metric_type == "boolean":
            return _("Done") if value >= 1.0 else _("Not done")
        number = f"{value:.2f}".rstrip("0").rstrip(".")
        if self.metric_type == "milestone":
            return _("%(share)s%% of milestones done", share=number)
        return f"{number} {self.unit}" if self.unit else number

    @api.depends("score", "score_graded", "cycle_id.state", "result", "kr_type")
    def _compute_score_band(self):
        Objective = self.env["okr.objective"]
        limits = Objective._get_score_band_limits()
        for key_result in self:
            graded = key_result.cycle_id.state == "closed" or key_result.score_graded
            band = graded and Objective._get_score_band(key_result.score, limits)
            key_result.score_band = band
            flags = []
            if key_result.kr_type == "committed" and key_result.result == "missed":
                flags.append(_("Committed and missed: what blocked it?"))
            if band == "above":
                flags.append(
                    _("Scored above the band: the target may have been too easy.")
                )
            elif band == "below":
                flags.append(
                    _(
                        "Scored below the band: the target may have been too "
                        "hard, or the work stalled."
                    )
                )
            key_result.retro_flag = " ".join(flags) or False

    @api.constrains("deadline", "objective_id")
    def _check_deadline(self):
        for key_result in self.filtered("deadline"):
            cycle = key_result.cycle_id
            if not (cycle.date_start and cycle.date_end):
                continue
            if not cycle.date_start <= key_result.deadline <= cycle.date_end:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the Deadline (%(date)s) must lie "
                        "inside cycle '%(cycle)s' (%(start)s to %(end)s).",
                        kr=key_result.name,
                        date=key_result.deadline,
                        cycle=cycle.name,
                        start=cycle.date_start,
                        end=cycle.date_end,
                    )
                )

    @api.constrains("metric_type", "source")
    def _check_metric_type(self):
        labels = dict(self._fields["metric_type"]._description_selection(self.env))
        for key_result in self:
            if (
                key_result.metric_type in FIXED_METRIC_VALUES
                and key_result.source != "manual"
            ):
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': a %(metric)s key result takes its "
                        "value from people or from its milestones; its Source "
                        "must be Manual.",
                        kr=key_result.name,
                        metric=labels[key_result.metric_type],
                    )
                )
            if key_result.metric_type != "milestone" and key_result.milestone_ids:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s' has milestones: its Metric Type must "
                        "stay Milestone; delete the milestones first.",
                        kr=key_result.name,
                    )
                )

    @api.onchange("metric_type")
    def _onchange_metric_type(self):
        for key_result in self:
            fixed = FIXED_METRIC_VALUES.get(key_result.metric_type)
            if fixed:
                key_result.update(fixed)

    def _with_fixed_metric_values(self, vals):
        """``vals`` where the start, target, direction and unit of a Done /
        Not Done key result (0 to 1) or a Milestone one (0 to 100 %) are set
        by the server, whatever the caller sent."""
        metric_type = vals.get("metric_type")
        if not metric_type and self:
            if not FIXED_METRIC_FIELDS & set(vals):
                return vals
            metric_types = set(self.mapped("metric_type"))
            if len(metric_types) > 1 and metric_types & set(FIXED_METRIC_VALUES):
                raise UserError(
                    _(
                        "Start Value, Target Value, Direction and Unit are set by "
                        "the server for Done / Not Done and Milestone key "
                        "results: change them on the other key results alone."
                    )
                )
            metric_type = metric_types.pop()
        elif not metric_type:
            metric_type = self.env.context.get("default_metric_type") or "number"
        fixed = FIXED_METRIC_VALUES.get(metric_type)
        return dict(vals, **fixed) if fixed else vals

    def _parse_check_in_value(self, value):
        """The value of a check-in on this key result: a number; for a Done /
        Not Done key result True / False (or 1 / 0). A Milestone key result
        takes its value from its milestones only."""
        self.ensure_one()
        if self.metric_type == "milestone":
            raise UserError(
                _(
                    "Value: key result '%(kr)s' is a Milestone key result, its "
                    "value comes from its milestones; mark a milestone done "
                    "instead of checking in a number.",
                    kr=self.name,
                )
            )
        if self.metric_type == "boolean":
            if isinstance(value, bool):
                return 1.0 if value else 0.0
            number = self._parse_number(value, _("Value"))
            if number not in (0.0, 1.0):
                raise UserError(
                    _(
                        "Value: key result '%(kr)s' is Done / Not Done; check in "
                        "True (done) or False (not done), got %(value)r.",
                        kr=self.name,
                        value=value,
                    )
                )
            return number
        return self._parse_number(value, _("Value"))

    def _check_check_in_metric(self, source):
        """Refuse a check-in on a Milestone key result unless its milestones
        record it."""
        for key_result in self:
            if key_result.metric_type == "milestone" and source != "milestone":
                raise UserError(
                    _(
                        "Key result '%(kr)s' is a Milestone key result: its value "
                        "comes from its milestones and cannot be checked in by "
                        "hand; mark a milestone done or reopen it.",
                        kr=key_result.name,
                    )
                )

    def _get_milestone_shares(self):
        """``{key result id: weighted share of milestones done, in %}``, in
        one query."""
        groups = (
            self.env["okr.key.result.milestone"]
            .sudo()
            ._read_group(
                [("key_result_id", "in", self.ids)],
                ["key_result_id", "state"],
                ["weight:sum"],
            )
        )
        totals, done = defaultdict(float), defaultdict(float)
        for key_result, state, weight in groups:
            totals[key_result.id] += weight
            if state == "done":
                done[key_result.id] += weight
        return {
            kr_id: round(100.0 * done[kr_id] / total, 2) if total else 0.0
            for kr_id, total in totals.items()
        }

    def _sync_value_from_milestones(self, note):
        """Record a check-in of the weighted share of milestones done on the
        Milestone key results whose value it changes. The milestones are the
        source: the check-in is the system's, its author the user who moved
        them."""
        key_results = self.sudo().filtered(lambda kr: kr.metric_type == "milestone")
        if not key_results:
            return
        shares = key_results._get_milestone_shares()
        vals_list = [
            {
                "key_result_id": key_result.id,
                "value": shares.get(key_result.id, 0.0),
                "note": note,
                "source": "milestone",
                "user_id": self.env.uid,
                "confidence": key_result._get_check_in_confidence(),
            }
            for key_result in key_results
            if float_compare(
                shares.get(key_result.id, 0.0),
                key_result.current_value,
                precision_digits=2,
            )
        ]
        if vals_list:
            self.env["okr.check.in"].sudo().create(vals_list)

    @api.model
    def _cron_notify_missed_deadlines(self):
        """One activity for the owner of each key result of a running cycle
        past its deadline and not reached, once per deadline."""
        today = fields.Date.context_today(self)
        key_results = self.search(
            [
                ("cycle_id.state", "=", "running"),
                ("objective_id.state", "=", "active"),
                ("deadline", "<", today),
                ("progress", "<", 1.0),
                ("user_id", "!=", False),
            ]
        ).filtered(lambda kr: kr.notified_deadline != kr.deadline)
        run_isolated(
            key_results,
            lambda batch: batch._notify_missed_deadline(),
            "OKR missed deadlines",
        )
        return True

    def _notify_missed_deadline(self):
        activity_type = self.env.ref(
            "okr_management.mail_activity_type_okr_deadline_missed",
            raise_if_not_found=False,
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        for key_result in self:
            if activity_type:
                self.env["mail.activity"].create(
                    {
                        "res_model_id": model_id,
                        "res_id": key_result.id,
                        "activity_type_id": activity_type.id,
                        "user_id": key_result.user_id.id,
                        "date_deadline": fields.Date.context_today(self),
                        "summary": activity_type.summary,
                        "note": _(
                            "Key result '%(kr)s' passed its deadline (%(date)s) at "
                            "%(progress)s%% of its target: it is off track. Check "
                            "in where it stands and agree the next step.",
                            kr=key_result.name,
                            date=key_result.deadline,
                            progress=round(key_result.progress * 100),
                        ),
                    }
                )
            key_result.sudo().write({"notified_deadline": key_result.deadline})

    def _prepare_carry_over_vals(self, target_cycle):
        """Values of the copy of this key result in ``target_cycle``: its
        deadline and milestones moved by the gap between the cycle starts and
        kept inside the cycle, the milestones open again."""
        self.ensure_one()
        shift = target_cycle.date_start - self.cycle_id.date_start
        vals = {}
        if self.deadline:
            vals["deadline"] = min(
                max(self.deadline + shift, target_cycle.date_start),
                target_cycle.date_end,
            )
        if self.metric_type == "milestone":
            vals["milestone_ids"] = [
                fields.Command.create(milestone_vals)
                for milestone_vals in self.milestone_ids._prepare_copy_vals(
                    shift, target_cycle
                )
            ]
        else:
            vals["start_value"] = self.current_value
        return vals
