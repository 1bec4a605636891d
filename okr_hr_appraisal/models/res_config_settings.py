from odoo import fields, models

from .hr_appraisal import HIDE_OKR_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    okr_appraisal_hide_okr = fields.Boolean(
        string="Keep OKR Out of Appraisals",
        config_parameter=HIDE_OKR_PARAM,
        help="Hide the OKR reference section from appraisals and stop listing "
        "key results in open appraisals. Completed appraisals keep their "
        "frozen reference, hidden as well.",
    )

    def set_values(self):
        Appraisal = self.env["hr.appraisal"]
        before = Appraisal._okr_is_hidden()
        res = super().set_values()
        if Appraisal._okr_is_hidden() != before:
            # every open appraisal follows the switch, whoever sets it
            Appraisal.sudo().search(
                [("okr_score_frozen", "=", False), ("state", "!=", "3_done")]
            )._okr_sync_lines()
        return res
