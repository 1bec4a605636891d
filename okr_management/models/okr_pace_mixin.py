from odoo import api, fields, models

from ..tools import get_setting

# Where a score falls against the scoring scale's ideal band (Settings).
SCORE_BAND_SELECTION = [
    ("below", "Below the Band"),
    ("inside", "Inside the Band"),
    ("above", "Above the Band"),
]

STATUS_SELECTION = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("off_track", "Off Track"),
]


class OkrPaceMixin(models.AbstractModel):
    """Pace and traffic-light status shared by objectives and key results.

    The status compares the progress with the expected progress (the share of
    the cycle elapsed): on track at or above ``on_track_ratio`` of the pace,
    off track below ``off_track_ratio`` of it, at risk in between. Both ratios
    live in the Settings.

    A change of status is tracked in the chatter like any tracked field;
    :meth:`_message_track_post_template` then tells the owner's manager when
    a record went off track (never from a compute, never twice for one
    transition: tracking compares the value before the transaction with the
    value at its end).
    """

    _name = "okr.pace.mixin"
    # the status is announced through the chatter's tracking
    _inherit = ["mail.thread"]
    _description = "OKR Pace and Status"

    expected_progress = fields.Float(
        compute="_compute_expected_progress",
        help="Share of the cycle elapsed today: where the progress should be "
        "if the work advanced at an even pace.",
    )
    status = fields.Selection(
        STATUS_SELECTION,
        compute="_compute_status",
        store=True,
        index=True,
        tracking=True,
        help="Computed from the progress against the expected progress, with "
        "the thresholds set in the Settings.",
    )

    def _compute_expected_progress(self):
        today = fields.Date.context_today(self)
        for record in self:
            record.expected_progress = record._get_expected_progress_on(today)

    @api.depends("progress", "cycle_id.date_start", "cycle_id.date_end")
    def _compute_status(self):
        on_track_ratio, off_track_ratio = self._get_status_ratios()
        today = fields.Date.context_today(self)
        for record in self:
            record.status = self._status_from_pace(
                record.progress,
                record._get_expected_progress_on(today),
                on_track_ratio,
                off_track_ratio,
            )

    def _get_expected_progress_on(self, date):
        """Where the progress should be on ``date`` at an even pace: the share
        of the cycle elapsed. Key results with a deadline use their own
        window."""
        self.ensure_one()
        return self.cycle_id._get_expected_progress(date)

    @api.model
    def _get_status_ratios(self):
        return (
            get_setting(self.env, "on_track_ratio"),
            get_setting(self.env, "off_track_ratio"),
        )

    @api.model
    def _status_from_pace(self, progress, expected, on_track_ratio, off_track_ratio):
        if progress >= 1.0 or expected <= 0.0:
            return "on_track"
        if progress >= expected * on_track_ratio:
            return "on_track"
        if progress < expected * off_track_ratio:
            return "off_track"
        return "at_risk"

    def _message_track_post_template(self, changes):
        result = super()._message_track_post_template(changes)
        if changes and "status" in changes and self.status == "off_track":
            self._notify_off_track()
        return result

    def _get_off_track_reasons(self):
        """Why this record is off track, as sentences for the notice: the
        pace here; modules that know more (a plan, a deadline) add theirs."""
        self.ensure_one()
        return [
            self.env._(
                "progress %(progress)s%% against an expected %(expected)s%%",
                progress=round(self.progress * 100),
                expected=round(self.expected_progress * 100),
            )
        ]

    def _notify_off_track(self):
        """Tell the owner's manager, in the manager's language, that this
        record went off track."""
        self.ensure_one()
        manager_user = self.owner_id.parent_id.user_id
        if not manager_user:
            return
        record = self.with_context(lang=manager_user.lang or self.env.lang)
        record.message_post(
            body=record.env._(
                "%(name)s went off track: %(reasons)s. Owner: %(owner)s.",
                name=record.display_name,
                reasons="; ".join(record._get_off_track_reasons()),
                owner=record.owner_id.name,
            ),
            partner_ids=manager_user.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
