"""What the browser tours of the three modules share: a tour user for each
role, created with only that role's groups. Not a test module: the tours
live in each module's ``tests/test_tours.py``."""

from odoo.tests import HttpCase, new_test_user

OKR_USER = "okr_management.group_okr_user"
OKR_MANAGER = "okr_management.group_okr_manager"
MRP_USER = "mrp.group_mrp_user"
APPRAISAL_OFFICER = "hr_appraisal_oca.group_appraisal_hr_officer"


class OkrTourCase(HttpCase):
    """Base of the tour tests (no test of its own)."""

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
