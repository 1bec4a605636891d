from odoo import _, api, fields, models
from odoo.exceptions import UserError


class OkrKeyResultGrade(models.TransientModel):
    """An OKR manager's grade of a key result, typed in the Settings' scale."""

    _name = "okr.key.result.grade"
    _inherit = ["okr.system.fields.mixin"]
    _description = "Grade a Key Result"

    key_result_id = fields.Many2one("okr.key.result", required=True, readonly=True)
    progress = fields.Float(related="key_result_id.progress", compute_sudo=False)
    score_scale = fields.Selection(
        [("unit", "0.0 - 1.0"), ("five", "1 - 5")],
        default=lambda self: self.env["okr.objective"]._get_score_scale(),
        readonly=True,
    )
    grade = fields.Float(
        required=True,
        help="From 0.0 to 1.0, or from 1 to 5, as the Settings' scoring scale.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        key_result = self.env["okr.key.result"].browse(values.get("key_result_id"))
        if "grade" in fields_list and key_result.exists():
            values["grade"] = self._to_scale(key_result.progress)
        return values

    def _to_scale(self, score):
        if self.env["okr.objective"]._get_score_scale() == "five":
            return 1.0 + 4.0 * score
        return score

    def action_confirm(self):
        self.ensure_one()
        grade = self.grade
        if self.score_scale == "five":
            if not 1.0 <= grade <= 5.0:
                raise UserError(
                    _("Grade: on the 1-5 scale, give 1 to 5 (got %s).", grade)
                )
            grade = (grade - 1.0) / 4.0
        self.key_result_id.action_grade(grade)
        return {"type": "ir.actions.act_window_close"}
