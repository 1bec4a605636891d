from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, formatLang

from ..tools import parse_number

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


class OkrKeyResultMetric(models.Model):
    """Kinds of key results: numbers, percentages, amounts, Done / Not Done
    and milestones; how a value reads and what a check-in may be."""

    _inherit = "okr.key.result"

    # Key result types: Done / Not Done, milestones, deadlines, results
    milestone_ids = fields.One2many(
        "okr.key.result.milestone", "key_result_id", string="Milestones"
    )

    overdue_milestone_count = fields.Integer(
        string="Overdue Milestones", compute="_compute_overdue_milestone_count"
    )

    currency_id = fields.Many2one(
        "res.currency",
        default=lambda self: self.env.company.currency_id,
        help="The currency of an amount (Currency key results): their values "
        "read in it, on the form, the board and the workbook.",
    )
    value_display = fields.Char(
        string="Value",
        compute="_compute_value_display",
        help="The current value as it reads: Done / Not done, the share of "
        "milestones done, or the number and its unit.",
    )

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
                # the status counts every milestone, whoever reads the key result
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

    @api.depends("metric_type", "current_value", "unit", "currency_id")
    def _compute_value_display(self):
        for key_result in self:
            key_result.value_display = key_result._format_value(
                key_result.current_value
            )

    def _format_value(self, value):
        """``value`` as this key result reads it: Done / Not done, the share
        of milestones done, a percentage, an amount in its currency, or the
        number with its unit."""
        self.ensure_one()
        if self.metric_type == "boolean":
            return _("Done") if value >= 1.0 else _("Not done")
        if self.metric_type == "currency" and self.currency_id:
            return formatLang(self.env, value, currency_obj=self.currency_id)
        number = f"{value:.2f}".rstrip("0").rstrip(".")
        if self.metric_type == "milestone":
            return _("%(share)s%% of milestones done", share=number)
        if self.metric_type == "percentage":
            return f"{number} %"
        return f"{number} {self.unit}" if self.unit else number

    @api.constrains("metric_type", "source", "currency_id")
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
            if key_result.metric_type == "currency" and not key_result.currency_id:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': a Currency key result needs its "
                        "Currency.",
                        kr=key_result.name,
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
            number = parse_number(self.env, value, _("Value"))
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
        return parse_number(self.env, value, _("Value"))

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
            # the value counts every milestone, whoever moved one
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
        # milestones are the source: the system records their check-in
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
            # a system check-in (source 'milestone'), not the caller's
            self.env["okr.check.in"].sudo().create(vals_list)
