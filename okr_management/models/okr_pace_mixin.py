from odoo import api, fields, models

STATUS_SELECTION = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("off_track", "Off Track"),
]

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
            record.expected_progress = record.cycle_id._get_expected_progress(today)

    @api.depends("progress", "cycle_id.date_start", "cycle_id.date_end")
    def _compute_status(self):
        on_track_ratio, off_track_ratio = self._get_status_ratios()
        today = fields.Date.context_today(self)
        for record in self:
            record.status = self._status_from_pace(
                record.progress,
                record.cycle_id._get_expected_progress(today),
                on_track_ratio,
                off_track_ratio,
            )

    @api.model
    def _get_status_ratios(self):
        params = self.env["ir.config_parameter"].sudo()
        on_track = float(
            params.get_param("okr_management.on_track_ratio", DEFAULT_ON_TRACK_RATIO)
        )
        off_track = float(
            params.get_param(
                "okr_management.off_track_ratio", DEFAULT_OFF_TRACK_RATIO
            )
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
