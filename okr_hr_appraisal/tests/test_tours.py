"""The HR officer's path to the OKR reference of an appraisal, in a real
browser (headless Chromium), as a user with only the appraisal officer and OKR
user groups."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.okr_management.tests.tour_common import (
    APPRAISAL_OFFICER,
    OKR_USER,
    OkrTourCase,
)


@tagged("post_install", "-at_install")
class TestOkrAppraisalTours(OkrTourCase):
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
