from datetime import timedelta

from odoo.tests import tagged

from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestEventDrivenRefresh(OkrMrpTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kr_qty = cls._create_key_result_cls(
            "mrp_produced_qty", workcenter_ids=[(6, 0, cls.wc_drill.ids)]
        )
        cls.kr_other_wc = cls._create_key_result_cls(
            "mrp_produced_qty",
            workcenter_ids=[(6, 0, cls.wc_assembly.ids)],
            product_ids=[(6, 0, cls.other_product.ids)],
        )

    @classmethod
    def _create_key_result_cls(cls, source, **vals):
        return cls.env["okr.key.result"].create(
            dict(
                {
                    "name": f"KR {source}",
                    "objective_id": cls.objective.id,
                    "source": source,
                    "start_value": 0,
                    "target_value": 100,
                },
                **vals,
            )
        )

    def test_finishing_a_work_order_refreshes_only_affected_key_results(self):
        production = self._confirm_production(7)
        assembly, drill = production.workorder_ids
        self._finish_workorders(assembly)
        self.assertFalse(self.kr_qty.check_in_ids)
        self._finish_workorders(drill)
        self.assertEqual(self.kr_qty.current_value, 7)
        self.assertEqual(len(self._system_check_ins(self.kr_qty)), 1)
        # scoped on another product: untouched
        self.assertFalse(self.kr_other_wc.check_in_ids)

    def test_explicitly_linked_work_order_refreshes_its_key_result(self):
        production = self._confirm_production(3)
        kr = self._create_key_result(
            "mrp_produced_qty", workorder_ids=[(6, 0, production.workorder_ids[:1].ids)]
        )
        self._finish_workorders(production.workorder_ids)
        self.assertEqual(kr.current_value, 3)

    def test_validated_scrap_refreshes_yield(self):
        production = self._produce(10, mark_done=False)
        yield_kr = self._create_key_result(
            "mrp_yield", workcenter_ids=[(6, 0, self.wc_drill.ids)], start_value=50
        )
        yield_kr.action_refresh_from_source()
        self.assertEqual(yield_kr.current_value, 100)
        self._scrap(production.workorder_ids[1], 1)
        self.assertEqual(yield_kr.current_value, round(1000 / 11, 2))
        self.assertEqual(len(self._system_check_ins(yield_kr)), 2)

    def test_logged_loss_refreshes_oee_and_downtime(self):
        oee_kr = self._create_key_result(
            "mrp_oee", workcenter_ids=[(6, 0, self.wc_assembly.ids)]
        )
        downtime_kr = self._create_key_result(
            "mrp_downtime_hours",
            workcenter_ids=[(6, 0, self.wc_assembly.ids)],
            direction="decrease",
            start_value=10,
            target_value=0,
        )
        self._log_time(self.wc_assembly, self.loss_productive, 180, end_hours_ago=4)
        self._log_time(self.wc_assembly, self.loss_equipment, 60, end_hours_ago=1)
        self.assertEqual(oee_kr.current_value, 75.0)
        self.assertEqual(downtime_kr.current_value, 1.0)
        self.assertEqual(self.wc_assembly.oee, oee_kr.current_value)

    def test_blocking_then_unblocking_a_work_center_refreshes_downtime(self):
        downtime_kr = self._create_key_result(
            "mrp_downtime_hours",
            workcenter_ids=[(6, 0, self.wc_assembly.ids)],
            direction="decrease",
            start_value=10,
            target_value=0,
        )
        block = self.env["mrp.workcenter.productivity"].create(
            {"workcenter_id": self.wc_assembly.id, "loss_id": self.loss_equipment.id}
        )
        self.assertEqual(self.wc_assembly.working_state, "blocked")
        # two hours blocked, whatever the time of day (not a clock hour
        # moved: between 00:00 and 02:00 that gave no downtime)
        block.date_start = block.date_start.replace(microsecond=0) - timedelta(hours=2)
        self.wc_assembly.unblock()
        self.assertAlmostEqual(downtime_kr.current_value, 2.0, places=1)

    def test_concluded_inspection_refreshes_pass_rate(self):
        self._enable_quality_trigger()
        production = self._produce(2)
        kr = self._create_key_result(
            "qc_pass_rate", production_ids=[(6, 0, production.ids)]
        )
        self._conclude_inspection(production.qc_inspections_ids, passed=True)
        self.assertEqual(kr.current_value, 100.0)
        self.assertIn("1 of 1 inspections", kr.source_note)
