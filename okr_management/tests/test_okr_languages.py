"""Every message, activity and note the suite writes for a person reads in
that person's language: one test per kind, its reader in Chinese (zh_CN),
everyone else in English."""

from datetime import timedelta

import polib
from freezegun import freeze_time

from odoo.modules.module import get_module_path
from odoo.tests import tagged

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrLanguages(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["okr_management"], ["zh_CN"])

    def _chinese(self, *users):
        for user in users:
            user.lang = "zh_CN"

    def _activities(self, record, user):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("user_id", "=", user.id),
            ]
        )

    def _notes_to(self, record, user):
        return record.message_ids.filtered(
            lambda message: user.partner_id in message.partner_ids
        )

    def test_check_in_reminder(self):
        self._chinese(self.user_lead)
        with freeze_time(self.today + timedelta(days=8)):
            self.env["okr.key.result"]._cron_send_reminders()
        reminder = self._activities(self.kr_yield, self.user_lead)
        self.assertIn("天或更久没有进展更新", str(reminder.note))

    def test_missed_deadline(self):
        self.kr_yield.deadline = self.today - timedelta(days=1)
        self._chinese(self.user_lead)
        self.env["okr.key.result"]._cron_notify_missed_deadlines()
        notice = self._activities(self.kr_yield, self.user_lead)
        self.assertIn("已过截止日期", str(notice.note))

    def test_off_track_notice_to_the_manager(self):
        self._chinese(self.user_manager)
        self.kr_yield.with_user(self.user_lead).action_check_in(95)
        self.env.flush_all()
        self.env.cr.flush()
        self.kr_yield.with_user(self.user_lead).action_check_in(92.4)
        self.env.flush_all()
        self.env.cr.flush()
        self.assertEqual(self.kr_yield.status, "off_track")
        notice = self._notes_to(self.kr_yield, self.user_manager)
        self.assertIn("已偏离", notice.body)

    def test_badge_comment(self):
        self._chinese(self.user_lead)
        self.kr_yield.with_user(self.user_lead).action_check_in(96)
        badge = self.env["gamification.badge.user"].search(
            [
                ("user_id", "=", self.user_lead.id),
                (
                    "badge_id",
                    "=",
                    self.env.ref("okr_management.badge_okr_target_reached").id,
                ),
            ]
        )
        self.assertIn("已达到目标值", badge.comment)

    def test_overdue_milestone(self):
        kr_launch = self.env["okr.key.result"].create(
            {
                "name": "Line 3 launched",
                "objective_id": self.objective.id,
                "metric_type": "milestone",
                "target_value": 3,
            }
        )
        self.env["okr.key.result.milestone"].create(
            {
                "key_result_id": kr_launch.id,
                "name": "Machines installed",
                "weight": 1,
                "date_deadline": self.today - timedelta(days=2),
                "user_id": self.user_qa.id,
            }
        )
        # the responsible person reads Chinese, the owner English
        self._chinese(self.user_qa)
        self.env["okr.key.result.milestone"]._cron_notify_overdue()
        activity = self._activities(kr_launch, self.user_qa)
        self.assertTrue(activity.summary.startswith("里程碑逾期"))
        self.assertIn("Machines installed", activity.summary)
        self.assertIn("里程碑“Machines installed”", str(activity.note))
        note = self._notes_to(kr_launch, self.user_lead)
        self.assertIn("Milestone 'Machines installed' is overdue", note.body)

    def test_overdue_milestone_note_to_a_chinese_owner(self):
        kr_launch = self.env["okr.key.result"].create(
            {
                "name": "Line 3 launched",
                "objective_id": self.objective.id,
                "metric_type": "milestone",
                "target_value": 3,
            }
        )
        self.env["okr.key.result.milestone"].create(
            {
                "key_result_id": kr_launch.id,
                "name": "Machines installed",
                "weight": 1,
                "date_deadline": self.today - timedelta(days=2),
                "user_id": self.user_qa.id,
            }
        )
        self._chinese(self.user_lead)
        self.env["okr.key.result.milestone"]._cron_notify_overdue()
        self.assertIn("已逾期", self._notes_to(kr_launch, self.user_lead).body)
        activity = self._activities(kr_launch, self.user_qa)
        self.assertEqual(activity.summary, "Milestone overdue: Machines installed")

    def test_commitment_escalation(self):
        commitment = self.env["okr.commitment"].create(
            {
                "name": "Inspection plan",
                "objective_id": self.objective.id,
                "department_id": self.dep_qa.id,
                "user_id": self.user_qa.id,
                "date_deadline": self.today - timedelta(days=3),
            }
        )
        # the contact and the objective's owner read Chinese
        self._chinese(self.user_qa, self.user_lead)
        self.env["okr.commitment"]._cron_escalate_overdue()
        activity = self._activities(commitment, self.user_qa)
        self.assertIn(
            "为目标“Raise line capacity”承诺的“Inspection plan”", str(activity.note)
        )
        note = self.objective.message_ids.filtered(
            lambda message: "Inspection plan" in (message.body or "")
        )
        self.assertIn("逾期承诺已升级上报", note.body)

    def test_commitment_escalation_to_an_english_contact(self):
        commitment = self.env["okr.commitment"].create(
            {
                "name": "Inspection plan",
                "objective_id": self.objective.id,
                "department_id": self.dep_qa.id,
                "user_id": self.user_qa.id,
                "date_deadline": self.today - timedelta(days=3),
            }
        )
        self._chinese(self.user_lead)
        self.env["okr.commitment"]._cron_escalate_overdue()
        activity = self._activities(commitment, self.user_qa)
        self.assertIn("'Inspection plan' of Quality Test", str(activity.note))

    def test_acknowledgement(self):
        kr_scrap = self.env["okr.key.result"].create(
            {
                "name": "Scrap 5 to 2",
                "objective_id": self.objective.id,
                "owner_id": self.emp_worker.id,
                "direction": "decrease",
                "start_value": 5,
                "target_value": 2,
            }
        )
        kr_scrap.with_user(self.user_worker).action_check_in(4)
        self._chinese(self.user_worker)
        # the lead acknowledges in English; the operator reads Chinese
        kr_scrap.check_in_ids.with_env(
            self.env(user=self.user_lead)
        ).action_acknowledge("Good trend")
        note = self._notes_to(kr_scrap, self.user_worker)
        self.assertIn("Line Lead 已确认", note.body)
        self.assertIn("评语", note.body)
        self.assertIn("Good trend", note.body)

    def test_kpi_red_day_and_escalation(self):
        dep_line = self.env["hr.department"].create(
            {"name": "Line 9 Test", "parent_id": self.dep_prod.id}
        )
        self.dep_prod.manager_id = self.emp_lead
        kpi = self.env["okr.kpi"].create(
            {
                "name": "Scrap rate line 9",
                "category": "quality",
                "tier": "1",
                "department_id": dep_line.id,
                "user_id": self.user_worker.id,
                "band_max": 2.0,
                "unit": "%",
            }
        )
        self._chinese(self.user_worker, self.user_lead)
        kpi.with_user(self.user_worker).action_record(
            3.0, date=self.today - timedelta(days=10)
        )
        action = self.env["okr.kpi.action"].search([("kpi_id", "=", kpi.id)])
        red_day = self._activities(action, self.user_worker)
        self.assertIn("Scrap rate line 9 出现红色日", red_day.summary)
        self.assertIn("红色", str(red_day.note))
        action.sudo().date_due = self.today - timedelta(days=1)
        self.env["okr.kpi.action"]._cron_escalate_overdue()
        escalated = self._activities(action, self.user_lead)
        self.assertTrue(escalated.summary.startswith("已升级"))
        self.assertIn("已升级到 Production Test 的第 2 层看板", str(escalated.note))

    def test_change_request_approval(self):
        self._chinese(self.user_lead)
        kr = self.kr_yield
        kr.owner_id = self.emp_worker
        change_id = kr.with_env(self.env(user=self.user_worker)).action_request_change(
            {"target_value": 97}, "New gauge"
        )
        change = self.env["okr.key.result.change"].browse(change_id)
        self.assertIn("批准", self._activities(change, self.user_lead).summary)

    def test_weekly_summary(self):
        self._chinese(self.user_manager)
        self.env["ir.config_parameter"].set_param(
            "okr_management.summary_weekday", str(self.today.weekday())
        )
        self.env["res.users"]._cron_okr_weekly_summary()
        summary = self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("partner_ids", "in", self.user_manager.partner_id.ids),
            ]
        )
        self.assertEqual(summary.subject, "您的每周 OKR 摘要")
        self.assertIn("偏离的关键结果", summary.body)


@tagged("post_install", "-at_install")
class TestOkrTranslationTemplates(OkrTestCommon):
    """Odoo merges a module's zh_CN.po with its .pot and drops the terms the
    .pot lacks: a translation missing from the .pot is never shown."""

    def test_every_translation_is_in_the_template(self):
        for module in ("okr_management", "okr_mrp_bridge"):
            path = get_module_path(module)
            template = {
                entry.msgid for entry in polib.pofile(f"{path}/i18n/{module}.pot")
            }
            dropped = [
                entry.msgid
                for entry in polib.pofile(f"{path}/i18n/zh_CN.po")
                if not entry.obsolete and entry.msgid not in template
            ]
            self.assertFalse(dropped, f"{module}: zh_CN terms missing from the .pot")

    def test_off_track_notice_translation_loads(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        record = self.kr_yield.with_context(lang="zh_CN")
        self.assertIn(
            "已偏离",
            record.env._(
                "%(name)s went off track: %(reasons)s. Owner: %(owner)s.",
                name="x",
                reasons="y",
                owner="z",
            ),
        )
