from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .okr_key_result import DIRECTION_SELECTION


class OkrKeyResultTemplate(models.Model):
    _name = "okr.key.result.template"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Key Result Template"
    _order = "objective_template_id, sequence, id"

    objective_template_id = fields.Many2one(
        "okr.objective.template",
        required=True,
        index=True,
        ondelete="cascade",
    )
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    kr_type = fields.Selection(
        [("committed", "Committed"), ("aspirational", "Aspirational")],
        string="Type",
        default="committed",
        required=True,
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
    direction = fields.Selection(DIRECTION_SELECTION, default="increase", required=True)
    maintain_mode = fields.Selection(
        [("at_most", "At most the target"), ("at_least", "At least the target")],
        string="Guardrail",
        default="at_most",
        required=True,
    )
    start_value = fields.Float()
    target_value = fields.Float(required=True, default=1.0)
    unit = fields.Char()
    weight = fields.Float(default=1.0, required=True)
    deadline_days = fields.Integer(
        string="Deadline (days after the cycle start)",
        help="Leave 0 for no deadline; otherwise the key result's deadline in "
        "the cycle the template is applied to, at the latest its end.",
    )
    milestone_template_ids = fields.One2many(
        "okr.key.result.milestone.template",
        "key_result_template_id",
        string="Milestones",
        copy=True,
    )

    _sql_constraints = [
        (
            "weight_positive",
            "CHECK(weight > 0)",
            "Key result templates: the Weight must be greater than 0.",
        ),
    ]

    @api.constrains("start_value", "target_value", "direction", "metric_type")
    def _check_target_value(self):
        for template in self:
            # the server sets them on Done / Not Done and Milestone key results
            if template.direction == "maintain" or template.metric_type in (
                "boolean",
                "milestone",
            ):
                continue
            comparison = float_compare(
                template.target_value, template.start_value, precision_digits=6
            )
            if (
                comparison == 0
                or (template.direction == "increase" and comparison < 0)
                or (template.direction == "decrease" and comparison > 0)
            ):
                raise ValidationError(
                    _(
                        "Key result template '%(name)s': with direction "
                        "%(direction)s, the Target Value (%(target)s) must lie "
                        "beyond the Start Value (%(start)s).",
                        name=template.name,
                        direction=dict(DIRECTION_SELECTION)[template.direction],
                        target=template.target_value,
                        start=template.start_value,
                    )
                )

    @api.constrains("deadline_days")
    def _check_deadline_days(self):
        for template in self:
            if template.deadline_days < 0:
                raise ValidationError(
                    _(
                        "Key result template '%(name)s': the Deadline (days after "
                        "the cycle start) must not be negative (got %(days)s).",
                        name=template.name,
                        days=template.deadline_days,
                    )
                )

    def _prepare_key_result_vals(self, owner, cycle=None):
        """Values of a key result made from this template in ``cycle``: the
        deadline and the milestones fall inside it."""
        self.ensure_one()
        vals = self._prepare_measure_vals(owner)
        if cycle and self.deadline_days:
            vals["deadline"] = cycle._get_date_after_start(self.deadline_days)
        if cycle and self.metric_type == "milestone":
            milestones = self.milestone_template_ids
            vals["milestone_ids"] = [
                fields.Command.create(milestone_vals)
                for milestone_vals in milestones._prepare_milestone_vals(cycle)
            ]
        return vals

    def _prepare_measure_vals(self, owner):
        self.ensure_one()
        return {
            "name": self.name,
            "sequence": self.sequence,
            "kr_type": self.kr_type,
            "metric_type": self.metric_type,
            "direction": self.direction,
            "maintain_mode": self.maintain_mode,
            "start_value": self.start_value,
            "target_value": self.target_value,
            "unit": self.unit,
            "weight": self.weight,
            "owner_id": owner.id,
        }
