from odoo import fields, models

from .okr_objective import LEVEL_SELECTION


class OkrObjectiveTemplate(models.Model):
    _name = "okr.objective.template"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Objective Template"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Html(translate=True)
    level = fields.Selection(
        LEVEL_SELECTION,
        string="Suggested Level",
        required=True,
        default="department",
    )
    category = fields.Char(
        translate=True, help="A theme to find the template by, e.g. Quality."
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the template with every company.",
    )
    key_result_template_ids = fields.One2many(
        "okr.key.result.template",
        "objective_template_id",
        string="Key Results",
        copy=True,
    )
    key_result_count = fields.Integer(compute="_compute_key_result_count")

    def _compute_key_result_count(self):
        for template in self:
            template.key_result_count = len(template.key_result_template_ids)

    def _prepare_objective_vals(self, cycle, owner, level, department, parent):
        """Values of an objective made from this template, key results included."""
        self.ensure_one()
        return {
            "name": self.name,
            "description": self.description,
            "cycle_id": cycle.id,
            "owner_id": owner.id,
            "level": level or self.level,
            "department_id": (department or owner.department_id).id,
            "parent_id": parent.id,
            "key_result_ids": [
                fields.Command.create(
                    kr_template._prepare_key_result_vals(owner, cycle)
                )
                for kr_template in self.key_result_template_ids
            ],
        }
