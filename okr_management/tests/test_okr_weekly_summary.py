from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.okr_management.models.okr_weekly_summary import ResUsers

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrWeeklySummary(OkrTestCommon):
    """Each manager's weekly summary: their people's key results off track,
    without a recent check-in or waiting for acknowledgement, and their
    departments' overdue commitments, as one message in their inbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kr_scrap = cls.env["okr.key.result"].create(
            {
                "name": "Scrap 5 to 2",
                "objective_id": cls.objective.id,
                "owner_id": cls.emp_worker.id,
                "direction": "decrease",
                "start_value": 5,
                "target_value": 2,
                "unit": "%",
            }
        )
        cls.kr_scrap.with_user(cls.user_worker).action_check_in(
            5, date=cls.today - timedelta(days=10)
        )
        # the QA department's head manages its members, not their line
        cls.user_qa_head = new_test_user(
            cls.env,
            login="okr_qa_head",
            groups="okr_management.group_okr_user",
            name="QA Head",
        )
        cls.emp_qa_head = cls.env["hr.employee"].create(
            {
                "name": "QA Head",
                "user_id": cls.user_qa_head.id,
                "department_id": cls.dep_qa.id,
            }
        )
        cls.dep_qa.manager_id = cls.emp_qa_head
        cls.qa_private = cls.env["okr.objective"].create(
            {
                "name": "Personal gauge skills",
                "cycle_id": cls.cycle.id,
                "level": "individual",
                "owner_id": cls.emp_qa.id,
                "visibility": "private",
                "state": "active",
            }
        )
        cls.kr_private = cls.env["okr.key.result"].create(
            {
                "name": "Private gauge study count",
                "objective_id": cls.qa_private.id,
                "start_value": 0,
                "target_value": 4,
            }
        )
        cls.commitment = cls.env["okr.commitment"].create(
            {
                "name": "Inspection plan for the fixture",
                "objective_id": cls.objective.id,
                "department_id": cls.dep_qa.id,
                "user_id": cls.user_qa.id,
                "date_deadline": cls.today - timedelta(days=3),
            }
        )
        cls.env["ir.config_parameter"].set_param(
            "okr_management.summary_weekday", str(cls.today.weekday())
        )

    def _summaries(self, user):
        return self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", user.partner_id.ids),
                ("subject", "in", ["Your weekly OKR summary", "您的每周 OKR 摘要"]),
            ]
        )

    def _run(self):
        self.env["res.users"]._cron_okr_weekly_summary()

    def test_line_lead_summary(self):
        self._run()
        summary = self._summaries(self.user_lead)
        self.assertEqual(len(summary), 1)
        body = summary.body
        self.assertIn("Key results off track", body)
        self.assertIn("Scrap 5 to 2 (Operator)", body)
        self.assertIn("Key results without a check-in for 7 days", body)
        self.assertIn("Check-ins waiting for your acknowledgement", body)
        self.assertIn(f"/odoo/okr.key.result/{self.kr_scrap.id}", body)
        self.assertIn(f"/odoo/okr.check.in/{self.kr_scrap.check_in_ids.id}", body)
        # the lead's own key result is not their people's
        self.assertNotIn("Yield 92 to 96", body)
        # the lead manages no department
        self.assertNotIn("Overdue commitments", body)
        # the plant manager gets the whole line, the lead's key result too
        self.assertIn("Yield 92 to 96", self._summaries(self.user_manager).body)

    def test_inbox_or_email_as_each_manager_prefers(self):
        self.user_lead.notification_type = "inbox"
        self.user_manager.notification_type = "email"
        self._run()
        lead = self._summaries(self.user_lead).notification_ids
        self.assertEqual(lead.res_partner_id, self.user_lead.partner_id)
        self.assertEqual(lead.notification_type, "inbox")
        manager = self._summaries(self.user_manager).notification_ids
        self.assertEqual(manager.res_partner_id, self.user_manager.partner_id)
        self.assertEqual(manager.notification_type, "email")

    def test_department_manager_reads_only_what_the_rules_allow(self):
        self._run()
        body = self._summaries(self.user_qa_head).body
        self.assertIn("Overdue commitments of your departments", body)
        self.assertIn("Inspection plan for the fixture (Quality Test)", body)
        # a private objective of a member is not the department head's to read
        self.assertNotIn("Private gauge study count", body)
        self.assertIn(
            "Private gauge study count", self._summaries(self.user_manager).body
        )

    def test_once_per_day_and_only_on_the_weekday(self):
        self._run()
        self._run()
        self.assertEqual(len(self._summaries(self.user_lead)), 1)
        self.assertEqual(
            self.user_lead.okr_summary_date, self.today, "the day of the summary"
        )
        self.user_lead.okr_summary_date = False
        self.env["ir.config_parameter"].set_param(
            "okr_management.summary_weekday", str((self.today.weekday() + 1) % 7)
        )
        self._run()
        self.assertEqual(len(self._summaries(self.user_lead)), 1)

    def test_nothing_to_say_nothing_sent(self):
        boss = new_test_user(
            self.env,
            login="okr_quiet_boss",
            groups="okr_management.group_okr_user",
            name="Quiet Boss",
        )
        emp_boss = self.env["hr.employee"].create(
            {"name": "Quiet Boss", "user_id": boss.id}
        )
        self.env["hr.employee"].create(
            {"name": "Quiet Report", "parent_id": emp_boss.id}
        )
        self._run()
        self.assertFalse(self._summaries(boss))
        # people with nobody to manage get none either
        self.assertFalse(self._summaries(self.user_worker))

    def test_opt_out_in_preferences(self):
        lead = self.user_lead.with_user(self.user_lead)
        with Form(lead, view="base.view_users_form_simple_modif") as form:
            form.okr_weekly_summary = False
        self.assertFalse(self.user_lead.okr_weekly_summary)
        self._run()
        self.assertFalse(self._summaries(self.user_lead))
        self.assertTrue(self._summaries(self.user_manager))

    def test_users_may_not_touch_others_or_the_date(self):
        worker_env = self.env(user=self.user_worker)
        with self.assertRaises(AccessError):
            worker_env["res.users"].browse(self.user_lead.id).write(
                {"okr_weekly_summary": False}
            )
        with self.assertRaises(AccessError):
            worker_env["res.users"].browse(self.user_worker.id).write(
                {"okr_summary_date": self.today}
            )
        self.env.invalidate_all()
        self.assertTrue(self.user_lead.okr_weekly_summary)
        self.assertFalse(self.user_worker.okr_summary_date)

    def test_weekday_setting(self):
        settings = self.env["res.config.settings"].create({"okr_summary_weekday": "4"})
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("okr_management.summary_weekday"),
            "4",
        )
        self.assertEqual(
            self.env["res.config.settings"].create({}).okr_summary_weekday, "4"
        )
        for bad in ("9", 3, "Monday", float("nan"), None):
            with self.assertRaisesRegex(ValidationError, "Send the weekly summary on"):
                self.env["res.config.settings"].create({"okr_summary_weekday": bad})
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("okr_management.summary_weekday"),
            "4",
        )
        # a stored day out of the week falls back to Monday
        self.env["ir.config_parameter"].set_param("okr_management.summary_weekday", "9")
        self.assertEqual(self.env["res.users"]._okr_summary_weekday(), 0)

    def test_one_failing_manager_does_not_stop_the_others(self):
        original = ResUsers._okr_weekly_summary_sections

        def sections(user):
            if user == self.user_lead:
                raise ValueError("broken")
            return original(user)

        with (
            patch.object(ResUsers, "_okr_weekly_summary_sections", sections),
            self.assertLogs("odoo.addons.okr_management.tools.cron", level="ERROR"),
        ):
            self._run()
        self.assertFalse(self._summaries(self.user_lead))
        self.assertTrue(self._summaries(self.user_manager))
        self.assertTrue(self._summaries(self.user_qa_head))

    def test_summary_in_the_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_lead.lang = "zh_CN"
        self._run()
        summary = self._summaries(self.user_lead)
        self.assertEqual(summary.subject, "您的每周 OKR 摘要")
        self.assertIn("偏离的关键结果", summary.body)
        self.assertEqual(
            self._summaries(self.user_manager).subject, "Your weekly OKR summary"
        )
