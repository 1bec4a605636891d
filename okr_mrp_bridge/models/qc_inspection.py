from odoo import models

from ..sources.inspection import InspectionSource


class QcInspection(models.Model):
    _inherit = "qc.inspection"

    def write(self, vals):
        # the refresh is the source family's (okr_source_record); here the
        # inspections of a production newly concluded as failed alert
        if "state" not in vals:
            return super().write(vals)
        concluded_before = InspectionSource.filter_counted(self)
        res = super().write(vals)
        concluded = InspectionSource.filter_counted(self) - concluded_before
        concluded.filtered(
            lambda qi: qi.production_id and qi.state == "failed"
        )._okr_alert()
        return res

    def _okr_alert(self):
        """A failed inspection of a linked production reaches the owners."""
        Alert = self.env["okr.production.alert"]
        # the inspector may not read the order, its product or key results
        for inspection in self.sudo():
            production = inspection.production_id
            key_results = Alert._search_linked_key_results(productions=production)
            Alert._raise_alert(
                key_results,
                "failed_inspection",
                # each owner reads the alert in their language
                lambda env, inspection=inspection, production=production: env._(
                    "Inspection %(inspection)s of %(production)s failed",
                    inspection=inspection.name,
                    production=production.name,
                ),
                lambda env, inspection=inspection, production=production: env._(
                    "Inspection %(inspection)s (%(test)s) of manufacturing order "
                    "%(production)s, product %(product)s, failed.",
                    inspection=inspection.name,
                    test=inspection.with_env(env).test.display_name or env._("no test"),
                    production=production.name,
                    product=production.with_env(env).product_id.display_name,
                ),
                production_id=production.id,
                inspection_id=inspection.id,
            )
