"""The Team Check-in shows every key result's and objective's name in full,
with the unit beside the values: at the meeting room's 1400 px and on a
phone, in a real browser."""

from odoo.tests import tagged

from .tour_common import OKR_MANAGER, OkrTourCase


class TeamCheckInWidthMixin:
    def _run_width_tour(self, login):
        manager = self._new_user(
            login,
            OKR_MANAGER,
            {"department_id": self.env.ref("hr.dep_management").id},
        )
        self.start_tour(
            "/odoo/action-okr_management.okr_team_check_in_action",
            "okr_team_check_in_width_tour",
            login=manager.login,
            timeout=180,
        )
        return manager


@tagged("post_install", "-at_install")
class TestOkrTeamCheckInWidthDesktop(TeamCheckInWidthMixin, OkrTourCase):
    browser_size = "1400x900"

    def test_names_in_full_at_1400(self):
        self._run_width_tour("okr_width_desktop")

    def test_line_values_with_their_unit(self):
        key_result = self.env.ref("okr_management.kr_procurement_second_source")
        wizard = (
            self.env["okr.team.check.in"]
            .with_user(self._new_user("okr_width_reader", OKR_MANAGER))
            .create(
                {
                    "team_type": "department",
                    "department_id": self.env.ref("okr_management.dep_procurement").id,
                }
            )
        )
        line = wizard.line_ids.filtered(lambda line: line.key_result_id == key_result)
        self.assertEqual(line.target_display, "18 parts")
        self.assertEqual(
            line.current_display, key_result._format_value(key_result.current_value)
        )
        self.assertTrue(line.current_display.endswith(" parts"))


@tagged("post_install", "-at_install")
class TestOkrTeamCheckInWidthPhone(TeamCheckInWidthMixin, OkrTourCase):
    browser_size = "390x844"
    touch_enabled = True

    def test_names_in_full_on_a_phone(self):
        self._run_width_tour("okr_width_phone")
