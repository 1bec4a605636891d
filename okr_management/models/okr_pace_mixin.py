from odoo import _, api, fields, models
from odoo.tools import SQL

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

_NOT_IN_CACHE = object()

DEFAULT_ON_TRACK_RATIO = 0.9
DEFAULT_OFF_TRACK_RATIO = 0.6


class OkrPaceMixin(models.AbstractModel):
    """Pace and traffic-light status shared by objectives and key results.

    The status compares the progress with the expected progress (the share of
    the cycle elapsed): on track at or above ``on_track_ratio`` of the pace,
    off track below ``off_track_ratio`` of it, at risk in between. Both ratios
    live in the Settings.
    """

    _name = "okr.pace.mixin"
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
        help="Computed from the progress against the expected progress, with "
        "the thresholds set in the Settings.",
    )

    def _compute_expected_progress(self):
        today = fields.Date.context_today(self)
        for record in self:
            record.expected_progress = record._get_expected_progress_on(today)

    @api.depends("progress", "cycle_id.date_start", "cycle_id.date_end")
    def _compute_status(self):
        self._remember_status_before_change()
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
        params = self.env["ir.config_parameter"].sudo()
        on_track = float(
            params.get_param("okr_management.on_track_ratio", DEFAULT_ON_TRACK_RATIO)
        )
        off_track = float(
            params.get_param("okr_management.off_track_ratio", DEFAULT_OFF_TRACK_RATIO)
        )
        return on_track, off_track

    @api.model
    def _status_from_pace(self, progress, expected, on_track_ratio, off_track_ratio):
        if progress >= 1.0 or expected <= 0.0:
            return "on_track"
        if progress >= expected * on_track_ratio:
            return "on_track"
        if progress < expected * off_track_ratio:
            return "off_track"
        return "at_risk"

    def _remember_status_before_change(self):
        """Keep the status each record had before this transaction changed it.

        Called by every status recompute (a check-in, the daily status cron, a
        changed target). The first status seen in the transaction is kept: the
        cache still holds it while the field waits for its recompute, the
        database is read (one query per batch) only for the records not in
        cache. At commit, :meth:`_notify_off_track` alerts the managers of the
        records that went off track from another status; a record recomputed
        twice, or flipping back, notifies once or not at all.
        """
        real_records = self.filtered(lambda record: isinstance(record.id, int))
        if not real_records:
            return
        precommit = self.env.cr.precommit
        key = f"okr_management.status_before.{self._name}"
        status_before = precommit.data.get(key)
        if status_before is None:
            status_before = precommit.data[key] = {}
            model = self.env[self._name].sudo()
            # the data is read when the hook runs, not captured now
            precommit.add(lambda: model._notify_off_track(precommit.data.get(key, {})))
        field = self._fields["status"]
        missing = []
        for record in real_records:
            if record.id in status_before:
                continue
            status = self.env.cache.get(record, field, _NOT_IN_CACHE)
            if status is _NOT_IN_CACHE:
                missing.append(record.id)
            else:
                status_before[record.id] = status
        if missing:
            self.env.cr.execute(
                SQL(
                    "SELECT id, status FROM %s WHERE id = ANY(%s)",
                    SQL.identifier(self._table),
                    missing,
                )
            )
            status_before.update(self.env.cr.fetchall())

    def _notify_off_track(self, status_before):
        """Tell the owner's manager, once per transition, that a record went
        off track. A record created off track, or that was off track already,
        is no transition."""
        candidate_ids = [
            record_id
            for record_id, status in status_before.items()
            if status and status != "off_track"
        ]
        # the status just recomputed is in cache: only the records that went
        # off track, or whose status is not known, are read
        field = self._fields["status"]
        cache = self.env.cache
        pending = self.env.transaction.tocompute.get(field, ())
        to_read = [
            record.id
            for record in self.browse(candidate_ids)
            if record.id in pending
            or cache.get(record, field, "off_track") == "off_track"
        ]
        records = self.browse(to_read).exists() if to_read else self.browse()
        for record in records.filtered(lambda r: r.status == "off_track"):
            manager_user = record.owner_id.parent_id.user_id
            if not manager_user:
                continue
            record.message_post(
                body=_(
                    "%(name)s went off track: progress %(progress)s%% against an "
                    "expected %(expected)s%%. Owner: %(owner)s.",
                    name=record.display_name,
                    progress=round(record.progress * 100),
                    expected=round(record.expected_progress * 100),
                    owner=record.owner_id.name,
                ),
                partner_ids=manager_user.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
