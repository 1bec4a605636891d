from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

from .okr_key_result import DIRECTION_SELECTION


class OkrKeyResultTemplate(models.Model):
    _name = "okr.key.result.template"
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

    _sql_constraints = [
        (
            "weight_positive",
            "CHECK(weight > 0)",
            "Key result templates: the Weight must be greater than 0.",
        ),
    ]

    @api.constrains("start_value", "target_value", "direction")
    def _check_target_value(self):
        for template in self:
            if template.direction == "maintain":
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

    def _prepare_key_result_vals(self, owner):
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
