"""Each OKR role's path through the suite, in a real browser (headless
Chromium). Every tour logs in as a user created here with only that role's
groups."""

from unittest.mock import patch

from odoo import api
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .tour_common import OKR_MANAGER, OKR_USER, OkrTourCase


@tagged("post_install", "-at_install")
class TestOkrTours(OkrTourCase):
    def test_alignment_tree_opens_and_expands(self):
        self.start_tour(
            "/odoo", "okr_alignment_tree_tour", login=self.okr_user.login, timeout=120
        )

    def test_manager_board_and_quick_check_in(self):
        manager = self._new_user("tour_okr_manager", OKR_MANAGER)
        self._assert_only_groups(manager, OKR_MANAGER)
        self.assertFalse(self._check_ins_by(manager))

        # the board's client reads its open columns in one call per page
        Objective = type(self.env["okr.objective"])
        read_columns = Objective.web_search_read_columns
        read_one = Objective.web_search_read
        pages, single_reads = [], []

        @api.model
        def spy_columns(model, requests, specification):
            pages.append(len(requests))
            return read_columns(model, requests, specification)

        @api.model
        def spy_one(model, domain, specification, *args, **kwargs):
            single_reads.append(domain)
            return read_one(model, domain, specification, *args, **kwargs)

        with (
            patch.object(Objective, "web_search_read_columns", spy_columns),
            patch.object(Objective, "web_search_read", spy_one),
        ):
            self.start_tour("/odoo", "okr_board_tour", login=manager.login, timeout=120)
        # by level, then by department, then after the check-in: pages of
        # several columns, never a column read alone
        self.assertGreaterEqual(len(pages), 2, pages)
        self.assertTrue(all(count > 1 for count in pages), pages)
        self.assertEqual(single_reads, [])

        check_in = self._check_ins_by(manager)
        self.assertEqual(len(check_in), 1)
        self.assertEqual(check_in.key_result_id, self.kr_team_batches)
        self.assertAlmostEqual(check_in.value, 7.75)
        self.assertAlmostEqual(self.kr_team_batches.current_value, 7.75)
        # a manager steers the cycles but does not delete them
        cycle = self.kr_team_batches.cycle_id.with_user(manager)
        with self.assertRaises(AccessError):
            cycle.unlink()

    def test_team_lead_team_check_in(self):
        lead = self._new_user("tour_team_lead", OKR_USER)
        self._assert_only_groups(lead, OKR_USER)
        # the demo's line 2 team lead: Zhang Wei reports to her
        self.env.ref("okr_management.employee_line2_lead").user_id = lead
        self.assertFalse(self._check_ins_by(lead))

        self.start_tour(
            "/odoo", "okr_team_check_in_tour", login=lead.login, timeout=120
        )

        check_ins = self._check_ins_by(lead)
        self.assertEqual(len(check_ins), 2, "one check-in per changed line, no more")
        self.assertEqual(
            {(c.key_result_id, c.value) for c in check_ins},
            {(self.kr_team_batches, 7.5), (self.kr_team_stops, 7.0)},
        )
        # the team lead does not check in on her own manager's key results
        company_kr = self.env.ref("okr_management.kr_company_output")
        with self.assertRaises(AccessError):
            company_kr.with_user(lead).action_check_in(11500)

    def test_first_visit_onboarding_tour(self):
        """A new OKR user gets the onboarding tour first; once done it is not
        offered again."""
        newcomer = self._new_user("tour_newcomer", OKR_USER)
        self.env.ref("okr_management.employee_press_operator").user_id = newcomer
        self.assertTrue(newcomer.tour_enabled)
        Tour = self.env["web_tour.tour"].with_user(newcomer)
        self.assertEqual(Tour.get_current_tour()["name"], "okr_onboarding_tour")
        changeover = self.env.ref("okr_management.kr_individual_changeover")
        self.assertFalse(self._check_ins_by(newcomer))

        self.start_tour(
            "/odoo", "okr_onboarding_tour", login=newcomer.login, timeout=120
        )

        check_in = self._check_ins_by(newcomer)
        self.assertEqual((check_in.key_result_id, check_in.value), (changeover, 30))
        # done (or skipped with the Onboarding switch): web_tour offers it no more
        next_tour = Tour.consume("okr_onboarding_tour")
        self.assertNotEqual((next_tour or {}).get("name"), "okr_onboarding_tour")
        self.assertIn(
            newcomer,
            self.env.ref("okr_management.okr_onboarding_tour").user_consumed_ids,
        )


@tagged("post_install", "-at_install")
class TestOkrPhoneTours(HttpCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_phone_check_in_from_my_okrs(self):
        """On a phone, a check-in from My OKRs: tap, one number, tap."""
        operator = new_test_user(
            self.env,
            login="tour_phone_operator",
            password="tour_phone_operator",
            groups=OKR_USER,
            name="Tour Phone Operator",
        )
        operator.tour_enabled = False
        self.env.ref("okr_management.employee_press_operator").user_id = operator
        changeover = self.env.ref("okr_management.kr_individual_changeover")

        self.start_tour(
            "/odoo/action-okr_management.okr_objective_action_my",
            "okr_mobile_check_in_tour",
            login=operator.login,
            timeout=120,
        )

        check_in = self.env["okr.check.in"].search([("user_id", "=", operator.id)])
        self.assertEqual((check_in.key_result_id, check_in.value), (changeover, 25))
        self.assertAlmostEqual(changeover.current_value, 25)
