from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrCommitment(OkrTestCommon):
    """Production's objective (owner: Line Lead) needs Quality: the QA
    Engineer answers for Quality's commitment, the QA Head manages Quality."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_qa_head = new_test_user(
            cls.env,
            login="okr_qa_head",
            groups="okr_management.group_okr_user",
            name="QA Head",
        )
        cls.emp_qa_head = cls.env["hr.employee"].create(
            {
                "name": "QA Head",
                "user_id": cls.user_qa_head.id,
                "department_id": cls.dep_qa.id,
            }
        )
        cls.dep_qa.manager_id = cls.emp_qa_head
        cls.dep_sales = cls.env["hr.department"].create({"name": "Sales Test"})
        cls.user_sales = new_test_user(
            cls.env,
            login="okr_sales",
            groups="okr_management.group_okr_user",
            name="Sales Rep",
        )
        cls.env["hr.employee"].create(
            {
                "name": "Sales Rep",
                "user_id": cls.user_sales.id,
                "department_id": cls.dep_sales.id,
            }
        )
        cls.objective.visibility = "department"
        cls.activity_type = cls.env.ref(
            "okr_management.mail_activity_type_okr_commitment_overdue"
        )

    def _commit(self, deadline_days, **values):
        return self.env["okr.commitment"].create(
            {
                "name": "Inspection plan for the new fixture",
                "objective_id": self.objective.id,
                "department_id": self.dep_qa.id,
                "user_id": self.user_qa.id,
                "date_deadline": self.today + timedelta(days=deadline_days),
                **values,
            }
        )

    def _escalations(self, commitment):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "okr.commitment"),
                ("res_id", "=", commitment.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def _as(self, user, records):
        self.env.invalidate_all()
        return records.with_env(self.env(user=user))

    # ------------------------------------------------------------------
    # Model
    # ------------------------------------------------------------------
    def test_support_departments_derive_from_commitments(self):
        self.assertFalse(self.objective.support_department_ids)
        commitment = self._commit(10)
        self.assertEqual(self.objective.support_department_ids, self.dep_qa)
        self._commit(12, department_id=self.dep_prod.id)
        # the primary department does not support itself
        self.assertEqual(self.objective.support_department_ids, self.dep_qa)
        commitment.action_cancel()
        self.assertFalse(self.objective.support_department_ids)
        commitment.action_reopen()
        self.assertEqual(self.objective.support_department_ids, self.dep_qa)

    def test_contact_defaults_to_department_manager(self):
        commitment = self.env["okr.commitment"].create(
            {
                "name": "Gauge study",
                "objective_id": self.objective.id,
                "department_id": self.dep_qa.id,
                "date_deadline": self.today,
            }
        )
        self.assertEqual(commitment.user_id, self.user_qa_head)

    def test_deadline_within_cycle(self):
        for days in (-46, 46):
            with self.assertRaisesRegex(ValidationError, "Deadline"):
                self._commit(days)
        commitment = self._commit(45)
        with self.assertRaisesRegex(ValidationError, "Deadline"):
            commitment.date_deadline = self.today - timedelta(days=50)

    def test_key_result_of_the_objective(self):
        other = self.env["okr.objective"].create(
            {
                "name": "Other",
                "cycle_id": self.cycle.id,
                "owner_id": self.emp_lead.id,
            }
        )
        other_kr = self.env["okr.key.result"].create(
            {"name": "Other KR", "objective_id": other.id, "target_value": 1}
        )
        with self.assertRaisesRegex(ValidationError, "Key Result"):
            self._commit(5, key_result_id=other_kr.id)
        self.assertEqual(
            self._commit(5, key_result_id=self.kr_yield.id).key_result_id,
            self.kr_yield,
        )

    def test_private_objective_takes_no_commitment(self):
        self.objective.visibility = "private"
        with self.assertRaisesRegex(ValidationError, "private"):
            self._commit(5)
        self.objective.visibility = "department"
        self._commit(5)
        with self.assertRaisesRegex(ValidationError, "Visibility"):
            self.objective.visibility = "private"

    def test_changes_are_tracked(self):
        commitment = self._commit(10)
        # as if created in an earlier transaction: Odoo tracks no change of a
        # record in the transaction that created it
        self.env.cr.precommit.run()
        commitment.write({"user_id": self.user_qa_head.id, "date_deadline": self.today})
        commitment.action_done()
        self.env.cr.precommit.run()
        tracked = commitment.message_ids.tracking_value_ids.field_id.mapped("name")
        self.assertIn("user_id", tracked)
        self.assertIn("date_deadline", tracked)
        self.assertIn("state", tracked)

    # ------------------------------------------------------------------
    # Status and escalation
    # ------------------------------------------------------------------
    def test_overdue_commitment_holds_status_at_risk(self):
        self.kr_yield.action_check_in(96)
        self.assertEqual(self.objective.status, "on_track")
        commitment = self._commit(-3)
        self.assertTrue(commitment.is_overdue)
        self.assertEqual(self.objective.overdue_commitment_count, 1)
        self.assertEqual(self.objective.status, "at_risk")
        commitment.action_done()
        self.assertEqual(self.objective.overdue_commitment_count, 0)
        self.assertEqual(self.objective.status, "on_track")

    def test_overdue_follows_the_calendar(self):
        self.kr_yield.action_check_in(96)
        self._commit(2)
        self.assertEqual(self.objective.status, "on_track")
        with freeze_time(self.today + timedelta(days=5)):
            self.env["okr.cycle"]._cron_update_status()
            self.assertEqual(self.objective.status, "at_risk")
            self.assertEqual(self.objective.overdue_commitment_count, 1)

    def test_off_track_stays_off_track(self):
        self.assertEqual(self.objective.status, "off_track")
        self._commit(-3)
        self.assertEqual(self.objective.status, "off_track")

    def test_escalation_once_across_runs(self):
        overdue = self._commit(-3)
        not_due = self._commit(3, name="Gauge study")
        done = self._commit(-5, name="Control plan")
        done.action_done()
        Commitment = self.env["okr.commitment"]
        for _run in range(3):
            Commitment._cron_escalate_overdue()
        activities = self._escalations(overdue)
        self.assertEqual(len(activities), 2)
        self.assertEqual(
            set(activities.user_id.ids), {self.user_qa.id, self.user_qa_head.id}
        )
        self.assertEqual(overdue.escalated_date, self.today)
        self.assertFalse(self._escalations(not_due))
        self.assertFalse(self._escalations(done))
        escalation_notes = self.objective.message_ids.filtered(
            lambda message: overdue.name in (message.body or "")
        )
        self.assertEqual(len(escalation_notes), 1)
        self.assertIn("escalated", escalation_notes.body)
        # done: the escalation activities are closed
        overdue.action_done()
        self.assertFalse(self._escalations(overdue))
        Commitment._cron_escalate_overdue()
        self.assertFalse(self._escalations(overdue))

    def test_new_deadline_new_escalation(self):
        commitment = self._commit(-3)
        self.env["okr.commitment"]._cron_escalate_overdue()
        self.assertEqual(len(self._escalations(commitment)), 2)
        commitment.date_deadline = self.today + timedelta(days=4)
        self.assertFalse(commitment.escalated_date)
        self.assertFalse(self._escalations(commitment))
        with freeze_time(self.today + timedelta(days=6)):
            self.env["okr.commitment"]._cron_escalate_overdue()
            self.env["okr.commitment"]._cron_escalate_overdue()
            self.assertEqual(len(self._escalations(commitment)), 2)

    # ------------------------------------------------------------------
    # Rights, as non-admin users in fresh environments
    # ------------------------------------------------------------------
    def test_contact_marks_done_only(self):
        commitment = self._commit(5)
        as_contact = self._as(self.user_qa, commitment)
        self.assertEqual(as_contact.name, commitment.name)
        for vals in (
            {"name": "Nothing"},
            {"date_deadline": self.today + timedelta(days=30)},
            {"user_id": self.user_sales.id},
        ):
            with self.assertRaises(AccessError, msg=vals):
                as_contact.write(vals)
        with self.assertRaises(UserError):
            as_contact.write({"state": "done"})
        with self.assertRaises(AccessError):
            as_contact.action_cancel()
        with self.assertRaises(AccessError):
            as_contact.unlink()
        self.env.invalidate_all()
        self.assertEqual(commitment.name, "Inspection plan for the new fixture")
        self.assertEqual(commitment.date_deadline, self.today + timedelta(days=5))
        self.assertEqual(commitment.user_id, self.user_qa)
        self.assertEqual(commitment.state, "open")
        as_contact = self._as(self.user_qa, commitment)
        as_contact.action_done()
        self.env.invalidate_all()
        self.assertEqual(commitment.state, "done")
        self.assertEqual(commitment.date_done, self.today)

    def test_other_department_is_refused(self):
        commitment = self._commit(5)
        Commitment = self._as(self.user_sales, self.env["okr.commitment"])
        with self.assertRaises(AccessError):
            Commitment.create(
                {
                    "name": "Rogue",
                    "objective_id": self.objective.id,
                    "department_id": self.dep_sales.id,
                    "user_id": self.user_sales.id,
                    "date_deadline": self.today,
                }
            )
        # a department objective of Production: Sales does not even read it
        self.assertFalse(Commitment.search([("id", "=", commitment.id)]))
        as_sales = self._as(self.user_sales, commitment)
        for call in (
            lambda: as_sales.write({"name": "Mine"}),
            as_sales.action_done,
            as_sales.unlink,
        ):
            with self.assertRaises(AccessError):
                call()
        self.env.invalidate_all()
        self.assertEqual(commitment.state, "open")
        self.assertEqual(commitment.name, "Inspection plan for the new fixture")
        self.assertEqual(
            self.env["okr.commitment"].search_count(
                [("objective_id", "=", self.objective.id)]
            ),
            1,
        )

    def test_department_manager_reads_but_does_not_change(self):
        commitment = self._commit(5, user_id=self.user_qa.id)
        as_head = self._as(self.user_qa_head, commitment)
        self.assertEqual(as_head.name, commitment.name)
        with self.assertRaises(AccessError):
            as_head.write({"user_id": self.user_qa_head.id})
        with self.assertRaises(AccessError):
            as_head.action_done()
        self.env.invalidate_all()
        self.assertEqual(commitment.user_id, self.user_qa)
        self.assertEqual(commitment.state, "open")

    def test_objective_managers_steer_commitments(self):
        Commitment = self._as(self.user_lead, self.env["okr.commitment"])
        commitment = Commitment.create(
            {
                "name": "Control plan",
                "objective_id": self.objective.id,
                "department_id": self.dep_qa.id,
                "user_id": self.user_qa.id,
                "date_deadline": self.today + timedelta(days=5),
            }
        )
        commitment.write({"date_deadline": self.today + timedelta(days=9)})
        commitment.action_cancel()
        commitment.action_reopen()
        # the owner's manager (an OKR Manager) closes it
        as_manager = self._as(self.user_manager, commitment)
        as_manager.action_done()
        self.env.invalidate_all()
        self.assertEqual(commitment.state, "done")
        self.assertEqual(commitment.date_deadline, self.today + timedelta(days=9))
        self._as(self.user_lead, commitment).unlink()
        self.assertFalse(commitment.exists())

    def test_direct_writes_of_action_fields_refused(self):
        Commitment = self._as(self.user_lead, self.env["okr.commitment"])
        with self.assertRaises(UserError):
            Commitment.create(
                {
                    "name": "Done already",
                    "objective_id": self.objective.id,
                    "department_id": self.dep_qa.id,
                    "user_id": self.user_qa.id,
                    "date_deadline": self.today,
                    "state": "done",
                }
            )
        commitment = self._commit(-3)
        as_lead = self._as(self.user_lead, commitment)
        for vals in (
            {"escalated_date": self.today},
            {"date_done": self.today},
            {"state": "cancelled"},
        ):
            with self.assertRaises(UserError, msg=vals):
                as_lead.write(vals)
        self.env.invalidate_all()
        self.assertFalse(commitment.escalated_date)
        self.assertEqual(commitment.state, "open")
