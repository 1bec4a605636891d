"""Each role's path through the suite, in a real browser (headless Chromium).

Every tour logs in as a user created here with only that role's groups."""

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged

OKR_USER = "okr_management.group_okr_user"
OKR_MANAGER = "okr_management.group_okr_manager"
MRP_USER = "mrp.group_mrp_user"
APPRAISAL_OFFICER = "hr_appraisal_oca.group_appraisal_hr_officer"


@tagged("post_install", "-at_install")
class TestOkrTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dep_production = cls.env.ref("okr_management.dep_production")
        cls.okr_user = new_test_user(
            cls.env,
            login="tour_okr_user",
            password="tour_okr_user",
            groups=OKR_USER,
            name="Tour OKR User",
        )
        cls.env["hr.employee"].create(
            {
                "name": "Tour OKR User",
                "user_id": cls.okr_user.id,
                "department_id": cls.dep_production.id,
            }
        )
        cls.kr_team_batches = cls.env.ref("okr_management.kr_team_batches")
        cls.kr_team_stops = cls.env.ref("okr_management.kr_team_unplanned_stops")

    def _new_user(self, login, groups, employee_vals=None):
        user = new_test_user(
            self.env, login=login, password=login, groups=groups, name=login
        )
        if employee_vals is not None:
            self.env["hr.employee"].create(
                dict(employee_vals, name=login, user_id=user.id)
            )
        return user

    def _assert_only_groups(self, user, groups):
        """The tour user holds the role's groups and what they imply, no more."""
        expected = self.env["res.groups"]
        for xmlid in groups.split(","):
            expected |= self.env.ref(xmlid)
        implied = expected | expected.trans_implied_ids
        self.assertEqual(user.groups_id, implied)

    def _check_ins_by(self, user):
        return self.env["okr.check.in"].search([("user_id", "=", user.id)])

    def test_alignment_tree_opens_and_expands(self):
        self.start_tour(
            "/odoo", "okr_alignment_tree_tour", login=self.okr_user.login, timeout=120
        )

    def test_manager_board_and_quick_check_in(self):
        manager = self._new_user("tour_okr_manager", OKR_MANAGER)
        self._assert_only_groups(manager, OKR_MANAGER)
        self.assertFalse(self._check_ins_by(manager))

        self.start_tour("/odoo", "okr_board_tour", login=manager.login, timeout=120)

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

    def test_planner_links_work_orders(self):
        planner = self._new_user(
            "tour_planner",
            f"{MRP_USER},{OKR_USER}",
            {"department_id": self.dep_production.id},
        )
        self._assert_only_groups(planner, f"{MRP_USER},{OKR_USER}")
        workorders = self._create_tour_workorders()
        yield_kr = self.env.ref("okr_management.kr_production_yield")
        linked_before = yield_kr.workorder_ids

        self.start_tour(
            "/odoo", "okr_planner_link_tour", login=planner.login, timeout=120
        )

        for workorder in workorders:
            self.assertEqual(workorder.key_result_ids, yield_kr)
        self.assertEqual(yield_kr.workorder_ids, linked_before | workorders)
        # linking feeds the key result; it does not let the planner edit it
        with self.assertRaises(AccessError):
            yield_kr.with_user(planner).write({"target_value": 99})

    def _create_tour_workorders(self):
        """A confirmed manufacturing order with two uniquely named operations."""
        workcenter = self.env["mrp.workcenter"].create({"name": "Tour Press"})
        component = self.env["product.product"].create({"name": "Tour Steel Coil"})
        product = self.env["product.product"].create({"name": "Tour Bracket"})
        bom_form = Form(self.env["mrp.bom"])
        bom_form.product_tmpl_id = product.product_tmpl_id
        with bom_form.bom_line_ids.new() as line:
            line.product_id = component
        for name in ("Tour Press Forming", "Tour Press Trimming"):
            with bom_form.operation_ids.new() as operation:
                operation.name = name
                operation.workcenter_id = workcenter
                operation.time_cycle_manual = 10
        bom = bom_form.save()
        production_form = Form(self.env["mrp.production"])
        production_form.product_id = product
        production_form.bom_id = bom
        production = production_form.save()
        production.action_confirm()
        self.assertEqual(len(production.workorder_ids), 2)
        return production.workorder_ids

    def test_hr_officer_reads_okr_reference(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "okr_hr_appraisal.hide_okr", False
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "okr_management.score_scale", "unit"
        )
        officer = self._new_user("tour_hr_officer", f"{APPRAISAL_OFFICER},{OKR_USER}")
        self._assert_only_groups(officer, f"{APPRAISAL_OFFICER},{OKR_USER}")
        appraisal = self.env.ref("okr_hr_appraisal.appraisal_procurement_head")
        self.assertEqual(appraisal.okr_score_display, "0.56")

        self.start_tour(
            "/odoo", "okr_appraisal_reference_tour", login=officer.login, timeout=120
        )

        Line = self.env["okr.appraisal.line"].with_user(officer)
        self.assertEqual(
            Line.search([("appraisal_id", "=", appraisal.id)]).mapped(
                "key_result_name"
            ),
            ["Supplier on-time delivery at least 95%"],
        )
        # the production head's objective is for his department only: the
        # officer reads his appraisal but not the lines of that objective
        production = self.env.ref("okr_hr_appraisal.appraisal_production_head")
        self.assertTrue(production.okr_line_ids)
        self.assertFalse(Line.search([("appraisal_id", "=", production.id)]))
        with self.assertRaises(AccessError):
            self.env.ref("okr_management.objective_production").with_user(
                officer
            ).check_access("read")

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
