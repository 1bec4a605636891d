from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError

from .common import OkrTestCommon


class TestOkrReminders(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "okr_management.mail_activity_type_okr_check_in"
        )
        cls.KeyResult = cls.env["okr.key.result"]

    def _commit_hooks(self):
        """What a commit runs: flush, then the precommit hooks."""
        self.env.flush_all()
        self.env.cr.flush()

    def _reminders(self, key_result):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "okr.key.result"),
                ("res_id", "=", key_result.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def _alerts(self, record, user):
        return record.message_ids.filtered(
            lambda m: (
                user.partner_id in m.partner_ids and "went off track" in str(m.body)
            )
        )

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    def test_settings_default_and_bad_value(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.okr_reminder_days, 7)
        with self.assertRaisesRegex(ValidationError, "Remind after"):
            self.env["res.config.settings"].create({"okr_reminder_days": 0})

    def test_settings_reserved_to_admins(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.user_manager).create(
                {"okr_reminder_days": 3}
            )

    def test_one_reminder_per_stale_key_result(self):
        self.KeyResult._cron_send_reminders()
        self.assertFalse(self._reminders(self.kr_yield), "created today: not stale")

        later = self.today + timedelta(days=8)
        with freeze_time(later):
            self.KeyResult._cron_send_reminders()
            reminder = self._reminders(self.kr_yield)
            self.assertEqual(len(reminder), 1)
            self.assertEqual(reminder.user_id, self.user_lead)
            self.assertEqual(reminder.date_deadline, later)
            # the owner sees it as theirs; another user cannot change it
            mine = (
                self.env["mail.activity"]
                .with_user(self.user_lead)
                .search([("id", "=", reminder.id), ("user_id", "=", self.user_lead.id)])
            )
            self.assertEqual(mine, reminder)
            with self.assertRaises(AccessError):
                reminder.with_user(self.user_qa).write({"summary": "hijack"})

            self.KeyResult._cron_send_reminders()
            self.KeyResult._cron_send_reminders()
            self.assertEqual(self._reminders(self.kr_yield), reminder, "never a second")

            # checking in closes it, and no new one is made
            self.kr_yield.with_user(self.user_lead).action_check_in(93)
            self.KeyResult._cron_send_reminders()
            self.assertFalse(self._reminders(self.kr_yield))

        with freeze_time(later + timedelta(days=7)):
            self.KeyResult._cron_send_reminders()
            self.assertEqual(len(self._reminders(self.kr_yield)), 1)

    def test_reminder_days_from_settings(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "okr_management.reminder_days", 3
        )
        self.kr_yield.action_check_in(93)
        with freeze_time(self.today + timedelta(days=2)):
            self.KeyResult._cron_send_reminders()
            self.assertFalse(self._reminders(self.kr_yield))
        with freeze_time(self.today + timedelta(days=3)):
            self.KeyResult._cron_send_reminders()
            self.assertEqual(len(self._reminders(self.kr_yield)), 1)

    def test_no_reminder_outside_running_cycle_or_without_user(self):
        kr_no_user = self.KeyResult.create(
            {
                "name": "No user",
                "objective_id": self.objective.id,
                "owner_id": self.env["hr.employee"].create({"name": "No login"}).id,
                "start_value": 0,
                "target_value": 5,
            }
        )
        self.cycle.action_close()
        with freeze_time(self.today + timedelta(days=10)):
            self.KeyResult._cron_send_reminders()
        self.assertFalse(self._reminders(self.kr_yield))
        self.assertFalse(self._reminders(kr_no_user))

    # ------------------------------------------------------------------
    # Off-track alerts
    # ------------------------------------------------------------------
    def test_off_track_after_check_in_notifies_manager_once(self):
        self._commit_hooks()
        lead_kr = self.kr_yield.with_user(self.user_lead)
        lead_kr.action_check_in(95)  # 0.75 against an expected 0.5
        self._commit_hooks()
        self.assertEqual(self.kr_yield.status, "on_track")
        self.assertEqual(self.objective.status, "on_track")
        self.assertFalse(self._alerts(self.kr_yield, self.user_manager))

        lead_kr.action_check_in(92.4)  # 0.1: off track
        self._commit_hooks()
        self.assertEqual(self.kr_yield.status, "off_track")
        alerts = self._alerts(self.kr_yield, self.user_manager)
        self.assertEqual(len(alerts), 1)
        self.assertEqual(len(self._alerts(self.objective, self.user_manager)), 1)
        # the manager was notified in their inbox
        self.assertIn(
            self.user_manager.partner_id,
            alerts.notification_ids.res_partner_id,
        )

        lead_kr.action_check_in(92.2)  # still off track: no new alert
        self._commit_hooks()
        self.assertEqual(len(self._alerts(self.kr_yield, self.user_manager)), 1)

    def test_flip_within_one_transaction_notifies_nobody(self):
        self.kr_yield.action_check_in(95)
        self._commit_hooks()
        self.kr_yield.action_check_in(92.4)
        self.env.flush_all()  # off track, flushed, but not committed yet
        self.kr_yield.action_check_in(95.5)
        self._commit_hooks()
        self.assertEqual(self.kr_yield.status, "on_track")
        self.assertFalse(self._alerts(self.kr_yield, self.user_manager))

    def test_daily_status_cron_notifies_manager(self):
        objective = self.env["okr.objective"].create(
            {
                "name": "Operator goals",
                "cycle_id": self.cycle.id,
                "level": "individual",
                "owner_id": self.emp_worker.id,
                "state": "active",
            }
        )
        key_result = self.KeyResult.create(
            {
                "name": "Suggestions 0 to 10",
                "objective_id": objective.id,
                "start_value": 0,
                "target_value": 10,
            }
        )
        key_result.with_user(self.user_worker).action_check_in(5)  # 0.5 at half time
        self._commit_hooks()
        self.assertEqual(key_result.status, "on_track")

        with freeze_time(self.today + timedelta(days=40)):
            self.env["okr.cycle"]._cron_update_status()
            self._commit_hooks()
        self.assertEqual(key_result.status, "off_track")
        # the worker's manager is the line lead
        self.assertEqual(len(self._alerts(key_result, self.user_lead)), 1)
        self.assertEqual(len(self._alerts(objective, self.user_lead)), 1)
        self.assertFalse(self._alerts(key_result, self.user_manager))

        with freeze_time(self.today + timedelta(days=41)):
            self.env["okr.cycle"]._cron_update_status()
            self._commit_hooks()
        self.assertEqual(len(self._alerts(key_result, self.user_lead)), 1)
