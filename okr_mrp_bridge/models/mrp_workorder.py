from odoo import fields, models


class MrpWorkorder(models.Model):
    _name = "mrp.workorder"
    _inherit = ["mrp.workorder", "okr.key.result.link.mixin"]

    key_result_ids = fields.Many2many(
        "okr.key.result",
        "okr_key_result_mrp_workorder_rel",
        "workorder_id",
        "key_result_id",
        string="Key Results",
        groups="okr_management.group_okr_user",
        # a copy does not feed the same key results silently, and a
        # manufacturing user without OKR rights can still copy
        copy=False,
        help="The key results this work order feeds.",
    )

    def write(self, vals):
        linked_before = self._check_key_result_links(vals)
        res = super().write(vals)
        self._refresh_linked_key_results(vals, linked_before)
        return res

    def button_finish(self):
        # closing the time log and finishing the work order: one refresh
        with self.env["okr.key.result"]._batch_events():
            return super().button_finish()

    def action_link_key_results(self):
        action = self.env["ir.actions.actions"]._for_xml_id(
            "okr_mrp_bridge.okr_key_result_link_wizard_action"
        )
        action["context"] = {"default_workorder_ids": self.ids}
        return action

    def _okr_alert_late(self, key_results):
        """Tell the owners of ``key_results`` that this work order is late."""
        self.ensure_one()

        def message(env):
            # each owner reads the alert in their language
            workorder = self.with_env(env)
            state_labels = dict(self._fields["state"]._description_selection(env))
            return env._(
                "Work order %(wo)s on %(wc)s was planned to end on "
                "%(planned)s and is still %(state)s.",
                wo=workorder.display_name,
                wc=workorder.workcenter_id.display_name,
                planned=fields.Datetime.to_string(self.date_finished),
                state=state_labels.get(self.state),
            )

        self.env["okr.production.alert"]._raise_alert(
            key_results,
            "late_workorder",
            self.display_name,
            message,
            workorder_id=self.id,
            workcenter_id=self.workcenter_id.id,
            production_id=self.production_id.id,
        )
