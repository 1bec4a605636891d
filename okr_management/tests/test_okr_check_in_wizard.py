from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .common import OkrTestCommon


class TestOkrCheckInWizard(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kr_worker = cls.env["okr.key.result"].create(
            {
                "name": "Changeovers under 20 min",
                "objective_id": cls.objective.id,
                "owner_id": cls.emp_worker.id,
                "start_value": 0,
                "target_value": 10,
                "sequence": 20,
            }
        )
        cls.objective_qa = cls.env["okr.objective"].create(
            {
                "name": "Fewer complaints",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_qa.id,
                "state": "active",
            }
        )
        cls.kr_qa = cls.env["okr.key.result"].create(
            {
                "name": "Complaints 12 to 4",
                "objective_id": cls.objective_qa.id,
                "direction": "decrease",
                "start_value": 12,
                "target_value": 4,
            }
        )

    def _wizard_form(self, user, record):
        action = record.with_user(user).action_open_check_in_wizard()
        self.assertEqual(action["res_model"], "okr.check.in.wizard")
        return Form(
            self.env["okr.check.in.wizard"]
            .with_user(user)
            .with_context(**action["context"])
        )

    # ------------------------------------------------------------------
    # Quick check-in
    # ------------------------------------------------------------------
    def test_quick_check_in_from_key_result(self):
        self.kr_yield.action_check_in(93, confidence=7)
        form = self._wizard_form(self.user_lead, self.kr_yield)
        self.assertEqual(form.key_result_id, self.kr_yield)
        self.assertEqual(form.value, 93, "defaults to the current value")
        self.assertEqual(form.confidence, 7, "defaults to the current confidence")
        form.value = 94.5
        form.confidence = 8
        form.note = "New fixture on line 2"
        wizard = form.save()
        wizard.action_confirm()
        check_in = wizard.check_in_id
        self.assertEqual(check_in.key_result_id, self.kr_yield)
        self.assertEqual(check_in.user_id, self.user_lead)
        self.assertEqual(check_in.source, "manual")
        self.assertEqual(check_in.note, "New fixture on line 2")
        self.assertEqual(self.kr_yield.current_value, 94.5)
        self.assertEqual(self.kr_yield.confidence, 8)
        self.assertAlmostEqual(self.kr_yield.progress, 0.625)

    def test_quick_check_in_defaults_before_first_check_in(self):
        form = self._wizard_form(self.user_lead, self.kr_yield)
        self.assertEqual(form.value, 92, "the start value before any check-in")
        self.assertEqual(form.confidence, 5, "the check-in default confidence")

    def test_quick_check_in_from_objective_picks_own_key_result(self):
        """From a card the wizard proposes the first key result the user may
        check in on: the operator's own, not the lead's."""
        form = self._wizard_form(self.user_worker, self.objective)
        self.assertEqual(form.objective_id, self.objective)
        self.assertEqual(form.key_result_id, self.kr_worker)
        form.value = 3
        form.save().action_confirm()
        self.assertEqual(self.kr_worker.current_value, 3)
        self.assertFalse(self.kr_yield.check_in_ids)

    def test_quick_check_in_and_next(self):
        form = self._wizard_form(self.user_lead, self.objective)
        self.assertEqual(form.key_result_id, self.kr_yield)
        form.value = 93
        action = form.save().action_confirm_next()
        self.assertEqual(action["res_model"], "okr.check.in.wizard")
        self.assertEqual(action["context"]["default_key_result_id"], self.kr_worker.id)
        form = Form(
            self.env["okr.check.in.wizard"]
            .with_user(self.user_lead)
            .with_context(**action["context"])
        )
        form.value = 4
        last = form.save().action_confirm_next()
        self.assertEqual(last["type"], "ir.actions.act_window_close")
        self.assertEqual(self.kr_yield.current_value, 93)
        self.assertEqual(self.kr_worker.current_value, 4)

    def test_quick_check_in_refused_on_foreign_key_result(self):
        form = self._wizard_form(self.user_qa, self.kr_yield)
        self.assertEqual(form.key_result_id, self.kr_yield)
        wizard = form.save()
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertFalse(self.kr_yield.check_in_ids)

    def test_quick_check_in_bad_confidence(self):
        form = self._wizard_form(self.user_lead, self.kr_yield)
        form.value = 94
        form.confidence = 11
        wizard = form.save()
        with self.assertRaisesRegex(ValidationError, "Confidence"):
            with self.env.cr.savepoint():
                wizard.action_confirm()
        self.assertFalse(self.kr_yield.check_in_ids)

    # ------------------------------------------------------------------
    # Team check-in wizard
    # ------------------------------------------------------------------
    def test_team_check_in_lists_the_team(self):
        form = Form(self.env["okr.team.check.in"].with_user(self.user_lead))
        self.assertEqual(form.department_id, self.dep_prod)
        self.assertEqual(form.cycle_id, self.cycle)
        key_results = form.line_ids._records
        self.assertEqual(
            {line["key_result_id"] for line in key_results},
            {self.kr_yield.id, self.kr_worker.id},
            "the production team's key results, not Quality's",
        )

    def test_team_check_in_only_changed_lines(self):
        before = self.env["okr.check.in"].search_count([])
        form = Form(self.env["okr.team.check.in"].with_user(self.user_lead))
        for index in range(len(form.line_ids)):
            with form.line_ids.edit(index) as line:
                if line.key_result_id == self.kr_worker:
                    self.assertEqual(line.current_value, 0)
                    line.new_value = 6
                    line.note = "Second SMED workshop"
        wizard = form.save()
        wizard.action_confirm()
        check_ins = self.env["okr.check.in"].search([], limit=None)
        self.assertEqual(len(check_ins) - before, 1, "one check-in per changed line")
        self.assertEqual(self.kr_worker.current_value, 6)
        self.assertEqual(self.kr_worker.check_in_ids.note, "Second SMED workshop")
        self.assertEqual(self.kr_worker.check_in_ids.user_id, self.user_lead)
        self.assertFalse(self.kr_yield.check_in_ids, "unchanged line: no check-in")

    def test_team_check_in_nothing_changed(self):
        wizard = Form(self.env["okr.team.check.in"].with_user(self.user_lead)).save()
        with self.assertRaisesRegex(UserError, "nothing changed"):
            wizard.action_confirm()
        self.assertFalse((self.kr_yield | self.kr_worker).check_in_ids)

    def test_team_check_in_my_reports(self):
        """The manager's reports: lead, operator and QA engineer below him."""
        form = Form(self.env["okr.team.check.in"].with_user(self.user_manager))
        form.team_type = "reports"
        self.assertEqual(form.manager_id, self.emp_manager)
        key_result_ids = {line["key_result_id"] for line in form.line_ids._records}
        self.assertEqual(
            key_result_ids, {self.kr_yield.id, self.kr_worker.id, self.kr_qa.id}
        )

    def test_team_check_in_hides_what_user_cannot_check_in(self):
        """An operator picking the production department sees only the key
        results he may check in on: his own."""
        form = Form(self.env["okr.team.check.in"].with_user(self.user_worker))
        key_result_ids = {line["key_result_id"] for line in form.line_ids._records}
        self.assertEqual(key_result_ids, {self.kr_worker.id})

    def test_team_check_in_refuses_a_foreign_line(self):
        """A line sent over RPC for a key result the user may not check in on
        is refused, and nothing is recorded."""
        wizard = (
            self.env["okr.team.check.in"]
            .with_user(self.user_qa)
            .create(
                {
                    "cycle_id": self.cycle.id,
                    "team_type": "department",
                    "department_id": self.dep_prod.id,
                }
            )
        )
        wizard.line_ids = [
            (
                0,
                0,
                {
                    "key_result_id": self.kr_yield.id,
                    "current_value": 92,
                    "new_value": 95,
                    "confidence": 5,
                },
            )
        ]
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertFalse(self.kr_yield.check_in_ids)
