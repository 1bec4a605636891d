from odoo import _, models


class QcInspection(models.Model):
    _inherit = "qc.inspection"

    def write(self, vals):
        final_before = self.filtered(lambda qi: qi.state in ("success", "failed"))
        res = super().write(vals)
        if vals.get("state") in ("success", "failed"):
            concluded = (self - final_before).filtered("production_id")
            if concluded:
                productions = concluded.production_id
                self.env["okr.key.result"]._refresh_for_event(
                    self._name,
                    vals,
                    productions=productions,
                    workcenters=productions.workorder_ids.workcenter_id,
                )
                concluded.filtered(lambda qi: qi.state == "failed")._okr_alert()
        return res

    def _okr_alert(self):
        """A failed inspection of a linked production reaches the owners."""
        Alert = self.env["okr.production.alert"]
        for inspection in self.sudo():
            production = inspection.production_id
            key_results = Alert._search_linked_key_results(productions=production)
            Alert._raise_alert(
                key_results,
                "failed_inspection",
                _(
                    "Inspection %(inspection)s of %(production)s failed",
                    inspection=inspection.name,
                    production=production.name,
                ),
                _(
                    "Inspection %(inspection)s (%(test)s) of manufacturing order "
                    "%(production)s, product %(product)s, failed.",
                    inspection=inspection.name,
                    test=inspection.test.display_name or _("no test"),
                    production=production.name,
                    product=production.product_id.display_name,
                ),
                production_id=production.id,
                inspection_id=inspection.id,
            )
