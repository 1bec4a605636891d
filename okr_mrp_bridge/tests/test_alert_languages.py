"""The shop-floor alerts reach each owner in their language (zh_CN here):
the activity, its note and the key result's chatter note."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestAlertLanguages(OkrMrpTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["okr_mrp_bridge"], ["zh_CN"])
        cls.activity_type = cls.env.ref(
            "okr_mrp_bridge.mail_activity_type_production_alert"
        )

    def _alert_activity(self, key_result):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "okr.key.result"),
                ("res_id", "=", key_result.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_availability_loss_in_the_owners_language(self):
        kr = self.env["okr.key.result"].create(
            {
                "name": "Assembly throughput",
                "objective_id": self.objective.id,
                "start_value": 0,
                "target_value": 10,
                "workcenter_ids": [(6, 0, self.wc_assembly.ids)],
            }
        )
        self.user_lead.lang = "zh_CN"
        self._log_time(self.wc_assembly, self.loss_equipment, 20)
        activity = self._alert_activity(kr)
        self.assertEqual(activity.user_id, self.user_lead)
        self.assertIn("可用性损失", activity.summary)
        self.assertIn("WC Assembly Test 发生", activity.summary)
        self.assertIn("在工作中心 WC Assembly Test", str(activity.note))
        self.assertIn("车间警报", kr.message_ids[0].body)
        # the alert's own reference stays in the system's language
        self.assertIn("on WC Assembly Test", kr.production_alert_ids.reference)

    def test_late_work_order_in_the_owners_language(self):
        production = self._confirm_production(2)
        workorder = production.workorder_ids[0]
        kr = self.env["okr.key.result"].create(
            {
                "name": "Orders on time",
                "objective_id": self.objective.id,
                "start_value": 0,
                "target_value": 10,
                "workorder_ids": [(6, 0, workorder.ids)],
            }
        )
        now = fields.Datetime.now()
        workorder.write(
            {
                "date_start": now - timedelta(hours=5),
                "date_finished": now - timedelta(hours=4),
                "duration_expected": 60,
            }
        )
        self.user_lead.lang = "zh_CN"
        self.env["okr.production.alert"]._cron_check_late_workorders()
        activity = self._alert_activity(kr)
        self.assertIn(workorder.display_name, activity.summary)
        self.assertIn("车间警报", kr.message_ids[0].body)
        self.assertNotIn("was planned to end", kr.message_ids[0].body)
