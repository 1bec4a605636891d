from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def unlink(self):
        key_results = self._get_alerted_key_results()
        res = super().unlink()
        key_results._sync_production_risk()
        return res

    def write(self, vals):
        res = super().write(vals)
        if "active" in vals:
            self._get_alerted_key_results()._sync_production_risk()
        return res

    def _get_alerted_key_results(self):
        """Key results whose shop-floor alert activities are among ``self``."""
        activity_type = self.env.ref(
            "okr_mrp_bridge.mail_activity_type_production_alert",
            raise_if_not_found=False,
        )
        alert_activities = self.filtered(
            lambda act: (
                act.res_model == "okr.key.result"
                and act.activity_type_id == activity_type
            )
        )
        return (
            self.env["okr.key.result"].sudo().browse(alert_activities.mapped("res_id"))
        )
