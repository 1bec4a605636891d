"""Across the three modules: a work order finishing on the shop floor moves a
key result, its objective, the parent objective, and the employee's appraisal
reference."""

import unittest

from odoo.tests import new_test_user, tagged

from odoo.addons.okr_mrp_bridge.tests.common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestFactoryScenario(OkrMrpTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "okr.appraisal.line" not in cls.env:
            raise unittest.SkipTest("the scenario ends in okr_hr_appraisal")
        cls.company_objective = cls.env["okr.objective"].create(
            {
                "name": "Capacity +20%",
                "cycle_id": cls.cycle.id,
                "level": "company",
                "owner_id": cls.emp_manager.id,
                "state": "active",
            }
        )
        cls.kr_company = cls.env["okr.key.result"].create(
            {
                "name": "Every department delivers its part",
                "objective_id": cls.company_objective.id,
                "source": "aligned",
                "start_value": 0,
                "target_value": 100,
            }
        )
        cls.objective.write(
            {
                "parent_id": cls.company_objective.id,
                "parent_key_result_id": cls.kr_company.id,
            }
        )
        # the line lead's only key result: finished quantity on the drill line
        cls.objective.key_result_ids.unlink()
        cls.kr_output = cls.env["okr.key.result"].create(
            {
                "name": "Finish 20 units on the drill line",
                "objective_id": cls.objective.id,
                "owner_id": cls.emp_lead.id,
                "source": "mrp_produced_qty",
                "workcenter_ids": [(6, 0, cls.wc_drill.ids)],
                "start_value": 0,
                "target_value": 20,
            }
        )
        cls.hr_officer = new_test_user(
            cls.env,
            login="scenario_hr",
            groups="hr_appraisal_oca.group_appraisal_hr_officer,okr_management.group_okr_user",
            name="HR Officer",
        )

    def test_work_order_to_appraisal(self):
        appraisal = (
            self.env["hr.appraisal"]
            .with_user(self.hr_officer)
            .create(
                {
                    "employee_id": self.emp_lead.id,
                    "date_close": self.cycle.date_end,
                }
            )
        )
        self.assertEqual(appraisal.okr_score, 0.0)

        production = self._confirm_production(10)
        self._finish_workorders(production.workorder_ids)

        # the key result moved by itself, with a system check-in saying why
        self.assertEqual(self.kr_output.current_value, 10)
        self.assertAlmostEqual(self.kr_output.progress, 0.5)
        self.assertEqual(self.kr_output.check_in_ids.source, "mrp_produced_qty")
        # ... its objective, and the company objective it is aligned to
        self.assertAlmostEqual(self.objective.progress, 0.5)
        self.assertAlmostEqual(self.kr_company.current_value, 50.0)
        self.assertAlmostEqual(self.company_objective.progress, 0.5)
        # ... and the line lead's appraisal shows it as a reference
        appraisal.invalidate_recordset()
        appraisal = appraisal.with_user(self.hr_officer)
        self.assertAlmostEqual(appraisal.okr_score, 0.5)
        line = appraisal.okr_line_ids.filtered(
            lambda line: line.key_result_id == self.kr_output
        )
        self.assertEqual(len(line), 1)
        self.assertAlmostEqual(line.progress, 0.5)
