from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import OkrAppraisalCommon


@tagged("post_install", "-at_install")
class TestOkrAppraisalAccess(OkrAppraisalCommon):
    """Real hr_appraisal_oca flows as an HR officer, a manager and the
    employee, and what each of them must not see."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.appraisal = cls._create_appraisal(
            cls, manager_ids=[(6, 0, [cls.emp_boss.id, cls.emp_peer.id])]
        )

    def _visible_key_results(self, user, appraisal=None):
        """The key results ``user`` gets when opening the appraisal (a fresh
        request: nothing cached by earlier superuser computations)."""
        self.env.invalidate_all()
        appraisal = (appraisal or self.appraisal).with_user(user)
        return appraisal.okr_line_ids.key_result_id.sudo()

    def _private_line(self, appraisal=None):
        line = self.env["okr.appraisal.line"].search(
            [
                ("appraisal_id", "=", (appraisal or self.appraisal).id),
                ("key_result_id", "=", self.kr_private.id),
                ("reopened_on", "=", False),
            ]
        )
        self.assertEqual(len(line), 1)
        return line

    def test_hr_officer_flow(self):
        """The officer creates, confirms, completes and reopens; she sees the
        lines of objectives she may read, not the private one."""
        appraisal = self._create_appraisal()
        as_hr = appraisal.with_user(self.user_hr)
        as_hr.action_confirm()
        self.assertEqual(as_hr.state, "2_pending")
        as_hr.action_done()
        self.assertTrue(as_hr.okr_score_frozen)
        self.assertEqual(
            self._visible_key_results(self.user_hr, appraisal),
            self.kr_public | self.kr_closed,
        )
        as_hr.action_back()
        self.assertFalse(as_hr.okr_score_frozen)
        private_line = self._private_line(appraisal)
        with self.assertRaises(AccessError):
            private_line.with_user(self.user_hr).read(["key_result_name"])
        self.assertFalse(
            self.env["okr.appraisal.line"]
            .with_user(self.user_hr)
            .search([("key_result_name", "=", "Private KR")])
        )

    def test_line_manager_sees_private_objective_of_report(self):
        """The employee's own manager may read her private objective (OKR
        rule: owner and managers), so the appraisal lists it to him."""
        self.assertEqual(
            self._visible_key_results(self.user_boss),
            self.kr_public | self.kr_private | self.kr_closed,
        )

    def test_appraisal_manager_without_okr_right_misses_private(self):
        """A peer set as appraisal manager sees the appraisal but not the
        private objective: the appraisal does not leak it."""
        self.assertEqual(
            self._visible_key_results(self.user_peer), self.kr_public | self.kr_closed
        )
        appraisal = self.appraisal.with_user(self.user_peer)
        self.assertEqual(appraisal.employee_id, self.emp_staff)
        self.assertNotIn("Private KR", appraisal.okr_line_ids.mapped("key_result_name"))
        private_line = self._private_line()
        with self.assertRaises(AccessError):
            private_line.with_user(self.user_peer).read(["key_result_name"])
        # the score stays one fact of the period, the same for everyone
        self.assertEqual(appraisal.okr_score, self.appraisal.sudo().okr_score)
        # what the peer read does not leak back into the superuser's work:
        # refreshing in the same transaction keeps the private line, once
        score = self.appraisal.okr_score
        appraisal.action_okr_refresh()
        self.kr_public.action_check_in(50)  # recompute with the same value
        self.assertEqual(
            self.env["okr.appraisal.line"]
            .sudo()
            .search_count([("appraisal_id", "=", self.appraisal.id)]),
            3,
        )
        self.assertEqual(self.appraisal.okr_score, score)

    def test_manager_flow(self):
        as_boss = self.appraisal.with_user(self.user_boss)
        as_boss.action_confirm()
        as_boss.action_done()
        self.assertTrue(as_boss.okr_score_frozen)
        self.assertEqual(len(as_boss.okr_line_ids), 3)
        as_boss.action_back()
        self.assertFalse(as_boss.okr_score_frozen)

    def test_employee_sees_own_lines_while_visible(self):
        as_staff = self.appraisal.with_user(self.user_staff)
        as_staff.action_confirm()
        self.assertEqual(
            self._visible_key_results(self.user_staff),
            self.kr_public | self.kr_private | self.kr_closed,
        )
        self.appraisal.with_user(self.user_boss).visibility = "manager"
        self.appraisal.invalidate_model()
        with self.assertRaises(AccessError):
            self.appraisal.with_user(self.user_staff).read(["okr_score"])
        Line = self.env["okr.appraisal.line"].with_user(self.user_staff)
        self.assertFalse(Line.search([("appraisal_id", "=", self.appraisal.id)]))
        with self.assertRaises(AccessError):
            self.appraisal.sudo().okr_line_ids[:1].with_user(self.user_staff).read(
                ["score"]
            )
        # the managers still see them
        self.assertEqual(len(self._visible_key_results(self.user_boss)), 3)

    def test_employee_cannot_change_or_fake_lines(self):
        line = self.appraisal.sudo().okr_line_ids[:1]
        with self.assertRaises(AccessError):
            line.with_user(self.user_staff).write({"score": 1.0})
        with self.assertRaises(AccessError):
            self.env["okr.appraisal.line"].with_user(self.user_staff).create(
                {"appraisal_id": self.appraisal.id, "key_result_id": self.kr_public.id}
            )
        with self.assertRaises(AccessError):
            line.with_user(self.user_staff).unlink()

    def test_outsider_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.appraisal.with_user(self.user_outsider).read(["okr_score"])
        self.assertFalse(
            self.env["okr.appraisal.line"].with_user(self.user_outsider).search([])
        )
        with self.assertRaises(AccessError):
            self.appraisal.sudo().okr_line_ids.with_user(self.user_outsider).read(
                ["score"]
            )

    def test_form_read_as_peer_hides_private_line(self):
        """What the web client reads to show the form: no error, no leak."""
        self.env.invalidate_all()
        appraisal = self.appraisal.with_user(self.user_peer)
        arch = appraisal.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="okr_line_ids"', arch)
        self.assertIn('name="okr_score_display"', arch)
        data = appraisal.web_read(
            {
                "okr_score_display": {},
                "okr_period_start": {},
                "okr_line_ids": {"fields": {"key_result_name": {}, "score": {}}},
            }
        )[0]
        self.assertEqual(data["okr_score_display"], f"{self.appraisal.okr_score:.2f}")
        self.assertEqual(
            sorted(line["key_result_name"] for line in data["okr_line_ids"]),
            ["Closed KR", "Output"],
        )

    def test_user_without_appraisal_rights_sees_no_okr_data(self):
        """hr_appraisal_oca lets every internal user read appraisals; the OKR
        reference stays with appraisal users."""
        user = new_test_user(
            self.env, login="okra_plain", groups="okr_management.group_okr_user"
        )
        appraisal = self.appraisal.with_user(user)
        for field_name in ("okr_score", "okr_line_ids", "okr_key_result_count"):
            with self.assertRaises(AccessError):
                appraisal.read([field_name])
        with self.assertRaises(AccessError):
            self.env["okr.appraisal.line"].with_user(user).search([])
        arch = appraisal.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="okr_line_ids"', arch)

    def test_report_for_hr_officers_only(self):
        Report = self.env["okr.appraisal.report"]
        self.assertIn(
            self.appraisal.id,
            Report.with_user(self.user_hr).search([]).appraisal_id.ids,
        )
        for user in (self.user_staff, self.user_boss):
            with self.assertRaises(AccessError):
                Report.with_user(user).search([])
            with self.assertRaises(AccessError):
                self.env["okr.appraisal.report.export"].with_user(user).create({})
