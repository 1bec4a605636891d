from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request
from odoo.tools import float_compare

DIRECTION_SELECTION = [
    ("increase", "Increase"),
    ("decrease", "Decrease"),
    ("maintain", "Maintain"),
]


class OkrKeyResult(models.Model):
    _name = "okr.key.result"
    _description = "OKR Key Result"
    _inherit = ["mail.thread", "mail.activity.mixin", "okr.pace.mixin"]
    _order = "objective_id, sequence, id"

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
        string="Owner",
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
    start_value = fields.Float(tracking=True)
    target_value = fields.Float(required=True, default=1.0, tracking=True)
    current_value = fields.Float(
        compute="_compute_from_check_ins",
        store=True,
        tracking=True,
        help="The value of the check-in with the latest date; the start value "
        "before any check-in.",
    )
    unit = fields.Char()
    weight = fields.Float(default=1.0, required=True)
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="From 0.0 to 1.0, following the direction, clamped.",
    )
    confidence = fields.Integer(
        compute="_compute_from_check_ins",
        store=True,
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
        help="Set when a manager typed the score; closing the cycle keeps it.",
    )
    source = fields.Selection(
        [("manual", "Manual")],
        default="manual",
        required=True,
        tracking=True,
        help="Where the value comes from.",
    )
    check_in_ids = fields.One2many("okr.check.in", "key_result_id", string="Check-ins")
    check_in_count = fields.Integer(compute="_compute_check_in_count")
    last_check_in_date = fields.Date(compute="_compute_from_check_ins", store=True)
    deadline = fields.Date()
    state = fields.Selection(related="objective_id.state")
    cycle_state = fields.Selection(related="cycle_id.state")

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
            key_result.progress = key_result._progress_for_value(key_result.current_value)

    def _compute_check_in_count(self):
        counts = dict(
            self.env["okr.check.in"]._read_group(
                [("key_result_id", "in", self.ids)], ["key_result_id"], ["__count"]
            )
        )
        for key_result in self:
            key_result.check_in_count = counts.get(key_result._origin, 0)

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
    def write(self, vals):
        if "score" in vals and not self.env.context.get("okr_grading"):
            vals = dict(vals, score_graded=True)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions and business methods
    # ------------------------------------------------------------------
    def action_check_in(self, value, confidence=None, note=None):
        """Record a check-in of ``value``; used by the UI and by integrations.

        Returns the id of the new check-in.
        """
        self.ensure_one()
        vals = {
            "key_result_id": self.id,
            "value": self._parse_number(value, _("Value")),
            "note": note or False,
        }
        if confidence is not None and confidence is not False:
            vals["confidence"] = int(self._parse_number(confidence, _("Confidence")))
        vals["source"] = self._get_check_in_source()
        return self.env["okr.check.in"].create(vals).id

    @api.model
    def _parse_number(self, value, field_label):
        if isinstance(value, bool) or value is None:
            raise UserError(
                _("%(field)s: a number is required, got %(value)r.", field=field_label, value=value)
            )
        try:
            return float(value)
        except (TypeError, ValueError):
            raise UserError(
                _("%(field)s: a number is required, got %(value)r.", field=field_label, value=value)
            ) from None

    def _get_check_in_source(self):
        """'api' for calls that arrive over the external RPC endpoints."""
        if self.env.context.get("okr_check_in_source"):
            return self.env.context["okr_check_in_source"]
        if self.env.context.get("import_file"):
            return "import"
        try:
            path = request and request.httprequest.path or ""
        except RuntimeError:
            path = ""
        if path.startswith(("/jsonrpc", "/xmlrpc", "/json/")):
            return "api"
        return "manual"

    def _check_check_in_allowed(self, source):
        """Refuse a check-in on a closed cycle, or by a user who neither owns
        nor manages the key result. Bridge modules add their own rules."""
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
        if self.env.su:
            return
        if self.env.user.has_group("okr_management.group_okr_manager"):
            return
        managed = self.env["hr.employee"].search(
            [("id", "child_of", self.env.user.employee_ids.ids)]
        )
        for key_result in self:
            if key_result.owner_id not in managed and key_result.objective_id.owner_id not in managed:
                raise AccessError(
                    _(
                        "Key result '%(kr)s': you can only check in on key "
                        "results you own or manage.",
                        kr=key_result.name,
                    )
                )

    def _grade_from_progress(self):
        """Score = progress, in one batched write (no query per key result)."""
        for key_result in self:
            key_result.with_context(okr_grading=True).score = key_result.progress
        self.flush_recordset(["score"])
