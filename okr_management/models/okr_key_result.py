from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_compare

from ..tools import MAX_MAGNITUDE, check_finite

DIRECTION_SELECTION = [
    ("increase", "Increase"),
    ("decrease", "Decrease"),
    ("maintain", "Maintain"),
]


class OkrKeyResult(models.Model):
    _name = "okr.key.result"
    _description = "OKR Key Result"
    _inherit = [
        "mail.activity.mixin",
        "okr.notify.mixin",
        "okr.pace.mixin",
        "okr.score.mixin",
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
    active = fields.Boolean(
        default=True,
        help="A key result with check-ins is archived rather than deleted, so "
        "its history stays.",
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
    state = fields.Selection(related="objective_id.state", string="Objective State")
    cycle_state = fields.Selection(related="cycle_id.state", string="Cycle State")
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
    # Computes: value, progress, forecast, status
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
                if not check_finite(value):
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
                    # the refusal names the person, whatever HR records the caller reads
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
            # any check-in keeps the key result, including ones the caller cannot read
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
    # Actions
    # ------------------------------------------------------------------
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
