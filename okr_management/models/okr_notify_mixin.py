from collections import defaultdict

from odoo import fields, models


class OkrNotifyMixin(models.AbstractModel):
    """One way to tell a person something: an activity in their language,
    scheduled once per occasion.

    Reminders, missed deadlines, overdue milestones, commitment escalations
    and the bridge's alerts all go through :meth:`_okr_schedule_activity`;
    those announced once per occasion (a deadline, a due date) through
    :meth:`_okr_notify_once`, which remembers the occasion in a field of the
    record. For models with activities (``mail.activity.mixin``).
    """

    _name = "okr.notify.mixin"
    _description = "OKR: notify people once"

    def _okr_schedule_activity(
        self, activity_xmlid, user, note, summary=None, date_deadline=None
    ):
        """Schedule an activity of type ``activity_xmlid`` for ``user`` on
        this record. ``note`` and ``summary`` are callables given the record
        in the user's language (so ``record.env._`` translates for them).
        Returns the activity (empty when there is nobody to tell)."""
        self.ensure_one()
        if not user:
            return self.env["mail.activity"]
        record = self.with_context(lang=user.lang or self.env.lang)
        return record.activity_schedule(
            activity_xmlid,
            date_deadline=date_deadline or fields.Date.context_today(self),
            summary=summary(record) if summary else None,
            note=note(record),
            user_id=user.id,
        )

    def _okr_notify_once(self, marker_field, occasion, notify):
        """Call ``notify(record)`` for each record whose ``marker_field`` is
        not yet ``occasion(record)`` (a deadline, a due date), then remember
        the occasions, one write per occasion: a record is announced once per
        occasion, again when the occasion moves. The marker is the system's
        fact, written as such."""
        by_occasion = defaultdict(list)
        for record in self:
            value = occasion(record)
            if record[marker_field] != value:
                notify(record)
                by_occasion[value].append(record.id)
        for value, ids in by_occasion.items():
            # the marker is a system-written field (see okr.system.fields.mixin)
            self.browse(ids).sudo().write({marker_field: value})
