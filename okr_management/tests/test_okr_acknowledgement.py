from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import OkrTestCommon

FACTS = ("key_result_id", "value", "date", "confidence", "note", "user_id", "source")


@tagged("post_install", "-at_install")
class TestOkrAcknowledgement(OkrTestCommon):
    """The Operator checks in on his key result; his reporting line is Line
    Lead, then Plant Manager (an OKR Manager)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.objective_worker = cls.env["okr.objective"].create(
            {
                "name": "Operator objective",
                "cycle_id": cls.cycle.id,
                "owner_id": cls.emp_worker.id,
                "department_id": cls.dep_prod.id,
                "state": "active",
            }
        )
        cls.kr_worker = cls.env["okr.key.result"].create(
            {
                "name": "Changeover from 45 to 20 minutes",
                "objective_id": cls.objective_worker.id,
                "direction": "decrease",
                "start_value": 45,
                "target_value": 20,
            }
        )
        cls.check_in = cls.env["okr.check.in"].browse(
            cls.kr_worker.with_user(cls.user_worker).action_check_in(38)
        )
        cls.user_manager_other = new_test_user(
            cls.env,
            login="okr_manager_other",
            groups="okr_management.group_okr_manager",
            name="Quality Manager",
        )
        cls.env["hr.employee"].create(
            {
                "name": "Quality Manager",
                "user_id": cls.user_manager_other.id,
                "department_id": cls.dep_qa.id,
            }
        )
        cls.user_peer = new_test_user(
            cls.env,
            login="okr_peer",
            groups="okr_management.group_okr_user",
            name="Peer",
        )
        cls.env["hr.employee"].create(
            {
                "name": "Peer",
                "user_id": cls.user_peer.id,
                "department_id": cls.dep_prod.id,
                "parent_id": cls.emp_manager.id,
            }
        )

    def _as(self, user, records):
        self.env.invalidate_all()
        return records.with_env(self.env(user=user))

    def _facts(self, check_in):
        self.env.invalidate_all()
        return {name: check_in[name] for name in FACTS} | {
            "progress": check_in.progress,
            "kr_value": check_in.key_result_id.current_value,
            "kr_status": check_in.key_result_id.status,
        }

    def test_manager_acknowledges_with_comment(self):
        before = self._facts(self.check_in)
        messages_before = self.kr_worker.message_ids
        self._as(self.user_lead, self.check_in).action_acknowledge(
            note="Good start, keep the sequence."
        )
        self.env.invalidate_all()
        self.assertEqual(self.check_in.acknowledged_by_id, self.user_lead)
        self.assertTrue(self.check_in.acknowledged_date)
        self.assertEqual(
            self.check_in.acknowledgement_note, "Good start, keep the sequence."
        )
        self.assertEqual(self._facts(self.check_in), before)
        message = self.kr_worker.message_ids - messages_before
        self.assertEqual(len(message), 1)
        self.assertIn(self.user_worker.partner_id, message.notified_partner_ids)
        self.assertIn("keep the sequence", message.body)
        with self.assertRaises(UserError):
            self._as(self.user_manager, self.check_in).action_acknowledge()
        self.env.invalidate_all()
        self.assertEqual(self.check_in.acknowledged_by_id, self.user_lead)

    def test_acknowledge_with_comment_from_the_form(self):
        """The form's button opens the comment dialog, as the web client does."""
        check_in = self._as(self.user_lead, self.check_in)
        action = check_in.action_open_acknowledge_wizard()
        Wizard = self.env(user=self.user_lead)[action["res_model"]].with_context(
            **action["context"]
        )
        with Form(Wizard) as wizard:
            wizard.note = "Seen: the die change is planned for Monday."
        wizard.save().action_confirm()
        self.env.invalidate_all()
        self.assertEqual(self.check_in.acknowledged_by_id, self.user_lead)
        self.assertEqual(
            self.check_in.acknowledgement_note,
            "Seen: the die change is planned for Monday.",
        )
        # someone who may not acknowledge gets the refusal through the dialog too
        peer_wizard = (
            self.env(user=self.user_qa)["okr.check.in.acknowledge"]
            .sudo()
            .create({"check_in_ids": [(6, 0, self.check_in.ids)]})
            .with_user(self.user_qa)
        )
        with self.assertRaises(UserError):
            peer_wizard.action_confirm()
        self.assertEqual(self.check_in.acknowledged_by_id, self.user_lead)

    def test_manager_chain_and_okr_manager(self):
        other = self.env["okr.check.in"].browse(
            self.kr_worker.with_user(self.user_worker).action_check_in(
                36, date=self.today - timedelta(days=1)
            )
        )
        self._as(self.user_manager, self.check_in).action_acknowledge()
        self._as(self.user_manager_other, other).action_acknowledge()
        self.env.invalidate_all()
        self.assertEqual(self.check_in.acknowledged_by_id, self.user_manager)
        self.assertEqual(other.acknowledged_by_id, self.user_manager_other)
        self.assertFalse(other.acknowledgement_note)

    def test_others_and_oneself_are_refused(self):
        before = self._facts(self.check_in)
        for user in (self.user_worker, self.user_peer, self.user_qa):
            with self.assertRaises(AccessError, msg=user.name):
                self._as(user, self.check_in).action_acknowledge(note="Fine")
        # a manager's own check-in on the key result he manages
        own = self.env["okr.check.in"].browse(
            self.kr_worker.with_user(self.user_lead).action_check_in(
                37, date=self.today - timedelta(days=1)
            )
        )
        with self.assertRaises(AccessError):
            self._as(self.user_lead, own).action_acknowledge()
        self.env.invalidate_all()
        self.assertFalse(self.check_in.acknowledged_by_id)
        self.assertFalse(own.acknowledged_by_id)
        self.assertEqual(self._facts(self.check_in), before)

    def test_acknowledgement_fields_not_written_directly(self):
        for user in (self.user_lead, self.user_worker, self.user_manager):
            with self.assertRaises(AccessError, msg=user.name):
                self._as(user, self.check_in).write(
                    {"acknowledged_by_id": user.id, "acknowledgement_note": "x"}
                )
        with self.assertRaises(AccessError):
            self._as(self.user_worker, self.env["okr.check.in"]).create(
                {
                    "key_result_id": self.kr_worker.id,
                    "value": 30,
                    "acknowledged_by_id": self.user_lead.id,
                }
            )
        self.env.invalidate_all()
        self.assertFalse(self.check_in.acknowledged_by_id)
        self.assertFalse(self.check_in.acknowledgement_note)
        self.assertFalse(
            self.env["okr.check.in"].search_count(
                [
                    ("key_result_id", "=", self.kr_worker.id),
                    ("acknowledged_by_id", "!=", False),
                ]
            )
        )

    def test_to_acknowledge_filter(self):
        own = self.env["okr.check.in"].browse(
            self.kr_worker.with_user(self.user_lead).action_check_in(
                37, date=self.today - timedelta(days=1)
            )
        )
        domain = [
            ("to_acknowledge", "=", True),
            ("key_result_id", "=", self.kr_worker.id),
        ]
        CheckIn = self._as(self.user_lead, self.env["okr.check.in"])
        self.assertEqual(CheckIn.search(domain).ids, self.check_in.ids)
        self.assertNotIn(own, CheckIn.search(domain))
        self.assertFalse(
            self._as(self.user_peer, self.env["okr.check.in"]).search(domain)
        )
        self.assertEqual(
            self._as(self.user_manager, self.env["okr.check.in"]).search(domain).ids,
            (self.check_in | own).ids,
        )
        self._as(self.user_lead, self.check_in).action_acknowledge()
        CheckIn = self._as(self.user_lead, self.env["okr.check.in"])
        self.assertFalse(CheckIn.search(domain))

    def test_adoption_feedback_rate(self):
        """Production: the check-ins of the last 14 days on its key results,
        against those acknowledged, counted by hand."""
        CheckIn = self.env["okr.check.in"]
        extra = CheckIn.browse(
            [
                self.kr_yield.action_check_in(93, date=self.today - timedelta(days=3)),
                self.kr_yield.action_check_in(94, date=self.today - timedelta(days=20)),
            ]
        )
        self._as(self.user_lead, self.check_in).action_acknowledge()
        # the old one is acknowledged but out of the 14 days
        self._as(self.user_manager, extra[1]).action_acknowledge()
        self.env.flush_all()
        recent = CheckIn.search(
            [
                ("objective_id.department_id", "=", self.dep_prod.id),
                ("cycle_id", "=", self.cycle.id),
                ("date", ">=", self.today - timedelta(days=14)),
            ]
        )
        self.assertEqual(len(recent), 2)
        row = self.env["okr.adoption.report"].search(
            [("cycle_id", "=", self.cycle.id), ("department_id", "=", self.dep_prod.id)]
        )
        self.assertEqual(row.recent_check_in_count, 2)
        self.assertEqual(row.acknowledged_check_in_count, 1)
        self.assertAlmostEqual(row.feedback_rate, 50.0)
