from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestShopFloorAlerts(OkrMrpTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "okr_mrp_bridge.mail_activity_type_production_alert"
        )
        # a manual key result at its target: on track, linked to a work center
        cls.kr_linked = cls.env["okr.key.result"].create(
            {
                "name": "Assembly throughput",
                "objective_id": cls.objective.id,
                "start_value": 0,
                "target_value": 10,
                "workcenter_ids": [(6, 0, cls.wc_assembly.ids)],
            }
        )
        cls.kr_linked.action_check_in(10)

    def _alert_activities(self, key_result):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "okr.key.result"),
                ("res_id", "=", key_result.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_availability_loss_one_activity_per_cause_and_risk_status(self):
        self.assertEqual(self.kr_linked.status, "on_track")
        messages_before = len(self.kr_linked.message_ids)
        self._log_time(self.wc_assembly, self.loss_equipment, 20)
        self._log_time(self.wc_assembly, self.loss_equipment, 15)
        activities = self._alert_activities(self.kr_linked)
        self.assertEqual(len(activities), 1, "repeated events must not pile up")
        self.assertEqual(activities.user_id, self.user_lead)
        self.assertIn("WC Assembly Test", activities.summary)
        self.assertEqual(len(self.kr_linked.production_alert_ids), 2)
        new_messages = self.kr_linked.message_ids[
            : len(self.kr_linked.message_ids) - messages_before
        ]
        self.assertEqual(
            len(
                new_messages.filtered(
                    lambda m: "Equipment Failure logged on work center" in m.body
                )
            ),
            2,
        )
        self.assertTrue(self.kr_linked.production_risk)
        self.assertEqual(self.kr_linked.status, "at_risk")
        # a performance loss is no availability alert
        self._log_time(self.wc_assembly, self.loss_speed, 5)
        self.assertEqual(len(self.kr_linked.production_alert_ids), 2)
        # the owner deals with it: status back on track, next event alerts again
        activities.with_user(self.user_lead).action_feedback("Bearing replaced")
        self.assertFalse(self.kr_linked.production_risk)
        self.assertEqual(self.kr_linked.status, "on_track")
        self._log_time(self.wc_assembly, self.loss_equipment, 10)
        self.assertEqual(len(self._alert_activities(self.kr_linked)), 1)
        self.assertEqual(self.kr_linked.status, "at_risk")

    def test_loss_on_work_center_of_linked_work_order(self):
        production = self._confirm_production(2)
        kr = self.env["okr.key.result"].create(
            {
                "name": "Drill line",
                "objective_id": self.objective.id,
                "start_value": 0,
                "target_value": 10,
                "workorder_ids": [
                    (
                        6,
                        0,
                        production.workorder_ids.filtered(
                            lambda wo: wo.workcenter_id == self.wc_drill
                        ).ids,
                    )
                ],
            }
        )
        self._log_time(self.wc_drill, self.loss_equipment, 20)
        self.assertEqual(len(self._alert_activities(kr)), 1)
        self.assertFalse(self._alert_activities(self.kr_linked))

    def test_late_linked_work_order_alerts_once(self):
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
        # the planner scheduled it for this morning; nobody started it
        workorder.write(
            {
                "date_start": now - timedelta(hours=5),
                "date_finished": now - timedelta(hours=4),
                "duration_expected": 60,
            }
        )
        Alert = self.env["okr.production.alert"]
        Alert._cron_check_late_workorders()
        Alert._cron_check_late_workorders()
        alerts = Alert.search(
            [("key_result_id", "=", kr.id), ("cause", "=", "late_workorder")]
        )
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts.workorder_id, workorder)
        self.assertEqual(len(self._alert_activities(kr)), 1)
        self.assertIn(workorder.display_name, kr.message_ids[0].body)

    def test_failed_inspection_of_linked_production(self):
        self._enable_quality_trigger()
        production = self._produce(2)
        kr = self.env["okr.key.result"].create(
            {
                "name": "Right first time",
                "objective_id": self.objective.id,
                "source": "qc_pass_rate",
                "start_value": 0,
                "target_value": 100,
                "production_ids": [(6, 0, production.ids)],
            }
        )
        self._conclude_inspection(production.qc_inspections_ids, passed=False)
        activities = self._alert_activities(kr)
        self.assertEqual(len(activities), 1)
        self.assertIn(production.name, activities.summary)
        self.assertEqual(kr.current_value, 0.0)
        alert = kr.production_alert_ids
        self.assertEqual(alert.cause, "failed_inspection")
        self.assertEqual(alert.inspection_id, production.qc_inspections_ids)

    def test_inactive_key_results_get_no_alert(self):
        self.objective.state = "done"
        self._log_time(self.wc_assembly, self.loss_equipment, 20)
        self.assertFalse(self._alert_activities(self.kr_linked))

    def test_alert_opens_the_record_it_happened_on(self):
        """The alert keeps where it happened, shows it and opens it."""
        log = self._log_time(self.wc_assembly, self.loss_equipment, 20)
        alert = self.kr_linked.production_alert_ids
        self.assertEqual(alert.workcenter_id, self.wc_assembly)
        self.assertEqual(alert.productivity_id, log)
        action = alert.with_user(self.user_planner).action_open_source()
        self.assertEqual((action["res_model"], action["res_id"]), (log._name, log.id))
        # the time log gone: the work center it happened on
        log.unlink()
        action = alert.with_user(self.user_planner).action_open_source()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("mrp.workcenter", self.wc_assembly.id),
        )
        arch = self.env["okr.production.alert"].get_views([(False, "form")])
        for name in ("workcenter_id", "production_id", "workorder_id"):
            self.assertIn(name, arch["views"]["form"]["arch"])
        # an OKR user without manufacturing rights opens nothing of it
        outsider = self.env["res.users"].create(
            {
                "name": "OKR only",
                "login": "okr_only_alert",
                "groups_id": [
                    (6, 0, self.env.ref("okr_management.group_okr_user").ids)
                ],
            }
        )
        self.env["hr.employee"].create({"name": "OKR only", "user_id": outsider.id})
        with self.assertRaises(UserError):
            alert.with_user(outsider).action_open_source()
        self.assertEqual(alert.workcenter_id, self.wc_assembly)
