from datetime import datetime, time, timedelta

from markupsafe import Markup

from odoo import api, fields, models

from ..tools import get_setting, run_isolated, setting_default

# lines shown per section; the rest is counted
SUMMARY_SECTION_LIMIT = 20


class ResUsers(models.Model):
    """The weekly OKR summary: one message for each person who manages
    others, on the weekday set in the Settings, in their language.

    The figures are searched as the manager (``with_user``): a manager reads
    in the summary only what the record rules let them read anyway."""

    _inherit = "res.users"

    okr_weekly_summary = fields.Boolean(
        string="Weekly OKR Summary",
        default=True,
        help="If you manage people, receive each week one message with their "
        "key results off track, without a recent check-in or waiting for your "
        "acknowledgement, and your departments' overdue commitments.",
    )
    okr_summary_date = fields.Date(
        string="Last Weekly OKR Summary",
        readonly=True,
        copy=False,
        groups="base.group_system",
        help="The day the last weekly summary was sent: one per week.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "okr_weekly_summary"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "okr_weekly_summary"]

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    def _cron_okr_weekly_summary(self):
        """Daily: on the weekday of the Settings, send each manager who did
        not opt out their summary, once that day; one failing manager does
        not stop the others."""
        today = fields.Date.context_today(self)
        if today.weekday() != self._okr_summary_weekday():
            return True
        managers = self._okr_summary_managers().filtered(
            lambda user: user.okr_summary_date != today
        )
        run_isolated(
            managers,
            lambda batch: batch._okr_send_weekly_summary(),
            "OKR weekly summaries",
        )
        return True

    @api.model
    def _okr_summary_weekday(self):
        """The weekday of the summary (Settings), Monday when not a day of
        the week."""
        weekday = get_setting(self.env, "summary_weekday").strip()
        if weekday not in {str(day) for day in range(7)}:
            weekday = setting_default("summary_weekday")
        return int(weekday)

    @api.model
    def _okr_summary_managers(self):
        """Internal OKR users who manage others (an employee reports to them
        or they manage a department) and did not opt out."""
        # the org chart is read whole: who manages whom, whatever HR rights
        Employee = self.env["hr.employee"].sudo()
        users = Employee.search(
            [("child_ids", "!=", False), ("user_id", "!=", False)]
        ).user_id
        users |= (
            self.env["hr.department"]
            # the departments' managers, whatever HR rights the cron's user has
            .sudo()
            .search([("manager_id.user_id", "!=", False)])
            .manager_id.user_id
        )
        # their preferences and groups, read for the cron
        return users.sudo().filtered(
            lambda user: (
                user.active
                and not user.share
                and user.okr_weekly_summary
                and user.has_group("okr_management.group_okr_user")
            )
        )

    # ------------------------------------------------------------------
    # The summary
    # ------------------------------------------------------------------
    def _okr_summary_people(self):
        """The employees this user manages: their reporting line below them
        and the members of the departments they manage (and below)."""
        self.ensure_one()
        # the org chart is read whole to know who reports to whom
        Employee = self.env["hr.employee"].sudo()
        own = self.sudo().employee_ids
        departments = self._okr_summary_departments()
        people = Employee.search(
            [
                "|",
                ("id", "child_of", own.ids),
                ("department_id", "in", departments.ids),
            ]
        )
        return people - own

    def _okr_summary_departments(self):
        """The departments this user manages, with those below them."""
        self.ensure_one()
        # the department tree is read whole, as for the record rules
        Department = self.env["hr.department"].sudo()
        managed = Department.search([("manager_id.user_id", "=", self.id)])
        if not managed:
            return managed
        return Department.search([("id", "child_of", managed.ids)])

    def _okr_weekly_summary_sections(self):
        """The summary's sections for this user, searched as this user:
        ``[(title, [(label, url), ...], more)]``, only the non-empty ones."""
        self.ensure_one()
        # searched as the manager: their record rules decide what they read
        reader = self.with_user(self).with_context(lang=self.lang or self.env.lang)
        env = reader.env
        _ = env._
        today = fields.Date.context_today(reader)
        people = self._okr_summary_people()
        KeyResult = env["okr.key.result"]
        running = [
            ("cycle_id.state", "=", "running"),
            ("objective_id.state", "=", "active"),
            ("owner_id", "in", people.ids),
        ]
        days = max(get_setting(env, "reminder_days"), 1)
        limit = today - timedelta(days=days)
        off_track = KeyResult.search(
            [*running, ("status", "=", "off_track")], order="objective_id, sequence"
        )
        stale = KeyResult.search(
            [
                *running,
                ("source", "not in", KeyResult._get_computed_sources()),
                "|",
                ("last_check_in_date", "<=", limit),
                "&",
                ("last_check_in_date", "=", False),
                ("create_date", "<", datetime.combine(limit, time.max)),
            ],
            order="objective_id, sequence",
        )
        to_acknowledge = env["okr.check.in"].search(
            [("to_acknowledge", "=", True)], order="date desc, id desc"
        )
        departments = self._okr_summary_departments()
        overdue = env["okr.commitment"].browse()
        if departments:
            overdue = env["okr.commitment"].search(
                [("is_overdue", "=", True), ("department_id", "in", departments.ids)],
                order="date_deadline, id",
            )
        sections = [
            (
                _("Key results off track"),
                off_track,
                lambda kr: _(
                    "%(kr)s (%(owner)s): %(progress)s%% against an expected "
                    "%(expected)s%%",
                    kr=kr.name,
                    owner=kr.owner_id.name,
                    progress=round(kr.progress * 100),
                    expected=round(kr.expected_progress * 100),
                ),
            ),
            (
                _("Key results without a check-in for %(days)s days", days=days),
                stale,
                lambda kr: _(
                    "%(kr)s (%(owner)s): last check-in %(date)s",
                    kr=kr.name,
                    owner=kr.owner_id.name,
                    date=kr.last_check_in_date or _("never"),
                ),
            ),
            (
                _("Check-ins waiting for your acknowledgement"),
                to_acknowledge,
                lambda check_in: _(
                    "%(kr)s (%(owner)s): %(value)s %(unit)s on %(date)s",
                    kr=check_in.key_result_id.name,
                    owner=check_in.owner_id.name,
                    value=check_in.value,
                    unit=check_in.unit or "",
                    date=check_in.date,
                ),
            ),
            (
                _("Overdue commitments of your departments"),
                overdue,
                lambda commitment: _(
                    "%(name)s (%(department)s): due on %(deadline)s",
                    name=commitment.name,
                    department=commitment.department_id.name,
                    deadline=commitment.date_deadline,
                ),
            ),
        ]
        base_url = self.get_base_url()
        result = []
        for title, records, label in sections:
            if not records:
                continue
            lines = [
                (label(record), f"{base_url}/odoo/{record._name}/{record.id}")
                for record in records[:SUMMARY_SECTION_LIMIT]
            ]
            result.append((title, lines, max(len(records) - SUMMARY_SECTION_LIMIT, 0)))
        return result

    def _okr_weekly_summary_body(self, sections):
        """The message: a heading and a linked list per section."""
        self.ensure_one()
        _ = self.with_context(lang=self.lang or self.env.lang).env._
        body = Markup("<p>%s</p>") % _(
            "Your people's OKRs this week, %(name)s:", name=self.name
        )
        for title, lines, more in sections:
            items = Markup("").join(
                Markup('<li><a href="%s">%s</a></li>') % (url, label)
                for label, url in lines
            )
            if more:
                items += Markup("<li>%s</li>") % _("and %(count)s more", count=more)
            body += Markup("<p><b>%s</b></p><ul>%s</ul>") % (title, items)
        return body

    def _okr_send_weekly_summary(self):
        """Send each of these users their summary as one message in their
        inbox (e-mailed when they chose e-mail notifications); nothing when
        there is nothing to say."""
        today = fields.Date.context_today(self)
        sent = self.browse()
        for user in self:
            sections = user._okr_weekly_summary_sections()
            if sections:
                lang_user = user.with_context(lang=user.lang or self.env.lang)
                # a notification of the system, sent to one person
                self.env["mail.thread"].sudo().with_context(
                    lang=lang_user.env.lang
                ).message_notify(
                    partner_ids=user.partner_id.ids,
                    author_id=self.env.ref("base.partner_root").id,
                    subject=lang_user.env._("Your weekly OKR summary"),
                    body=user._okr_weekly_summary_body(sections),
                )
            sent |= user
        # the day of the last summary is the system's own bookkeeping
        sent.sudo().write({"okr_summary_date": today})
