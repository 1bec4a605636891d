from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

OKR_USER = "okr_management.group_okr_user"


@tagged("post_install", "-at_install")
class TestOkrOnboardingLater(TransactionCase):
    """A user who is given an OKR group later gets the first-visit tour
    once, whichever screen gave the group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.okr_user_group = cls.env.ref(OKR_USER)
        cls.tour = cls.env.ref("okr_management.okr_onboarding_tour")

    def _clerk(self, login):
        user = new_test_user(self.env, login=login, groups="base.group_user")
        self.assertFalse(user.tour_enabled, "no OKR group, no OKR tour")
        return user

    def _current_tour(self, user):
        return (self.env["web_tour.tour"].with_user(user).get_current_tour() or {}).get(
            "name"
        )

    def test_group_given_on_the_user(self):
        clerk = self._clerk("okr_later_clerk")
        clerk.write({"groups_id": [Command.link(self.okr_user_group.id)]})
        self.assertTrue(clerk.tour_enabled)
        self.env["web_tour.tour"].search(
            [("name", "!=", "okr_onboarding_tour")]
        ).user_consumed_ids = [Command.link(clerk.id)]
        self.assertEqual(self._current_tour(clerk), "okr_onboarding_tour")
        # once done, never again, even when the group is given again
        self.env["web_tour.tour"].with_user(clerk).consume("okr_onboarding_tour")
        self.assertIn(clerk, self.tour.user_consumed_ids)
        clerk.write({"groups_id": [Command.unlink(self.okr_user_group.id)]})
        clerk.write({"groups_id": [Command.link(self.okr_user_group.id)]})
        self.assertNotEqual(self._current_tour(clerk), "okr_onboarding_tour")

    def test_group_given_from_the_group_or_an_implying_group(self):
        clerk = self._clerk("okr_later_clerk_group")
        self.okr_user_group.write({"users": [Command.link(clerk.id)]})
        self.assertTrue(clerk.tour_enabled)
        manager = self._clerk("okr_later_manager")
        manager.write(
            {
                "groups_id": [
                    Command.link(self.env.ref("okr_management.group_okr_manager").id)
                ]
            }
        )
        self.assertTrue(manager.tour_enabled)

    def test_group_given_on_the_user_form(self):
        clerk = self._clerk("okr_later_clerk_form")
        # the OKR groups are one selection of the user form
        groups = self.env["res.groups"].search(
            [("category_id", "=", self.okr_user_group.category_id.id)]
        )
        field = "sel_groups_" + "_".join(str(group.id) for group in groups)
        clerk.write({field: self.okr_user_group.id})
        self.assertTrue(clerk.has_group(OKR_USER))
        self.assertTrue(clerk.tour_enabled)

    def test_switched_off_stays_off_for_other_group_changes(self):
        user = new_test_user(self.env, login="okr_later_user", groups=OKR_USER)
        user.tour_enabled = False
        user.write(
            {"groups_id": [Command.link(self.env.ref("base.group_partner_manager").id)]}
        )
        self.assertFalse(user.tour_enabled)

    def test_non_admin_cannot_give_the_group(self):
        clerk = self._clerk("okr_later_clerk_refused")
        okr_user = new_test_user(self.env, login="okr_later_plain", groups=OKR_USER)

        with self.assertRaises(AccessError):
            self.env(user=okr_user)["res.users"].browse(clerk.id).write(
                {"groups_id": [Command.link(self.okr_user_group.id)]}
            )
        self.assertFalse(clerk.has_group(OKR_USER))
        self.assertFalse(clerk.tour_enabled)
