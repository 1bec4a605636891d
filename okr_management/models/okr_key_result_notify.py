from datetime import date, datetime, time, timedelta

from odoo import _, api, fields, models

from ..tools import get_setting, run_isolated


class OkrKeyResultNotify(models.Model):
    """What the crons tell owners: check-in reminders, missed deadlines
    and the Target Reached badge."""

    _inherit = "okr.key.result"

    notified_deadline = fields.Date(
        readonly=True,
        copy=False,
        help="The deadline whose overrun was announced to the owner: one "
        "activity per deadline.",
    )

    target_reached_date = fields.Date(
        readonly=True,
        copy=False,
        help="The day the key result first reached its target; its owner then "
        "received the Target Reached badge.",
    )

    def _recognize_target_reached(self):
        """Grant the Target Reached badge to the owners of these key results
        that reached their target through a check-in, once per key result,
        and announce it on the objective. Called when check-ins are
        recorded (okr.check.in create), by the system: the badge, its date
        and the message are the suite's own facts."""
        key_results = self.filtered(
            lambda kr: (
                kr.progress >= 1.0
                and kr.last_check_in_date
                and not kr.target_reached_date
            )
        )
        if not key_results:
            return
        key_results.write({"target_reached_date": fields.Date.context_today(self)})
        badge = self.env.ref(
            "okr_management.badge_okr_target_reached", raise_if_not_found=False
        )
        badge_vals = []
        for key_result in key_results:
            # the badge's comment reads in its receiver's language
            _ = key_result.with_context(
                lang=key_result.user_id.lang or self.env.lang
            ).env._
            # badges are shown to every employee: a key result whose objective
            # is not public is not named there
            if key_result.objective_id.visibility == "public":
                comment = _(
                    "Key result '%(kr)s' reached its target of %(target)s %(unit)s.",
                    kr=key_result.name,
                    target=key_result.target_value,
                    unit=key_result.unit or "",
                )
            else:
                comment = _("A key result reached its target.")
            if badge and key_result.user_id:
                badge_vals.append(
                    {
                        "badge_id": badge.id,
                        "user_id": key_result.user_id.id,
                        "comment": comment,
                    }
                )
            key_result.objective_id.message_post(
                body=self.env._(
                    "Target reached! %(owner)s brought key result '%(kr)s' to "
                    "its target (%(target)s %(unit)s) and earns the '%(badge)s' "
                    "badge.",
                    owner=key_result.owner_id.name,
                    kr=key_result.name,
                    target=key_result.target_value,
                    unit=key_result.unit or "",
                    badge=badge.name if badge else self.env._("Target Reached"),
                ),
                subtype_xmlid="mail.mt_comment",
            )
        if badge_vals:
            self.env["gamification.badge.user"].create(badge_vals)._send_badge()

    @api.model
    def _get_reminder_days(self):
        return max(get_setting(self.env, "reminder_days"), 1)

    @api.model
    def _cron_send_reminders(self):
        """Schedule one check-in activity for the owner of each key result of
        a running cycle without a check-in for the days set in the Settings,
        unless one is still open; close the open ones that got a check-in."""
        activity_xmlid = "okr_management.mail_activity_type_okr_check_in"
        activity_type = self.env.ref(activity_xmlid, raise_if_not_found=False)
        if not activity_type:
            return True
        days = self._get_reminder_days()
        limit = fields.Date.context_today(self) - timedelta(days=days)
        open_activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("activity_type_id", "=", activity_type.id),
            ]
        )
        last_dates = {
            key_result.id: key_result.last_check_in_date or date.min
            for key_result in self.browse(open_activities.mapped("res_id")).exists()
        }
        checked_in = open_activities.filtered(
            lambda activity: (
                last_dates.get(activity.res_id, date.min) >= activity.create_date.date()
            )
        )
        if checked_in:
            checked_in.action_feedback(feedback=_("Checked in."))
        stale = self.search(
            [
                ("cycle_id.state", "=", "running"),
                ("objective_id.state", "=", "active"),
                ("user_id", "!=", False),
                ("source", "not in", self._get_computed_sources()),
                ("id", "not in", (open_activities - checked_in).mapped("res_id")),
                "|",
                ("last_check_in_date", "<=", limit),
                "&",
                ("last_check_in_date", "=", False),
                ("create_date", "<", datetime.combine(limit, time.max)),
            ]
        )

        def remind(key_results):
            for key_result in key_results:
                key_result._okr_schedule_activity(
                    activity_xmlid,
                    key_result.user_id,
                    note=lambda record: record.env._(
                        "No check-in on '%(kr)s' for %(days)s days or more: "
                        "give its current value and your confidence.",
                        kr=record.name,
                        days=days,
                    ),
                )

        run_isolated(stale, remind, "OKR check-in reminders")
        return True

    @api.model
    def _cron_notify_missed_deadlines(self):
        """One activity for the owner of each key result of a running cycle
        past its deadline and not reached, once per deadline."""
        today = fields.Date.context_today(self)
        key_results = self.search(
            [
                ("cycle_id.state", "=", "running"),
                ("objective_id.state", "=", "active"),
                ("deadline", "<", today),
                ("progress", "<", 1.0),
                ("user_id", "!=", False),
            ]
        ).filtered(lambda kr: kr.notified_deadline != kr.deadline)
        run_isolated(
            key_results,
            lambda batch: batch._notify_missed_deadline(),
            "OKR missed deadlines",
        )
        return True

    def _notify_missed_deadline(self):
        def notify(key_result):
            key_result._okr_schedule_activity(
                "okr_management.mail_activity_type_okr_deadline_missed",
                key_result.user_id,
                note=lambda record: record.env._(
                    "Key result '%(kr)s' passed its deadline (%(date)s) at "
                    "%(progress)s%% of its target: it is off track. Check "
                    "in where it stands and agree the next step.",
                    kr=record.name,
                    date=record.deadline,
                    progress=round(record.progress * 100),
                ),
            )

        self._okr_notify_once("notified_deadline", lambda kr: kr.deadline, notify)
