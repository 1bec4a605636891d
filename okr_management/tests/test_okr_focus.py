from odoo.exceptions import ValidationError

from .common import OkrTestCommon


class TestOkrFocus(OkrTestCommon):
    def _objective(self, name, **values):
        return self.env["okr.objective"].create(
            {
                "name": name,
                "cycle_id": self.cycle.id,
                "level": "individual",
                "owner_id": self.emp_worker.id,
                **values,
            }
        )

    def _key_results(self, objective, count):
        return self.env["okr.key.result"].create(
            [
                {
                    "name": f"KR {index}",
                    "objective_id": objective.id,
                    "start_value": 0,
                    "target_value": 10,
                }
                for index in range(count)
            ]
        )

    def test_no_key_result_flagged(self):
        objective = self._objective("Empty objective")
        warning = objective.with_user(self.user_worker).focus_warning
        self.assertIn("no key result", warning)
        self._key_results(objective, 1)
        self.assertFalse(objective.with_user(self.user_worker).focus_warning)

    def test_too_many_key_results(self):
        objective = self._objective("Crowded objective")
        self._key_results(objective, 5)
        self.assertFalse(objective.focus_warning, "5 key results is the limit")
        self._key_results(objective, 1)
        objective.invalidate_recordset(["focus_warning"])
        self.assertIn(
            "6 key results", objective.with_user(self.user_lead).focus_warning
        )
        self.env["ir.config_parameter"].set_param(
            "okr_management.max_key_results_per_objective", 6
        )
        objective.invalidate_recordset(["focus_warning"])
        self.assertFalse(objective.focus_warning)

    def test_too_many_objectives_for_owner(self):
        objectives = self.env["okr.objective"]
        for index in range(6):
            objectives |= self._objective(f"Objective {index}")
            self._key_results(objectives[-1], 1)
        warnings = objectives.with_user(self.user_lead).mapped("focus_warning")
        self.assertTrue(all("owns 6 objectives" in warning for warning in warnings))
        self.assertIn("Operator", warnings[0])
        self.assertFalse(self.objective.focus_warning, "the lead has one objective")
        objectives[-1].action_cancel()
        objectives.invalidate_recordset(["focus_warning"])
        self.assertFalse(any(objectives.mapped("focus_warning")))

    def test_objectives_in_other_cycles_not_counted(self):
        other_cycle = self.cycle.copy({"name": "Next Quarter"})
        for index in range(3):
            self._key_results(self._objective(f"Now {index}"), 1)
            self._key_results(
                self._objective(f"Next {index}", cycle_id=other_cycle.id), 1
            )
        objectives = self.env["okr.objective"].search(
            [("owner_id", "=", self.emp_worker.id)]
        )
        self.assertEqual(len(objectives), 6)
        self.assertFalse(any(objectives.mapped("focus_warning")))

    def test_settings_limits(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.okr_max_objectives_per_owner, 5)
        self.assertEqual(settings.okr_max_key_results_per_objective, 5)
        settings.okr_max_objectives_per_owner = 2
        settings.execute()
        self.assertEqual(self.env["okr.objective"]._get_focus_limits(), (2, 5))
        with self.assertRaisesRegex(ValidationError, "Key Results per Objective"):
            self.env["res.config.settings"].create(
                {"okr_max_key_results_per_objective": 0}
            )
