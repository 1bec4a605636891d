from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    okr_on_track_ratio = fields.Float(
        string="On Track from (share of pace)",
        config_parameter="okr_management.on_track_ratio",
        default=0.9,
        help="A key result or objective is on track when its progress reaches "
        "this share of the expected progress.",
    )
    okr_off_track_ratio = fields.Float(
        string="Off Track below (share of pace)",
        config_parameter="okr_management.off_track_ratio",
        default=0.6,
        help="Below this share of the expected progress, it is off track; in "
        "between the two thresholds, at risk.",
    )
    okr_require_alignment = fields.Boolean(
        string="Require Alignment",
        config_parameter="okr_management.require_alignment",
        help="Flag department, team and individual objectives that are not "
        "aligned to a parent objective.",
    )
    okr_score_scale = fields.Selection(
        [
            ("unit", "0.0 - 1.0 (0.7 is a good stretch)"),
            ("five", "1 - 5 (2.5 - 3.5 is healthy)"),
        ],
        string="Scoring Scale",
        default="unit",
        config_parameter="okr_management.score_scale",
    )
    okr_reminder_days = fields.Integer(
        string="Remind after (days without check-in)",
        config_parameter="okr_management.reminder_days",
        default=7,
        help="Owners of key results without a check-in for this many days get "
        "one check-in activity.",
    )

    okr_max_objectives_per_owner = fields.Integer(
        string="Objectives per Owner",
        config_parameter="okr_management.max_objectives_per_owner",
        default=5,
        help="Warn when an owner has more objectives than this in a cycle.",
    )
    okr_max_key_results_per_objective = fields.Integer(
        string="Key Results per Objective",
        config_parameter="okr_management.max_key_results_per_objective",
        default=5,
        help="Warn when an objective has more key results than this.",
    )

    @api.constrains("okr_max_objectives_per_owner", "okr_max_key_results_per_objective")
    def _check_okr_focus_limits(self):
        for settings in self:
            if settings.okr_max_objectives_per_owner < 1:
                raise ValidationError(
                    _(
                        "Objectives per Owner must be at least 1 (got %(value)s).",
                        value=settings.okr_max_objectives_per_owner,
                    )
                )
            if settings.okr_max_key_results_per_objective < 1:
                raise ValidationError(
                    _(
                        "Key Results per Objective must be at least 1 (got %(value)s).",
                        value=settings.okr_max_key_results_per_objective,
                    )
                )

    @api.constrains("okr_on_track_ratio", "okr_off_track_ratio")
    def _check_okr_status_ratios(self):
        for settings in self:
            if (
                not 0.0
                <= settings.okr_off_track_ratio
                <= settings.okr_on_track_ratio
                <= 1.0
            ):
                raise ValidationError(
                    _(
                        "Off Track below (%(off)s) must lie between 0 and On Track "
                        "from (%(on)s), which must not exceed 1.",
                        off=settings.okr_off_track_ratio,
                        on=settings.okr_on_track_ratio,
                    )
                )

    @api.constrains("okr_reminder_days")
    def _check_okr_reminder_days(self):
        for settings in self:
            if settings.okr_reminder_days < 1:
                raise ValidationError(
                    _(
                        "Remind after (days without check-in) must be at least 1 "
                        "(got %(days)s).",
                        days=settings.okr_reminder_days,
                    )
                )

    def set_values(self):
        params = self.env["ir.config_parameter"].sudo()
        before = (
            params.get_param("okr_management.on_track_ratio"),
            params.get_param("okr_management.off_track_ratio"),
        )
        result = super().set_values()
        after = (
            params.get_param("okr_management.on_track_ratio"),
            params.get_param("okr_management.off_track_ratio"),
        )
        if before != after:
            self.env["okr.cycle"]._cron_update_status()
        return result
