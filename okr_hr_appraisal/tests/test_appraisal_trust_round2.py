"""The appraisal export belongs to the HR officer who asked for it (issue:
trust, second round): no other officer, of this company or another, finds or
downloads it."""

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import APPRAISAL_OFFICER, OKR_USER, OkrAppraisalCommon


@tagged("post_install", "-at_install")
class TestAppraisalTrustRound2(OkrAppraisalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.appraisal = cls._create_appraisal(cls)
        company_b = cls.env["res.company"].create({"name": "Plant B Appraisals"})
        cls.user_hr_b = new_test_user(
            cls.env,
            login="okra_hr_b",
            groups=f"{APPRAISAL_OFFICER},{OKR_USER}",
            company_id=company_b.id,
            company_ids=[(6, 0, company_b.ids)],
            name="HR Plant B",
        )
        cls.user_hr_2 = new_test_user(
            cls.env,
            login="okra_hr_2",
            groups=f"{APPRAISAL_OFFICER},{OKR_USER}",
            name="Second HR officer",
        )

    def test_export_belongs_to_its_officer(self):
        env = self.env(user=self.user_hr)
        wizard = env["okr.appraisal.report.export"].create(
            {"department_ids": [(6, 0, self.department.ids)]}
        )
        action = wizard.action_export()
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].sudo().browse(attachment_id)
        self.assertFalse(attachment.res_model)
        self.assertFalse(attachment.res_id)
        self.assertFalse(attachment.public)
        self.assertEqual(attachment.create_uid, self.user_hr)
        self.assertTrue(
            self.env(user=self.user_hr)["ir.attachment"]
            .browse(attachment_id)
            .read(["datas"])[0]["datas"]
        )
        for user in (self.user_hr_b, self.user_hr_2):
            self.env.invalidate_all()
            Attachment = self.env(user=user)["ir.attachment"]
            self.assertFalse(
                Attachment.search(
                    [
                        "|",
                        ("id", "=", attachment_id),
                        ("res_model", "=", "okr.appraisal.report.export"),
                    ]
                )
            )
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                Attachment.browse(attachment_id).read(["datas"])
        self.assertTrue(attachment.exists())

    def test_reference_numbers_refused_with_the_field_named(self):
        """Numbers given to an appraisal's OKR figures are refused as the
        OKR reference they are, and bad numbers never reach the ORM."""
        appraisal = self.env(user=self.user_hr)["hr.appraisal"].browse(
            self.appraisal.id
        )
        score = self.appraisal.okr_score
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            appraisal.write({"okr_score": 1.0})
        with (
            self.assertRaisesRegex(ValidationError, "OKR Score|must be a number"),
            self.env.cr.savepoint(),
        ):
            self.env["hr.appraisal"].browse(self.appraisal.id).write(
                {"okr_score": "abc"}
            )
        self.env.invalidate_all()
        self.assertEqual(self.appraisal.okr_score, score)
