"""Each role's path through the suite, in a real browser (headless Chromium)."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestOkrTours(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.okr_user = new_test_user(
            cls.env,
            login="tour_okr_user",
            password="tour_okr_user",
            groups="okr_management.group_okr_user",
            name="Tour OKR User",
        )
        cls.env["hr.employee"].create(
            {
                "name": "Tour OKR User",
                "user_id": cls.okr_user.id,
                "department_id": cls.env.ref("okr_management.dep_production").id,
            }
        )

    def test_alignment_tree_opens_and_expands(self):
        self.start_tour(
            "/odoo", "okr_alignment_tree_tour", login=self.okr_user.login, timeout=120
        )
