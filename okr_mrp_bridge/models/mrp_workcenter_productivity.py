from odoo import api, fields, models


class MrpWorkcenterProductivity(models.Model):
    _inherit = "mrp.workcenter.productivity"

    # stored so that the productivity sources group logs by product in the
    # database (one row per work center, loss type and product)
    product_id = fields.Many2one(
        related="workorder_id.product_id", store=True, string="Product"
    )

    @api.model_create_multi
    def create(self, vals_list):
        # the refresh is the source family's (okr_source_record)
        logs = super().create(vals_list)
        logs.filtered(lambda log: log.loss_type == "availability")._okr_alert()
        return logs

    def _okr_alert(self):
        """An availability loss on a linked work center reaches the owners."""
        Alert = self.env["okr.production.alert"]
        # the operator may not read the work center's key results or orders
        for log in self.sudo():
            key_results = Alert._search_linked_key_results(
                workcenters=log.workcenter_id
            )
            Alert._raise_alert(
                key_results,
                "availability_loss",
                # each owner reads the alert in their language
                lambda env, log=log: env._(
                    "%(loss)s on %(wc)s",
                    loss=log.with_env(env).loss_id.display_name,
                    wc=log.with_env(env).workcenter_id.display_name,
                ),
                lambda env, log=log: env._(
                    "%(loss)s logged on work center %(wc)s%(wo)s by %(user)s at "
                    "%(date)s.%(description)s",
                    loss=log.with_env(env).loss_id.display_name,
                    wc=log.with_env(env).workcenter_id.display_name,
                    wo=env._(
                        " (work order %(wo)s)",
                        wo=log.with_env(env).workorder_id.display_name,
                    )
                    if log.workorder_id
                    else "",
                    user=log.user_id.display_name,
                    date=log.date_start,
                    description=f" {log.description}" if log.description else "",
                ),
                workcenter_id=log.workcenter_id.id,
                workorder_id=log.workorder_id.id,
                production_id=log.workorder_id.production_id.id,
                productivity_id=log.id,
            )
