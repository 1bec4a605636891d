from odoo import models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    def do_scrap(self):
        res = super().do_scrap()
        scraps = self.filtered(lambda scrap: scrap.production_id or scrap.workorder_id)
        if scraps:
            self.env["okr.key.result"]._refresh_affected(
                workorders=scraps.workorder_id,
                productions=scraps.production_id,
                sources=["mrp_yield", "mrp_scrap_rate"],
            )
        return res
