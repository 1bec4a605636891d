from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from .common import OkrTestCommon


class TestOkrKeyResultChange(OkrTestCommon):
    """Target changes of a running cycle's key results go through a request.

    The operator owns a private and a public objective; his reporting line is
    Line Lead, then Plant Manager (an OKR Manager). QA Engineer is a peer; a
    second OKR Manager sits outside the line.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_manager_other = new_test_user(
            cls.env,
            login="okr_change_manager",
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
        Objective = cls.env["okr.objective"]
        KeyResult = cls.env["okr.key.result"]
        cls.objective_private = Objective.create(
            {
                "name": "Operator private",
                "cycle_id": cls.cycle.id,
                "level": "individual",
                "owner_id": cls.emp_worker.id,
                "department_id": cls.dep_prod.id,
                "visibility": "private",
                "state": "active",
            }
        )
        cls.objective_public = Objective.create(
            {
                "name": "Operator public",
                "cycle_id": cls.cycle.id,
                "level": "individual",
                "owner_id": cls.emp_worker.id,
                "department_id": cls.dep_prod.id,
                "visibility": "public",
                "state": "active",
            }
        )
        cls.kr_private = KeyResult.create(
            {
                "name": "Changeovers under 20 min",
                "objective_id": cls.objective_private.id,
                "owner_id": cls.emp_worker.id,
                "start_value": 0,
                "target_value": 100,
                "weight": 1.0,
            }
        )
        cls.kr_public = KeyResult.create(
            {
                "name": "Press 4 uptime",
                "objective_id": cls.objective_public.id,
                "owner_id": cls.emp_worker.id,
                "start_value": 80,
                "target_value": 95,
            }
        )
        cls.kr_private.action_check_in(40.0)

    def _as(self, user, record):
        """``record`` in a fresh environment of ``user``, as over RPC."""
        return record.with_env(self.env(user=user, su=False))

    def _request(self, user, key_result, vals, reason="Line 3 moved to night shift"):
        change_id = self._as(user, key_result).action_request_change(vals, reason)
        return self.env["okr.key.result.change"].browse(change_id)

    # ------------------------------------------------------------------
    # Direct changes
    # ------------------------------------------------------------------
    def test_owner_direct_write_refused_on_running_cycle(self):
        kr = self._as(self.user_worker, self.kr_private)
        for vals in (
            {"target_value": 60},
            {"start_value": 10},
            {"weight": 3},
            {"direction": "decrease", "target_value": -5},
            {"deadline": self.today + timedelta(days=5)},
            {"active": False},
        ):
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, "change request"):
                    kr.write(vals)
        with self.assertRaisesRegex(UserError, "change request"):
            kr.unlink()
        self.kr_private.invalidate_recordset()
        self.assertEqual(self.kr_private.target_value, 100)
        self.assertEqual(self.kr_private.start_value, 0)
        self.assertEqual(self.kr_private.weight, 1.0)
        self.assertEqual(self.kr_private.direction, "increase")
        self.assertFalse(self.kr_private.deadline)
        self.assertTrue(self.kr_private.exists() and self.kr_private.active)

    def test_bad_direct_values_refused_naming_the_field(self):
        kr = self._as(self.user_worker, self.kr_private)
        for value in ("abc", float("nan"), 2**2000):
            with self.subTest(value=value):
                with (
                    self.assertRaisesRegex(ValidationError, "Target Value"),
                    self.env.cr.savepoint(),
                ):
                    kr.write({"target_value": value})
        self.kr_private.invalidate_recordset()
        self.assertEqual(self.kr_private.target_value, 100)

    def test_objective_stays_in_its_running_cycle(self):
        draft = self.env["okr.cycle"].create(
            {
                "name": "Parking Quarter",
                "date_start": self.today + timedelta(days=50),
                "date_end": self.today + timedelta(days=140),
            }
        )
        objective = self._as(self.user_worker, self.objective_private)
        with self.assertRaisesRegex(UserError, "stays in that cycle"):
            objective.write({"cycle_id": draft.id})
        self.assertEqual(self.objective_private.cycle_id, self.cycle)
        self.assertEqual(self.kr_private.cycle_id, self.cycle)
        # a peer hears that the objective is not theirs
        with self.assertRaises(AccessError):
            self._as(self.user_qa, self.objective_private).write({"cycle_id": draft.id})

    def test_forged_context_does_not_bypass(self):
        kr = self._as(self.user_worker, self.kr_private).with_context(
            okr_change_approved=True, bypass=True
        )
        with self.assertRaises(UserError):
            kr.write({"target_value": 60})
        self.assertEqual(self.kr_private.target_value, 100)

    def test_unchanged_values_and_other_fields_stay_writable(self):
        kr = self._as(self.user_worker, self.kr_private)
        kr.write({"target_value": 100, "name": "Changeovers under 18 min"})
        self.assertEqual(self.kr_private.name, "Changeovers under 18 min")

    def test_draft_cycle_stays_editable(self):
        draft = self.env["okr.cycle"].create(
            {
                "name": "Next Quarter",
                "date_start": self.today + timedelta(days=50),
                "date_end": self.today + timedelta(days=140),
            }
        )
        objective = self.env["okr.objective"].create(
            {
                "name": "Next",
                "cycle_id": draft.id,
                "level": "individual",
                "owner_id": self.emp_worker.id,
                "department_id": self.dep_prod.id,
            }
        )
        kr = self.env["okr.key.result"].create(
            {"name": "Draft KR", "objective_id": objective.id, "target_value": 10}
        )
        self._as(self.user_worker, kr).write({"target_value": 20, "weight": 2})
        self.assertEqual((kr.target_value, kr.weight), (20, 2))
        with self.assertRaisesRegex(UserError, "running cycles"):
            self._as(self.user_worker, kr).action_request_change(
                {"target_value": 30}, "too early"
            )
        self._as(self.user_worker, kr).unlink()
        self.assertFalse(kr.exists())

    # ------------------------------------------------------------------
    # Requests and decisions
    # ------------------------------------------------------------------
    def test_request_then_manager_approval(self):
        check_ins = self.kr_private.check_in_ids
        change = self._request(
            self.user_worker, self.kr_private, {"target_value": 80, "weight": 2}
        )
        self.assertEqual(change.state, "pending")
        self.assertEqual(change.requested_by_id, self.user_worker)
        self.assertEqual((change.old_target_value, change.new_target_value), (100, 80))
        self.assertEqual((change.old_weight, change.new_weight), (1, 2))
        self.assertEqual(change.reason, "Line 3 moved to night shift")
        self.assertEqual(self.kr_private.target_value, 100, "nothing applied yet")
        # the direct manager is asked
        self.assertEqual(change.activity_ids.user_id, self.user_lead)

        # the requester does not approve their own request
        with self.assertRaises(AccessError):
            self._as(self.user_worker, change).action_approve()
        self.assertEqual(change.state, "pending")
        self.assertEqual(self.kr_private.target_value, 100)
        # a peer neither reads nor decides
        with self.assertRaises(AccessError):
            self._as(self.user_qa, change).read(["state"])
        with self.assertRaises(AccessError):
            self._as(self.user_qa, change).action_approve()
        with self.assertRaises(AccessError):
            self._as(self.user_qa, change).action_reject()
        self.assertEqual(change.state, "pending")

        self.assertEqual(
            self._as(self.user_lead, change).search([("can_decide", "=", True)]),
            change,
        )
        self.assertFalse(
            self._as(self.user_worker, change).search([("can_decide", "=", True)])
        )
        self._as(self.user_lead, change).action_approve()
        self.assertEqual(change.state, "approved")
        self.assertEqual(change.approved_by_id, self.user_lead)
        self.assertFalse(change.self_approved)
        self.assertEqual(change.effective_date, self.today)
        self.assertTrue(change.decision_date)
        self.assertEqual(self.kr_private.target_value, 80)
        self.assertEqual(self.kr_private.weight, 2)
        # history: the check-ins stay, the key result lists its version
        self.assertEqual(self.kr_private.check_in_ids, check_ins)
        self.assertEqual(self.kr_private.current_value, 40)
        self.assertAlmostEqual(self.kr_private.progress, 0.5)
        self.assertEqual(self.kr_private.change_ids, change)
        self.assertIn("80", change.summary)
        self.assertFalse(change.activity_ids)
        # the requester got the answer
        answer = change.message_ids.filtered(
            lambda m: self.user_worker.partner_id in m.partner_ids
        )
        self.assertTrue(answer)
        self.assertIn("approved", answer[0].body)
        # decided once
        with self.assertRaises(UserError):
            self._as(self.user_lead, change).action_reject()

    def test_check_ins_before_the_change_keep_their_progress(self):
        past = self.kr_private.action_check_in(
            30.0, date=self.today - timedelta(days=10)
        )
        past = self.env["okr.check.in"].browse(past)
        self.assertAlmostEqual(past.progress, 0.3)
        change = self._request(self.user_worker, self.kr_private, {"target_value": 60})
        self._as(self.user_lead, change).action_approve()
        self.assertTrue(self.kr_private.target_changed)
        # measured against the target of its day
        self.assertAlmostEqual(past.progress, 0.3)
        # today's check-in and the key result against the new target
        today = self.kr_private.check_in_ids - past
        self.assertAlmostEqual(today.progress, 40 / 60)
        self.assertAlmostEqual(self.kr_private.progress, 40 / 60)
        # the flag is the approval's alone
        with self.assertRaises(AccessError):
            self._as(self.user_worker, self.kr_private).write({"target_changed": False})
        self.assertTrue(self.kr_private.target_changed)

    def test_manager_request_goes_above_the_manager(self):
        change = self._request(self.user_lead, self.kr_private, {"target_value": 90})
        # the owner below the requester does not approve it
        with self.assertRaises(AccessError):
            self._as(self.user_worker, change).action_approve()
        self.assertEqual(change.activity_ids.user_id, self.user_manager)
        self._as(self.user_manager, change).action_approve()
        self.assertEqual(self.kr_private.target_value, 90)
        self.assertEqual(change.approved_by_id, self.user_manager)

    def test_okr_manager_outside_the_line(self):
        change = self._request(self.user_worker, self.kr_public, {"target_value": 90})
        self._as(self.user_manager_other, change).action_approve()
        self.assertEqual(self.kr_public.target_value, 90)
        # a private key result's request is not theirs to read or decide
        private = self._request(self.user_worker, self.kr_private, {"weight": 3})
        with self.assertRaises(AccessError):
            self._as(self.user_manager_other, private).action_approve()
        self.assertEqual(private.state, "pending")
        self.assertEqual(self.kr_private.weight, 1)

    def test_request_form_only_for_a_readable_key_result(self):
        """The request form shows the key result's figures: a peer cannot
        open it on a private key result (context default or creation), and
        another user's form is not theirs to read."""
        Wizard = self.env(user=self.user_qa)["okr.key.result.change.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_context(default_key_result_id=self.kr_private.id).default_get(
                ["key_result_id", "target_value"]
            )
        with self.assertRaises(AccessError):
            Wizard.create({"key_result_id": self.kr_private.id, "reason": "peek"})
        self.assertFalse(
            self.env["okr.key.result.change.wizard"].search(
                [("key_result_id", "=", self.kr_private.id)]
            )
        )
        own = (
            self.env(user=self.user_worker)["okr.key.result.change.wizard"]
            .with_context(default_key_result_id=self.kr_private.id)
            .create({"reason": "Night shift", "target_value": 90})
        )
        self.assertFalse(Wizard.search([("id", "=", own.id)]))

    def test_peer_cannot_request_nor_see_requests(self):
        with self.assertRaises(AccessError):
            self._as(self.user_qa, self.kr_private).action_request_change(
                {"target_value": 10}, "mine now"
            )
        self._request(self.user_worker, self.kr_private, {"target_value": 70})
        self._request(self.user_worker, self.kr_public, {"target_value": 90})
        Change = self._as(self.user_qa, self.env["okr.key.result.change"])
        self.assertFalse(Change.search([]))
        self.assertFalse(Change.search([("can_decide", "=", True)]))

    def test_rejection_keeps_values(self):
        change = self._request(self.user_worker, self.kr_private, {"start_value": 20})
        self._as(self.user_lead, change).action_reject(reason="Keep the baseline")
        self.assertEqual(change.state, "rejected")
        self.assertEqual(change.approved_by_id, self.user_lead)
        self.assertEqual(change.reject_reason, "Keep the baseline")
        self.assertEqual(self.kr_private.start_value, 0)
        self.assertFalse(self.kr_private.change_ids)
        with self.assertRaises(UserError):
            self._as(self.user_lead, change).action_approve()
        self.assertEqual(self.kr_private.start_value, 0)

    def test_requester_withdraws(self):
        change = self._request(self.user_worker, self.kr_private, {"weight": 4})
        with self.assertRaises(AccessError):
            self._as(self.user_lead, change).action_cancel()
        self._as(self.user_worker, change).action_cancel()
        self.assertEqual(change.state, "cancelled")
        self.assertFalse(change.activity_ids)
        self.assertEqual(self.kr_private.weight, 1)

    def test_admin_approves_own_request_recorded(self):
        change = self._request(self.user_admin, self.kr_private, {"target_value": 75})
        # no manager above the requester: the OKR Managers who may read it
        approvers = change.activity_ids.user_id
        self.assertIn(self.user_manager, approvers)
        self.assertNotIn(self.user_manager_other, approvers)
        self.assertNotIn(self.user_admin, approvers)
        self._as(self.user_admin, change).action_approve()
        self.assertTrue(change.self_approved)
        self.assertEqual(change.approved_by_id, self.user_admin)
        self.assertEqual(self.kr_private.target_value, 75)

    def test_deletion_request(self):
        # without check-ins: deleted; the request stays with its name
        change = self._request(self.user_worker, self.kr_public, {"delete": True})
        self.assertTrue(change.is_deletion)
        self.assertTrue(self.kr_public.exists())
        self._as(self.user_lead, change).action_approve()
        self.assertFalse(self.kr_public.exists())
        self.assertEqual(change.state, "approved")
        self.assertEqual(change.key_result_name, "Press 4 uptime")
        # with check-ins: archived, its history kept
        change = self._request(self.user_worker, self.kr_private, {"is_deletion": True})
        self._as(self.user_lead, change).action_approve()
        self.assertTrue(self.kr_private.exists())
        self.assertFalse(self.kr_private.active)
        self.assertTrue(self.kr_private.check_in_ids)

    def test_approval_after_cycle_closed_refused(self):
        change = self._request(self.user_worker, self.kr_private, {"target_value": 50})
        self.cycle.action_close()
        with self.assertRaises(UserError):
            self._as(self.user_lead, change).action_approve()
        self.assertEqual(self.kr_private.target_value, 100)
        self.assertEqual(change.state, "pending")

    # ------------------------------------------------------------------
    # Bad input and system fields
    # ------------------------------------------------------------------
    def test_bad_requests_refused(self):
        kr = self._as(self.user_worker, self.kr_private)
        cases = [
            ({"target_value": "abc"}, "Target Value"),
            ({"target_value": float("nan")}, "Target Value"),
            ({"weight": float("inf")}, "Weight"),
            ({"target_value": 2**2000}, "Target Value"),
            ({"start_value": "1e400"}, "Start Value"),
            ({"weight": True}, "Weight"),
            ({"direction": "sideways"}, "Direction"),
            ({"deadline": "someday"}, "Deadline"),
            ({"owner_id": 1}, "unknown keys"),
            ({"delete": "yes"}, "Deletion"),
            ({"delete": True, "weight": 2}, "deletion"),
            ({"target_value": 100}, "nothing to change"),
            ([("target_value", 5)], "dict"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(UserError, message):
                    kr.action_request_change(vals, "why not")
        for vals in (
            {"weight": 0},
            {"target_value": -10},
            {"deadline": self.today + timedelta(days=400)},
        ):
            with self.subTest(vals=vals):
                with self.assertRaises(ValidationError):
                    kr.action_request_change(vals, "why not")
        for reason in ("", "   ", None, 42):
            with self.subTest(reason=reason):
                with self.assertRaisesRegex(UserError, "Reason"):
                    kr.action_request_change({"target_value": 60}, reason)
        self.assertFalse(
            self.env["okr.key.result.change"].search(
                [("key_result_id", "=", self.kr_private.id)]
            )
        )

    def test_requests_written_by_actions_only(self):
        change = self._request(self.user_worker, self.kr_private, {"target_value": 60})
        for user in (self.user_worker, self.user_lead, self.user_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._as(user, change).write(
                        {"state": "approved", "new_target_value": 1}
                    )
                with self.assertRaises(AccessError):
                    self._as(user, change).unlink()
                with self.assertRaises(AccessError):
                    self._as(user, change).create(
                        {
                            "key_result_id": self.kr_private.id,
                            "reason": "forged",
                            "state": "approved",
                        }
                    )
        self.assertEqual(change.state, "pending")
        self.assertEqual(change.new_target_value, 60)
        self.assertEqual(self.kr_private.target_value, 100)

    def test_change_wizard(self):
        Wizard = self._as(self.user_worker, self.env["okr.key.result.change.wizard"])
        wizard = Wizard.with_context(default_key_result_id=self.kr_private.id).create(
            {"reason": "Customer halved the order"}
        )
        self.assertEqual(wizard.target_value, 100)
        wizard.target_value = 50
        wizard.action_confirm()
        change = self.env["okr.key.result.change"].search(
            [("key_result_id", "=", self.kr_private.id)]
        )
        self.assertEqual(change.changed_fields, "target_value")
        self.assertEqual(change.new_target_value, 50)
        self.assertEqual(self.kr_private.pending_change_count, 1)

    def test_cycle_workbook_lists_changes(self):
        import io

        import openpyxl

        change = self._request(self.user_worker, self.kr_public, {"target_value": 90})
        self._as(self.user_lead, change).action_approve()
        self._request(self.user_worker, self.kr_private, {"weight": 2})
        content = self._as(
            self.user_manager_other, self.env["okr.cycle.export"]
        )._generate_xlsx(self.cycle)
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertIn("Changes", workbook.sheetnames)
        rows = list(workbook["Changes"].iter_rows(min_row=2, values_only=True))
        # the private key result's request is not the manager's to read
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][1], "Press 4 uptime")
        self.assertEqual(rows[0][2], "Approved")
        self.assertIn("90", rows[0][3])
        self.assertEqual(rows[0][4], "Line 3 moved to night shift")
        self.assertEqual(rows[0][5], "Operator")
        self.assertEqual(rows[0][7], "Line Lead")

    def test_approver_and_requester_in_their_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        (self.user_worker | self.user_lead).write({"lang": "zh_CN"})
        change = self._request(self.user_worker, self.kr_private, {"target_value": 80})
        self.assertIn("批准", change.activity_ids.summary)
        self._as(self.user_lead, change).action_approve()
        answer = change.message_ids.filtered(
            lambda m: self.user_worker.partner_id in m.partner_ids
        )
        self.assertIn("批准", answer[0].body)
        self.assertIn("Changeovers under 20 min", answer[0].body)
