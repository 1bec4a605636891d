from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrComputedKeyResults(OkrTestCommon):
    """Key results computed from their source offer no check-in by hand and
    say where their value comes from; lists never sum values of different
    units."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_objective = cls.env["okr.objective"].create(
            {
                "name": "Capacity +20%",
                "cycle_id": cls.cycle.id,
                "level": "company",
                "owner_id": cls.emp_manager.id,
                "state": "active",
            }
        )
        cls.kr_aligned = cls.env["okr.key.result"].create(
            {
                "name": "Departments deliver their part",
                "objective_id": cls.company_objective.id,
                "source": "aligned",
                "start_value": 0,
                "target_value": 100,
                "unit": "%",
                "sequence": 1,
            }
        )
        cls.kr_manual = cls.env["okr.key.result"].create(
            {
                "name": "Orders shipped from 900 to 1,200",
                "objective_id": cls.company_objective.id,
                "start_value": 900,
                "target_value": 1200,
                "unit": "orders",
                "sequence": 2,
            }
        )

    def test_is_computed_follows_the_source(self):
        self.assertTrue(self.kr_aligned.is_computed)
        self.assertFalse(self.kr_manual.is_computed)
        KeyResult = self.env["okr.key.result"]
        domain = [("objective_id", "=", self.company_objective.id)]
        self.assertEqual(
            KeyResult.search([*domain, ("is_computed", "=", True)]), self.kr_aligned
        )
        self.assertEqual(
            KeyResult.search([*domain, ("is_computed", "!=", True)]), self.kr_manual
        )
        with self.assertRaises(UserError):
            KeyResult.search([("is_computed", "in", [True])])
        self.kr_aligned.source = "manual"
        self.assertFalse(self.kr_aligned.is_computed)

    def test_last_refresh_note_says_where_the_value_comes_from(self):
        self.assertEqual(self.kr_aligned.last_refresh_note, "Not refreshed yet.")
        self.assertFalse(self.kr_manual.last_refresh_note)
        self.objective.write(
            {
                "parent_id": self.company_objective.id,
                "parent_key_result_id": self.kr_aligned.id,
            }
        )
        self.kr_yield.with_user(self.user_lead).action_check_in(94)
        self.kr_aligned.invalidate_recordset(["last_refresh_note"])
        note = self.kr_aligned.last_refresh_note
        self.assertIn("aligned objectives", note)
        self.assertTrue(
            note.startswith(format_date(self.env, self.kr_aligned.last_check_in_date))
        )

    def test_quick_check_in_skips_computed_key_results(self):
        """The card's check-in opens on the first key result taking check-ins,
        and the computed one cannot be picked."""
        self.assertEqual(self.company_objective.key_result_count, 2)
        self.assertEqual(self.company_objective.manual_key_result_count, 1)
        action = self.company_objective.with_user(
            self.user_manager
        ).action_open_check_in_wizard()
        form = Form(
            self.env["okr.check.in.wizard"]
            .with_user(self.user_manager)
            .with_context(**action["context"])
        )
        self.assertEqual(form.key_result_id, self.kr_manual)
        choices = self.env["okr.key.result"].search(
            [
                ("objective_id", "=", self.company_objective.id),
                ("cycle_state", "!=", "closed"),
                ("metric_type", "!=", "milestone"),
                ("is_computed", "=", False),
            ]
        )
        self.assertEqual(choices, self.kr_manual)
        wizard_domain = self.env["okr.check.in.wizard"]._fields["key_result_id"].domain
        self.assertIn("('is_computed', '=', False)", wizard_domain)

    def test_no_check_in_entry_without_manual_key_result(self):
        self.kr_manual.source = "aligned"
        self.company_objective.invalidate_recordset(["manual_key_result_count"])
        self.assertEqual(self.company_objective.manual_key_result_count, 0)
        form = Form(
            self.env["okr.check.in.wizard"]
            .with_user(self.user_manager)
            .with_context(default_objective_id=self.company_objective.id)
        )
        self.assertFalse(form.key_result_id)

    def test_grouped_lists_do_not_sum_values_of_different_units(self):
        """Grouped by owner, values of different units are not added up: the
        group shows its count, the mean progress and the mean confidence."""
        for model, names in (
            ("okr.key.result", ("start_value", "target_value", "current_value")),
            ("okr.check.in", ("value",)),
        ):
            fields_info = self.env[model].fields_get(
                [*names, "progress", "confidence"], ["aggregator"]
            )
            for name in names:
                self.assertFalse(fields_info[name].get("aggregator"), name)
            self.assertEqual(fields_info["progress"]["aggregator"], "avg")
            self.assertEqual(fields_info["confidence"]["aggregator"], "avg")
        self.kr_manual.action_check_in(1050, confidence=8)
        groups = self.env["okr.key.result"].read_group(
            [("objective_id", "=", self.company_objective.id)],
            ["current_value", "target_value", "progress", "confidence"],
            ["owner_id"],
        )
        self.assertEqual(len(groups), 1)
        group = groups[0]
        self.assertEqual(group["owner_id_count"], 2)
        self.assertNotIn("current_value", group)
        self.assertNotIn("target_value", group)
        self.assertAlmostEqual(group["progress"], 0.25)
        self.assertEqual(group["confidence"], 4)
