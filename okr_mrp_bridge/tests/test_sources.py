from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestProductionSources(OkrMrpTestCommon):
    def test_produced_qty_scope_and_explicit_links(self):
        first = self._produce(10)
        self._produce(6)
        self._produce(4, product=self.other_product)
        by_workcenter = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[(6, 0, self.wc_assembly.ids)]
        )
        by_product = self._create_key_result(
            "mrp_produced_qty", product_ids=[(6, 0, self.product.ids)]
        )
        explicit = self._create_key_result(
            "mrp_produced_qty",
            workcenter_ids=[(6, 0, self.wc_assembly.ids)],
            workorder_ids=[(6, 0, first.workorder_ids[:1].ids)],
        )
        (by_workcenter | by_product | explicit).action_refresh_from_source()
        # every order passed the assembly work center once
        self.assertEqual(by_workcenter.current_value, 20)
        # two operations per order: the finished quantity counts once per order
        self.assertEqual(by_product.current_value, 16)
        # explicit links win over the work-center scope
        self.assertEqual(explicit.current_value, 10)
        check_in = self._system_check_ins(by_product)
        self.assertEqual(len(check_in), 1)
        self.assertEqual(check_in.source, "mrp_produced_qty")
        self.assertIn("from 4 finished work orders", check_in.note)
        self.assertIn("on 1 product(s)", check_in.note)

    def test_yield_and_scrap_rate_from_done_scraps(self):
        production = self._confirm_production(10)
        self._scrap(production.workorder_ids[0], 2)
        self._finish_workorders(production.workorder_ids)
        self._produce(10)
        yield_kr = self._create_key_result(
            "mrp_yield", product_ids=[(6, 0, self.product.ids)], start_value=80
        )
        scrap_kr = self._create_key_result(
            "mrp_scrap_rate",
            product_ids=[(6, 0, self.product.ids)],
            direction="decrease",
            start_value=20,
            target_value=1,
        )
        (yield_kr | scrap_kr).action_refresh_from_source()
        self.assertAlmostEqual(yield_kr.current_value, round(2000 / 22, 2))
        self.assertAlmostEqual(scrap_kr.current_value, round(200 / 22, 2))
        self.assertIn("2.0 scrapped Units", self._system_check_ins(scrap_kr).note)

    def test_oee_matches_odoo_and_downtime(self):
        self._log_time(self.wc_assembly, self.loss_productive, 120, end_hours_ago=5)
        self._log_time(self.wc_assembly, self.loss_equipment, 30, end_hours_ago=3)
        self._log_time(self.wc_assembly, self.loss_speed, 10, end_hours_ago=2)
        self._log_time(self.wc_drill, self.loss_equipment, 90, end_hours_ago=2)
        oee_kr = self._create_key_result(
            "mrp_oee", workcenter_ids=[(6, 0, self.wc_assembly.ids)]
        )
        downtime_kr = self._create_key_result(
            "mrp_downtime_hours",
            workcenter_ids=[(6, 0, (self.wc_assembly | self.wc_drill).ids)],
            direction="decrease",
            start_value=10,
            target_value=1,
        )
        (oee_kr | downtime_kr).action_refresh_from_source()
        # 2.0 productive hours against 0.5 + 0.17 hours of losses
        self.assertEqual(oee_kr.current_value, round(2.0 * 100 / (2.0 + 0.67), 2))
        self.assertEqual(oee_kr.current_value, self.wc_assembly.oee)
        self.assertEqual(downtime_kr.current_value, 2.0)
        note = self._system_check_ins(oee_kr).note
        self.assertIn("from 3 productivity logs on WC WC Assembly Test", note)
        self.assertIn(str(self.cycle.date_start), note)

    def test_on_time_rate_and_lead_time(self):
        now = fields.Datetime.now()
        with freeze_time(now - timedelta(days=3)):
            on_time = self._confirm_production(5, deadline=now + timedelta(days=2))
            self._finish_workorders(on_time.workorder_ids[:1])
        self._finish_workorders(on_time.workorder_ids[1:])
        on_time.button_mark_done()
        self._produce(5, deadline=now - timedelta(days=1))
        self._produce(5)  # no deadline: not counted in the on-time rate
        on_time_kr = self._create_key_result(
            "mrp_on_time_rate", product_ids=[(6, 0, self.product.ids)]
        )
        lead_kr = self._create_key_result(
            "mrp_lead_time_days",
            production_ids=[(6, 0, on_time.ids)],
            direction="decrease",
            start_value=10,
            target_value=2,
        )
        (on_time_kr | lead_kr).action_refresh_from_source()
        self.assertEqual(on_time_kr.current_value, 50.0)
        self.assertAlmostEqual(lead_kr.current_value, 3.0, delta=0.01)
        self.assertIn(
            "1 of 2 manufacturing orders", self._system_check_ins(on_time_kr).note
        )

    def test_qc_pass_rate_counts_final_states_only(self):
        self._enable_quality_trigger()
        productions = (
            self._produce(2) | self._produce(2) | self._produce(2) | self._produce(2)
        )
        inspections = productions.qc_inspections_ids
        self.assertEqual(len(inspections), 4)
        self._conclude_inspection(inspections[0], passed=True)
        self._conclude_inspection(inspections[1], passed=True)
        self._conclude_inspection(inspections[2], passed=False)
        # inspections[3] stays ready: success is True with no answer, but it
        # is no result
        kr = self._create_key_result(
            "qc_pass_rate", product_ids=[(6, 0, self.product.ids)]
        )
        kr.action_refresh_from_source()
        self.assertAlmostEqual(kr.current_value, 66.67)
        self.assertEqual(kr.inspection_count, 3)
        self.assertIn("2 of 3 inspections", self._system_check_ins(kr).note)

    def test_refresh_records_a_check_in_only_when_the_value_changes(self):
        self._produce(10)
        kr = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[(6, 0, self.wc_assembly.ids)]
        )
        kr.action_refresh_from_source()
        kr.action_refresh_from_source()
        self.assertEqual(len(kr.check_in_ids), 1)
        self.assertEqual(kr.check_in_ids.user_id, self.env.ref("base.user_root"))
        self._produce(5)
        self.env["okr.key.result"]._cron_refresh_from_source()
        self.assertEqual(len(kr.check_in_ids), 2)
        self.assertEqual(kr.current_value, 15)
        self.assertEqual(kr.workorder_count, 2)
        self.assertEqual(kr.production_count, 2)

    def test_smart_buttons_open_the_records_behind_the_figure(self):
        self._enable_quality_trigger()
        production = self._produce(3)
        self._produce(2, product=self.other_product)
        kr = self._create_key_result(
            "qc_pass_rate", product_ids=[(6, 0, self.product.ids)]
        ).with_user(self.user_planner)

        def view(key_result, family):
            return key_result.with_context(
                okr_source_family=family
            ).action_view_family()["domain"]

        workorders = self.env["mrp.workorder"].search(view(kr, "workorder"))
        self.assertEqual(workorders, production.workorder_ids)
        productions = self.env["mrp.production"].search(view(kr, "production"))
        self.assertEqual(productions, production)
        inspections = self.env["qc.inspection"].search(view(kr.sudo(), "inspection"))
        self.assertFalse(inspections, "the inspection is not concluded yet")
        self._conclude_inspection(production.qc_inspections_ids, passed=True)
        inspections = self.env["qc.inspection"].search(view(kr.sudo(), "inspection"))
        self.assertEqual(inspections, production.qc_inspections_ids)
        # a family the registry does not know is refused
        with self.assertRaises(UserError):
            view(kr, "payroll")

    def test_manual_check_in_refused_on_production_fed_key_result(self):
        kr = self._create_key_result(
            "mrp_oee", workcenter_ids=[(6, 0, self.wc_assembly.ids)]
        )
        with self.assertRaisesRegex(UserError, "Manufacturing: OEE"):
            kr.with_user(self.user_lead).action_check_in(80)
        with self.assertRaisesRegex(UserError, "cannot be checked in by hand"):
            self.env["okr.check.in"].create({"key_result_id": kr.id, "value": 70})
        # a manual key result keeps working for its owner
        self.kr_yield.with_user(self.user_lead).action_check_in(93)
        self.assertEqual(self.kr_yield.current_value, 93)

    def test_no_data_records_nothing(self):
        kr = self._create_key_result(
            "mrp_yield", workcenter_ids=[(6, 0, self.wc_drill.ids)], start_value=80
        )
        kr.action_refresh_from_source()
        self.assertFalse(kr.check_in_ids)
        self.assertEqual(kr.source_note, "No data in the period yet.")
