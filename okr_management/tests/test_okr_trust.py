"""Nobody forges, erases or peeks at an OKR figure (issue: trust).

Each test acts as a non-admin user in a fresh environment, as a JSON-RPC call
does, and asserts both the refusal and that nothing changed.
"""

import logging
from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrTrust(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.check_in = cls.env["okr.check.in"].browse(
            cls.kr_yield.with_user(cls.user_lead).action_check_in(93, confidence=6)
        )
        cls.qa_objective = cls.env["okr.objective"].create(
            {
                "name": "Zero escapes",
                "cycle_id": cls.cycle.id,
                "level": "individual",
                "owner_id": cls.emp_qa.id,
                "department_id": cls.dep_qa.id,
                "state": "active",
            }
        )
        cls.kr_qa = cls.env["okr.key.result"].create(
            {
                "name": "Escapes",
                "objective_id": cls.qa_objective.id,
                "direction": "decrease",
                "start_value": 5,
                "target_value": 0,
            }
        )

    def _env(self, user):
        self.env.invalidate_all()
        return self.env(user=user)

    # ------------------------------------------------------------------
    # 1. Check-ins are facts
    # ------------------------------------------------------------------
    def test_check_in_facts_cannot_be_rewritten(self):
        check_in = self._env(self.user_lead)["okr.check.in"].browse(self.check_in.id)
        for vals in (
            {"value": 96},
            {"date": self.today - timedelta(days=3)},
            {"source": "api"},
            {"user_id": self.user_manager.id},
            {"confidence": 10},
            {"key_result_id": self.kr_qa.id},
            {"company_id": self.env.company.id},
        ):
            with self.assertRaisesRegex(AccessError, "cannot be written"):
                check_in.write(vals)
        # the manager cannot either, and the note stays editable
        manager_check_in = self._env(self.user_manager)["okr.check.in"].browse(
            self.check_in.id
        )
        with self.assertRaises(AccessError):
            manager_check_in.write({"value": 99})
        check_in.write({"note": "second shift included"})
        self.env.invalidate_all()
        self.assertEqual(self.check_in.value, 93)
        self.assertEqual(self.check_in.confidence, 6)
        self.assertEqual(self.check_in.key_result_id, self.kr_yield)
        self.assertEqual(self.check_in.source, "manual")
        self.assertEqual(self.check_in.user_id, self.user_lead)
        self.assertEqual(self.check_in.note, "second shift included")
        self.assertEqual(self.kr_yield.current_value, 93)
        self.assertFalse(self.kr_qa.check_in_ids)

    def test_server_sets_source_and_author(self):
        CheckIn = self._env(self.user_lead)["okr.check.in"]
        check_in = CheckIn.create(
            {
                "key_result_id": self.kr_yield.id,
                "value": 94,
                "source": "aligned",
                "user_id": self.user_manager.id,
            }
        )
        self.assertEqual(check_in.source, "manual")
        self.assertEqual(check_in.user_id, self.user_lead)
        with self.assertRaisesRegex(AccessError, "cannot be written"):
            CheckIn.create(
                {"key_result_id": self.kr_yield.id, "value": 95, "progress": 1.0}
            )
        self.assertEqual(
            self.env["okr.check.in"].search_count(
                [("key_result_id", "=", self.kr_yield.id)]
            ),
            2,
        )

    def test_check_in_on_a_foreign_key_result_is_refused(self):
        CheckIn = self._env(self.user_lead)["okr.check.in"]
        with self.assertRaises(AccessError):
            CheckIn.create({"key_result_id": self.kr_qa.id, "value": 1})
        self.assertFalse(self.kr_qa.check_in_ids)

    def test_deleting_check_ins_of_closed_cycles_and_computed_key_results(self):
        self.kr_yield.with_user(self.user_manager).write({"source": "aligned"})
        with self.assertRaisesRegex(UserError, "cannot be checked in by hand"):
            self._env(self.user_lead)["okr.check.in"].browse(self.check_in.id).unlink()
        self.assertTrue(self.check_in.exists())
        self.kr_yield.with_user(self.user_manager).write({"source": "manual"})
        self.cycle.with_user(self.user_manager).action_close()
        with self.assertRaisesRegex(UserError, "is closed"):
            self._env(self.user_manager)["okr.check.in"].browse(
                self.check_in.id
            ).unlink()
        self.assertTrue(self.check_in.exists())

    # ------------------------------------------------------------------
    # 2. Computed and graded figures
    # ------------------------------------------------------------------
    def test_computed_figures_refuse_direct_writes(self):
        progress, status = self.kr_yield.progress, self.kr_yield.status
        for user in (self.user_lead, self.user_manager):
            key_result = self._env(user)["okr.key.result"].browse(self.kr_yield.id)
            objective = self._env(user)["okr.objective"].browse(self.objective.id)
            for vals in (
                {"progress": 1.0},
                {"current_value": 96},
                {"confidence": 10},
                {"status": "on_track"},
                {"last_check_in_date": self.today},
                {"score": 1.0},
                {"score_graded": True},
                {"target_reached_date": self.today},
                {"cycle_id": self.cycle.id},
            ):
                with self.assertRaisesRegex(AccessError, "cannot be written"):
                    key_result.write(vals)
            for vals in ({"progress": 1.0}, {"score": 1.0}, {"status": "on_track"}):
                with self.assertRaisesRegex(AccessError, "cannot be written"):
                    objective.write(vals)
        self.env.invalidate_all()
        self.assertEqual(self.kr_yield.progress, progress)
        self.assertEqual(self.kr_yield.status, status)
        self.assertEqual(self.kr_yield.current_value, 93)
        self.assertEqual(self.kr_yield.score, 0.0)
        self.assertFalse(self.kr_yield.score_graded)
        self.assertFalse(self.kr_yield.target_reached_date)

    def test_grading_is_a_managers_action_recorded(self):
        with self.assertRaises(AccessError):
            self._env(self.user_lead)["okr.key.result"].browse(
                self.kr_yield.id
            ).action_grade(1.0)
        self._env(self.user_manager)["okr.key.result"].browse(
            self.kr_yield.id
        ).action_grade(0.8)
        self.env.invalidate_all()
        self.assertAlmostEqual(self.kr_yield.score, 0.8)
        self.assertTrue(self.kr_yield.score_graded)
        self.assertEqual(self.kr_yield.graded_by_id, self.user_manager)
        self.assertTrue(self.kr_yield.graded_date)
        for bad in (1.5, -0.1, "nan", "high"):
            with self.assertRaisesRegex(UserError, "Score"):
                self._env(self.user_manager)["okr.key.result"].browse(
                    self.kr_yield.id
                ).action_grade(bad)
        self.assertAlmostEqual(self.kr_yield.score, 0.8)

    def test_nobody_grades_their_own_key_result(self):
        own = self.env["okr.key.result"].create(
            {
                "name": "Plant OEE",
                "objective_id": self.objective.id,
                "owner_id": self.emp_manager.id,
                "target_value": 85,
            }
        )
        with self.assertRaisesRegex(AccessError, "is yours"):
            self._env(self.user_manager)["okr.key.result"].browse(own.id).action_grade(
                1.0
            )
        self.assertFalse(own.score_graded)
        self.assertEqual(own.score, 0.0)

    # ------------------------------------------------------------------
    # 3. Structure follows rights
    # ------------------------------------------------------------------
    def test_key_results_join_only_writable_objectives(self):
        KeyResult = self._env(self.user_lead)["okr.key.result"]
        count = self.env["okr.key.result"].search_count([])
        # owning the new key result is not enough: the objective is QA's
        with self.assertRaises(AccessError):
            KeyResult.create(
                {
                    "name": "Planted",
                    "objective_id": self.qa_objective.id,
                    "owner_id": self.emp_lead.id,
                    "target_value": 3,
                }
            )
        with self.assertRaises(AccessError):
            KeyResult.browse(self.kr_yield.id).write(
                {"objective_id": self.qa_objective.id}
            )
        self.assertEqual(self.env["okr.key.result"].search_count([]), count)
        self.assertEqual(self.kr_yield.objective_id, self.objective)
        self.assertEqual(len(self.qa_objective.key_result_ids), 1)

    def test_users_make_only_their_reporting_line_owners(self):
        KeyResult = self._env(self.user_lead)["okr.key.result"]
        count = self.env["okr.key.result"].search_count([])
        # the QA engineer's appraisal reference is not the line lead's to feed
        with self.assertRaisesRegex(AccessError, "Owner"):
            KeyResult.create(
                {
                    "name": "Planted in QA's appraisal",
                    "objective_id": self.objective.id,
                    "owner_id": self.emp_qa.id,
                    "target_value": 100,
                }
            )
        with self.assertRaisesRegex(AccessError, "Owner"):
            KeyResult.browse(self.kr_yield.id).write({"owner_id": self.emp_qa.id})
        self.assertEqual(self.env["okr.key.result"].search_count([]), count)
        self.assertEqual(self.kr_yield.owner_id, self.emp_lead)
        # someone of their own line, yes; an OKR manager assigns anyone
        KeyResult.create(
            {
                "name": "Changeover time",
                "objective_id": self.objective.id,
                "owner_id": self.emp_worker.id,
                "target_value": 100,
            }
        )
        self._env(self.user_manager)["okr.key.result"].browse(self.kr_yield.id).write(
            {"owner_id": self.emp_qa.id}
        )
        self.assertEqual(self.kr_yield.owner_id, self.emp_qa)

    def test_cycles_are_created_as_drafts(self):
        Cycle = self._env(self.user_manager)["okr.cycle"]
        dates = {
            "date_start": self.today + timedelta(days=60),
            "date_end": self.today + timedelta(days=150),
        }
        for state in ("running", "closed"):
            with self.assertRaisesRegex(AccessError, "cannot be written"):
                Cycle.create({"name": f"Forged {state}", "state": state, **dates})
        self.assertFalse(self.env["okr.cycle"].search([("name", "like", "Forged")]))
        cycle = Cycle.create({"name": "Next Quarter", "state": "draft", **dates})
        self.assertEqual(cycle.state, "draft")

    def test_an_acknowledged_check_in_stays(self):
        check_in = self.env["okr.check.in"].browse(
            self.kr_yield.with_user(self.user_lead).action_check_in(94)
        )
        check_in.with_user(self.user_manager).action_acknowledge(note="Seen.")
        with self.assertRaisesRegex(UserError, "was acknowledged"):
            self._env(self.user_lead)["okr.check.in"].browse(check_in.id).unlink()
        self.assertTrue(check_in.exists())
        self.assertEqual(self.kr_yield.current_value, 94)

    def test_key_result_owner_reads_its_objective_others_do_not(self):
        private = self.env["okr.objective"].create(
            {
                "name": "Confidential plant target",
                "cycle_id": self.cycle.id,
                "owner_id": self.emp_manager.id,
                "visibility": "private",
                "state": "active",
            }
        )
        key_result = self.env["okr.key.result"].create(
            {
                "name": "Line 2 share",
                "objective_id": private.id,
                "owner_id": self.emp_qa.id,
                "target_value": 10,
            }
        )
        # the owner of a key result sees the objective it serves
        qa_key_result = self._env(self.user_qa)["okr.key.result"].browse(key_result.id)
        self.assertEqual(qa_key_result.objective_id.name, "Confidential plant target")
        # someone who may not read the objective reads neither it nor its key result
        KeyResult = self._env(self.user_worker)["okr.key.result"]
        self.assertFalse(KeyResult.search([("id", "=", key_result.id)]))
        with self.assertRaises(AccessError):
            KeyResult.browse(key_result.id).read(["objective_id"])
        with self.assertRaises(AccessError):
            self._env(self.user_worker)["okr.objective"].browse(private.id).read(
                ["name"]
            )

    # ------------------------------------------------------------------
    # 4. Cycle lifecycle
    # ------------------------------------------------------------------
    def test_only_an_administrator_reopens_and_it_is_logged(self):
        self.cycle.with_user(self.user_manager).action_close()
        for user in (self.user_lead, self.user_manager):
            with self.assertRaises(AccessError):
                self._env(user)["okr.cycle"].browse(self.cycle.id).action_reopen()
            with self.assertRaises(AccessError):
                self._env(user)["okr.cycle"].browse(self.cycle.id).write(
                    {"state": "running"}
                )
        self.assertEqual(self.cycle.state, "closed")
        self._env(self.user_admin)["okr.cycle"].browse(self.cycle.id).action_reopen()
        self.env.invalidate_all()
        self.assertEqual(self.cycle.state, "running")
        self.assertTrue(
            self.cycle.message_ids.filtered(
                lambda m: "reopened by OKR Admin" in str(m.body)
            )
        )

    def test_close_grades_key_results_the_manager_cannot_see(self):
        private = self.env["okr.objective"].create(
            {
                "name": "Private individual",
                "cycle_id": self.cycle.id,
                "owner_id": self.emp_qa.id,
                "visibility": "private",
                "state": "active",
            }
        )
        hidden = self.env["okr.key.result"].create(
            {"name": "Hidden", "objective_id": private.id, "target_value": 10}
        )
        hidden.with_user(self.user_qa).action_check_in(5)
        other_manager = new_test_user(
            self.env,
            login="okr_other_manager",
            groups="okr_management.group_okr_manager",
            name="Other Manager",
        )
        self.assertFalse(
            self.env(user=other_manager)["okr.key.result"].search(
                [("id", "=", hidden.id)]
            )
        )
        self.cycle.with_user(other_manager).action_close()
        self.env.invalidate_all()
        self.assertAlmostEqual(hidden.score, 0.5)
        self.assertEqual(private.state, "done")

    def test_users_cannot_close_cycles(self):
        with self.assertRaises(AccessError):
            self._env(self.user_lead)["okr.cycle"].browse(self.cycle.id).action_close()
        self.assertEqual(self.cycle.state, "running")
        self.assertEqual(self.kr_yield.score, 0.0)

    def test_closed_cycle_is_immutable(self):
        self.cycle.with_user(self.user_manager).action_close()
        manager = self._env(self.user_manager)
        cycle = manager["okr.cycle"].browse(self.cycle.id)
        objective = manager["okr.objective"].browse(self.objective.id)
        key_result = manager["okr.key.result"].browse(self.kr_yield.id)
        end = self.cycle.date_end
        with self.assertRaisesRegex(UserError, "is closed"):
            cycle.write({"date_end": end + timedelta(days=30)})
        with self.assertRaisesRegex(UserError, "is closed"):
            objective.write({"state": "active"})
        with self.assertRaisesRegex(UserError, "is closed"):
            manager["okr.objective"].create(
                {
                    "name": "Late",
                    "cycle_id": self.cycle.id,
                    "owner_id": self.emp_lead.id,
                }
            )
        with self.assertRaisesRegex(UserError, "is closed"):
            objective.unlink()
        for vals in (
            {"target_value": 99},
            {"start_value": 90},
            {"weight": 3},
            {"direction": "maintain"},
        ):
            with self.assertRaisesRegex(UserError, "is closed"):
                key_result.write(vals)
        with self.assertRaisesRegex(UserError, "is closed"):
            manager["okr.key.result"].create(
                {"name": "Late KR", "objective_id": self.objective.id}
            )
        with self.assertRaisesRegex(UserError, "is closed"):
            key_result.action_check_in(95)
        self.env.invalidate_all()
        self.assertEqual(self.cycle.date_end, end)
        self.assertEqual(self.objective.state, "done")
        self.assertEqual(self.kr_yield.target_value, 96)
        self.assertEqual(self.kr_yield.start_value, 92)
        self.assertEqual(self.kr_yield.weight, 1)
        self.assertEqual(len(self.objective.key_result_ids), 1)

    def test_objectives_and_key_results_with_check_ins_are_archived(self):
        lead = self._env(self.user_lead)
        # a running cycle's key result is deleted through an approved request
        change_id = (
            lead["okr.key.result"]
            .browse(self.kr_yield.id)
            .action_request_change({"delete": True}, "Measured by the new line instead")
        )
        self._env(self.user_manager)["okr.key.result.change"].browse(
            change_id
        ).action_approve()
        self.env.invalidate_all()
        self.assertTrue(self.kr_yield.exists())
        self.assertFalse(self.kr_yield.active)
        self.assertTrue(self.check_in.exists())
        lead["okr.objective"].browse(self.objective.id).unlink()
        self.env.invalidate_all()
        self.assertTrue(self.objective.exists())
        self.assertFalse(self.objective.active)

    def test_deleting_removes_activities(self):
        objective = self.env["okr.objective"].create(
            {
                "name": "Short-lived",
                "cycle_id": self.cycle.id,
                "owner_id": self.emp_lead.id,
                "state": "active",
            }
        )
        key_result = self.env["okr.key.result"].create(
            {"name": "Never checked in", "objective_id": objective.id}
        )
        activity = key_result.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.user_lead.id
        )
        # the cycle runs: its key results go through an approved request first
        lead = self._env(self.user_lead)
        with self.assertRaisesRegex(UserError, "change request"):
            lead["okr.objective"].browse(objective.id).unlink()
        self.assertTrue(key_result.exists())
        change_id = (
            lead["okr.key.result"]
            .browse(key_result.id)
            .action_request_change({"delete": True}, "Not needed")
        )
        self._env(self.user_manager)["okr.key.result.change"].browse(
            change_id
        ).action_approve()
        lead["okr.objective"].browse(objective.id).unlink()
        self.assertFalse(objective.exists())
        self.assertFalse(key_result.exists())
        self.assertFalse(activity.exists())

    # ------------------------------------------------------------------
    # 7. Bad numbers
    # ------------------------------------------------------------------
    def test_nan_and_infinity_are_refused_everywhere(self):
        key_result = self._env(self.user_lead)["okr.key.result"].browse(
            self.kr_yield.id
        )
        for field_name in ("start_value", "target_value", "weight"):
            for bad in (float("nan"), float("inf"), -2e15):
                with (
                    self.assertRaisesRegex(ValidationError, "finite number"),
                    self.env.cr.savepoint(),
                ):
                    # a running cycle's figures change through a request
                    key_result.action_request_change({field_name: bad}, "typo")
        with (
            self.assertRaisesRegex(ValidationError, "check-in Value"),
            self.env.cr.savepoint(),
        ):
            self._env(self.user_lead)["okr.check.in"].create(
                {"key_result_id": self.kr_yield.id, "value": float("nan")}
            )
        with (
            self.assertRaisesRegex(ValidationError, "check-in Date"),
            self.env.cr.savepoint(),
        ):
            self._env(self.user_lead)["okr.check.in"].create(
                {
                    "key_result_id": self.kr_yield.id,
                    "value": 94,
                    "date": self.today + timedelta(days=2),
                }
            )
        self.env.invalidate_all()
        self.assertEqual(self.kr_yield.start_value, 92)
        self.assertEqual(self.kr_yield.target_value, 96)
        self.assertEqual(self.kr_yield.weight, 1)
        self.assertEqual(self.kr_yield.check_in_ids, self.check_in)

    def test_objectives_only_in_open_cycles(self):
        closed = self.env["okr.cycle"].create(
            {
                "name": "Done quarter",
                "date_start": self.today - timedelta(days=200),
                "date_end": self.today - timedelta(days=110),
            }
        )
        closed.action_start()
        closed.action_close()
        with self.assertRaisesRegex(UserError, "Cycle: 'Done quarter' is closed"):
            self._env(self.user_lead)["okr.objective"].create(
                {
                    "name": "Backdated",
                    "cycle_id": closed.id,
                    "owner_id": self.emp_lead.id,
                }
            )
        self.assertFalse(closed.objective_ids)

    # ------------------------------------------------------------------
    # 8. Crons isolate failures
    # ------------------------------------------------------------------
    def test_status_cron_skips_a_failing_key_result(self):
        self.kr_qa.action_check_in(5)
        failing_id = self.kr_qa.id
        KeyResult = type(self.env["okr.key.result"])
        original = KeyResult._compute_status

        def compute_status(records):
            if failing_id in records.ids:
                raise ValueError("broken record")
            return original(records)

        with (
            patch.object(KeyResult, "_compute_status", compute_status),
            self.assertLogs(
                "odoo.addons.okr_management.tools", logging.WARNING
            ) as logs,
        ):
            self.env["okr.cycle"]._cron_update_status()
        self.assertTrue(
            any(f"okr.key.result {failing_id} skipped" in line for line in logs.output)
        )
        # running it again changes nothing
        self.env["okr.cycle"]._cron_update_status()
        self.assertEqual(self.kr_yield.status, self.kr_yield.status)

    def test_reminder_cron_skips_a_failing_key_result_and_is_idempotent(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "okr_management.reminder_days", 1
        )
        old = self.today - timedelta(days=10)
        self.env.cr.execute(
            "UPDATE okr_key_result SET create_date = %s WHERE id IN %s",
            (old, (self.kr_yield.id, self.kr_qa.id)),
        )
        self.env.cr.execute(
            "UPDATE okr_check_in SET date = %s WHERE key_result_id = %s",
            (
                old - timedelta(days=1) if old > self.cycle.date_start else old,
                self.kr_yield.id,
            ),
        )
        self.env.invalidate_all()
        self.kr_yield.modified(["check_in_ids"])
        self.env["okr.key.result"].flush_model()
        Activity = type(self.env["mail.activity"])
        original = Activity.create
        failing_id = self.kr_qa.id

        def create(records, vals_list):
            if any(vals.get("res_id") == failing_id for vals in vals_list):
                raise ValueError("mail server down for that user")
            return original(records, vals_list)

        with (
            patch.object(Activity, "create", create),
            self.assertLogs("odoo.addons.okr_management.tools", logging.WARNING),
        ):
            self.env["okr.key.result"]._cron_send_reminders()
        self.assertEqual(len(self.kr_yield.activity_ids), 1)
        self.assertFalse(self.kr_qa.activity_ids)
        self.env["okr.key.result"]._cron_send_reminders()
        self.env["okr.key.result"]._cron_send_reminders()
        self.assertEqual(len(self.kr_yield.activity_ids), 1)
        self.assertEqual(len(self.kr_qa.activity_ids), 1)
