from odoo import fields, models

# a change of them moves where a planned order lands
PLAN_FIELDS = frozenset(
    {"date_start", "date_finished", "date_deadline", "product_qty", "product_uom_id"}
)


class MrpProduction(models.Model):
    _name = "mrp.production"
    _inherit = ["mrp.production", "okr.key.result.link.mixin"]

    key_result_ids = fields.Many2many(
        "okr.key.result",
        "okr_key_result_mrp_production_rel",
        "production_id",
        "key_result_id",
        string="Key Results",
        groups="okr_management.group_okr_user",
        # a copy does not feed the same key results silently, and a
        # manufacturing user without OKR rights can still copy
        copy=False,
        help="The key results this manufacturing order feeds.",
    )

    def write(self, vals):
        linked_before = self._check_key_result_links(vals)
        res = super().write(vals)
        self._refresh_linked_key_results(vals, linked_before)
        if PLAN_FIELDS & set(vals) or vals.get("state") in ("done", "cancel"):
            self.env["okr.key.result"]._refresh_plan_for_productions(
                self.filtered(lambda mo: mo.state != "draft")
            )
        return res

    def action_confirm(self):
        res = super().action_confirm()
        self.env["okr.key.result"]._refresh_plan_for_productions(self)
        return res

    def action_cancel(self):
        res = super().action_cancel()
        self.env["okr.key.result"]._refresh_plan_for_productions(self)
        return res

    def button_mark_done(self):
        # the work orders it finishes, their logs and the order: one refresh
        with self.env["okr.key.result"]._batch_events():
            return super().button_mark_done()
