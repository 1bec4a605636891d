from odoo import models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    def do_scrap(self):
        res = super().do_scrap()
        scraps = self.filtered(lambda scrap: scrap.production_id or scrap.workorder_id)
        if scraps:
            self.env["okr.key.result"]._refresh_for_event(
                self._name,
                ["state"],
                workorders=scraps.workorder_id,
                productions=scraps.production_id,
                workcenters=scraps.production_id.workorder_ids.workcenter_id,
            )
        return res
