from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import OkrTestCommon


class TestOkrRetrospective(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        KeyResult = cls.env["okr.key.result"]
        cls.kr_scrap = KeyResult.create(
            {
                "name": "Scrap 3 to 1",
                "objective_id": cls.objective.id,
                "direction": "decrease",
                "start_value": 3.0,
                "target_value": 1.0,
            }
        )
        cls.kr_training = KeyResult.create(
            {
                "name": "Operators trained 0 to 12",
                "objective_id": cls.objective.id,
                "start_value": 0,
                "target_value": 12,
            }
        )
        cls.objective_abandoned = cls.env["okr.objective"].create(
            {
                "name": "Paperless line",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_lead.id,
                "state": "active",
            }
        )
        cls.kr_yield.action_check_in(94.5)
        cls.kr_scrap.action_check_in(2.2)
        cls.kr_training.action_check_in(5)
        cls.next_cycle = cls.env["okr.cycle"].create(
            {
                "name": "Next Quarter",
                "date_start": cls.today + timedelta(days=46),
                "date_end": cls.today + timedelta(days=136),
            }
        )

    def _write_retrospective(self):
        self.objective.with_user(self.user_lead).write(
            {
                "retro_what_worked": "Daily huddles at the line",
                "retro_what_did_not": "Supplier resin changes",
                "retro_lessons": "Lock the resin spec before the quarter",
                "retro_decision": "keep",
            }
        )
        self.objective_abandoned.with_user(self.user_lead).retro_decision = "abandon"

    def test_owner_writes_retrospective_others_cannot(self):
        self._write_retrospective()
        self.assertEqual(self.objective.retro_decision, "keep")
        with self.assertRaises(AccessError):
            self.objective.with_user(self.user_qa).write({"retro_lessons": "Mine"})

    def test_carry_over_kept_objectives(self):
        self._write_retrospective()
        self.cycle.action_close()
        wizard_form = Form(
            self.env["okr.carry.over"]
            .with_user(self.user_manager)
            .with_context(active_model="okr.cycle", active_id=self.cycle.id)
        )
        self.assertEqual(wizard_form.source_cycle_id, self.cycle)
        wizard_form.target_cycle_id = self.next_cycle
        self.assertEqual(len(wizard_form.line_ids), 3, "key results of kept objectives")
        for index in range(len(wizard_form.line_ids)):
            with wizard_form.line_ids.edit(index) as line:
                if line.key_result_id == self.kr_training:
                    line.selected = False
        action = wizard_form.save().action_carry_over()

        copy = self.env["okr.objective"].search(action["domain"])
        self.assertEqual(len(copy), 1, "the abandoned objective stays behind")
        self.assertEqual(copy.cycle_id, self.next_cycle)
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.carried_from_id, self.objective)
        self.assertEqual(self.objective.carried_to_ids, copy)
        self.assertEqual(copy.owner_id, self.emp_lead)
        self.assertFalse(copy.retro_decision)

        yield_copy, scrap_copy = copy.key_result_ids.sorted("id")
        self.assertEqual(yield_copy.name, self.kr_yield.name)
        self.assertEqual(yield_copy.start_value, 94.5)
        self.assertEqual(yield_copy.current_value, 94.5)
        self.assertEqual(yield_copy.target_value, 96)
        self.assertEqual(scrap_copy.start_value, 2.2)
        self.assertFalse(copy.key_result_ids.check_in_ids)
        self.assertFalse(copy.key_result_ids.filtered(lambda kr: kr.score))

        # the copy shows the origin's retrospective, also to its owner
        copy_as_lead = copy.with_user(self.user_lead)
        self.assertEqual(
            copy_as_lead.origin_retro_what_worked, "Daily huddles at the line"
        )
        self.assertEqual(
            copy_as_lead.origin_retro_lessons, "Lock the resin spec before the quarter"
        )
        self.assertEqual(copy_as_lead.origin_retro_decision, "keep")

    def test_parent_follows_the_carried_parent(self):
        child = self.env["okr.objective"].create(
            {
                "name": "Line 2 capacity",
                "cycle_id": self.cycle.id,
                "level": "team",
                "owner_id": self.emp_worker.id,
                "parent_id": self.objective.id,
                "retro_decision": "modify",
            }
        )
        self._write_retrospective()
        wizard = (
            self.env["okr.carry.over"]
            .with_user(self.user_manager)
            .create(
                {
                    "source_cycle_id": self.cycle.id,
                    "target_cycle_id": self.next_cycle.id,
                }
            )
        )
        wizard.line_ids.filtered(
            lambda line: line.key_result_id == self.kr_training
        ).selected = False
        wizard.action_carry_over()
        self.assertEqual(child.carried_to_ids.parent_id, self.objective.carried_to_ids)

    def test_user_cannot_carry_over(self):
        self._write_retrospective()
        with self.assertRaises(AccessError):
            self.env["okr.carry.over"].with_user(self.user_lead).create(
                {
                    "source_cycle_id": self.cycle.id,
                    "target_cycle_id": self.next_cycle.id,
                }
            )

    def test_key_result_at_target_refused_with_a_clear_message(self):
        self._write_retrospective()
        self.kr_training.action_check_in(12)
        wizard = (
            self.env["okr.carry.over"]
            .with_user(self.user_manager)
            .create(
                {
                    "source_cycle_id": self.cycle.id,
                    "target_cycle_id": self.next_cycle.id,
                }
            )
        )
        with self.assertRaisesRegex(
            UserError, "Operators trained 0 to 12' already reached"
        ):
            wizard.action_carry_over()
        self.assertFalse(self.objective.carried_to_ids)

    def test_nothing_kept_refused(self):
        wizard = (
            self.env["okr.carry.over"]
            .with_user(self.user_manager)
            .create(
                {
                    "source_cycle_id": self.cycle.id,
                    "target_cycle_id": self.next_cycle.id,
                }
            )
        )
        with self.assertRaisesRegex(UserError, "nothing to carry over"):
            wizard.action_carry_over()
