from odoo import api, fields, models


class OkrObjective(models.Model):
    _inherit = "okr.objective"

    plan_miss_count = fields.Integer(
        string="Plans Short of Target",
        compute="_compute_plan_miss_count",
        store=True,
        help="Key results whose planned landing does not reach their target: "
        "the ERP's own plans say they will miss it.",
    )

    @api.depends("key_result_ids.plan_misses_target")
    def _compute_plan_miss_count(self):
        for objective in self:
            objective.plan_miss_count = len(
                objective.key_result_ids.filtered("plan_misses_target")
            )
