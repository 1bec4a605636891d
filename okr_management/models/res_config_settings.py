from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import setting_default, setting_key

# date.weekday() as text: the Settings keep a Selection's key
WEEKDAY_SELECTION = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    okr_on_track_ratio = fields.Float(
        string="On Track from (share of pace)",
        config_parameter=setting_key("on_track_ratio"),
        default=setting_default("on_track_ratio"),
        help="A key result or objective is on track when its progress reaches "
        "this share of the expected progress.",
    )
    okr_off_track_ratio = fields.Float(
        string="Off Track below (share of pace)",
        config_parameter=setting_key("off_track_ratio"),
        default=setting_default("off_track_ratio"),
        help="Below this share of the expected progress, it is off track; in "
        "between the two thresholds, at risk.",
    )
    okr_require_alignment = fields.Boolean(
        string="Require Alignment",
        config_parameter=setting_key("require_alignment"),
        default=setting_default("require_alignment"),
        help="Flag department, team and individual objectives that are not "
        "aligned to a parent objective.",
    )
    okr_score_scale = fields.Selection(
        [
            ("unit", "0.0 - 1.0 (0.7 is a good stretch)"),
            ("five", "1 - 5 (2.5 - 3.5 is healthy)"),
        ],
        string="Scoring Scale",
        config_parameter=setting_key("score_scale"),
        default=setting_default("score_scale"),
    )
    okr_reminder_days = fields.Integer(
        string="Remind after (days without check-in)",
        config_parameter=setting_key("reminder_days"),
        default=setting_default("reminder_days"),
        help="Owners of key results without a check-in for this many days get "
        "one check-in activity.",
    )
    okr_summary_weekday = fields.Selection(
        WEEKDAY_SELECTION,
        string="Send the weekly summary on",
        config_parameter=setting_key("summary_weekday"),
        default=setting_default("summary_weekday"),
        help="The day each manager gets the weekly OKR summary of their people.",
    )

    okr_max_objectives_per_owner = fields.Integer(
        string="Objectives per Owner",
        config_parameter=setting_key("max_objectives_per_owner"),
        default=setting_default("max_objectives_per_owner"),
        help="Warn when an owner has more objectives than this in a cycle.",
    )
    okr_max_key_results_per_objective = fields.Integer(
        string="Key Results per Objective",
        config_parameter=setting_key("max_key_results_per_objective"),
        default=setting_default("max_key_results_per_objective"),
        help="Warn when an objective has more key results than this.",
    )

    # Key result types: success thresholds and ambition bands
    okr_committed_threshold = fields.Float(
        string="Committed: achieved from",
        config_parameter=setting_key("committed_threshold"),
        default=setting_default("committed_threshold"),
        help="A committed key result is achieved when its score at the close "
        "reaches this value (0.0-1.0).",
    )
    okr_aspirational_threshold = fields.Float(
        string="Aspirational: achieved from",
        config_parameter=setting_key("aspirational_threshold"),
        default=setting_default("aspirational_threshold"),
        help="An aspirational key result is achieved when its score at the close "
        "reaches this value (0.0-1.0).",
    )
    okr_missed_below = fields.Float(
        string="Missed below",
        config_parameter=setting_key("missed_below"),
        default=setting_default("missed_below"),
        help="A key result scored below this value at the close is missed; "
        "between it and its type's threshold, partial.",
    )
    okr_band_unit_low = fields.Float(
        string="Ideal band from (0-1)",
        config_parameter=setting_key("band_unit_low"),
        default=setting_default("band_unit_low"),
    )
    okr_band_unit_high = fields.Float(
        string="Ideal band to (0-1)",
        config_parameter=setting_key("band_unit_high"),
        default=setting_default("band_unit_high"),
    )
    okr_band_five_low = fields.Float(
        string="Ideal band from (1-5)",
        config_parameter=setting_key("band_five_low"),
        default=setting_default("band_five_low"),
    )
    okr_band_five_high = fields.Float(
        string="Ideal band to (1-5)",
        config_parameter=setting_key("band_five_high"),
        default=setting_default("band_five_high"),
    )

    @api.constrains(
        "okr_committed_threshold", "okr_aspirational_threshold", "okr_missed_below"
    )
    def _check_okr_result_thresholds(self):
        for settings in self:
            missed = settings.okr_missed_below
            for field_name in ("okr_committed_threshold", "okr_aspirational_threshold"):
                if not 0.0 <= missed <= settings[field_name] <= 1.0:
                    raise ValidationError(
                        _(
                            "%(field)s (%(value)s) must lie between Missed below "
                            "(%(missed)s) and 1.0, and Missed below must not be "
                            "negative.",
                            field=self._fields[field_name]._description_string(
                                self.env
                            ),
                            value=settings[field_name],
                            missed=missed,
                        )
                    )

    @api.constrains(
        "okr_band_unit_low",
        "okr_band_unit_high",
        "okr_band_five_low",
        "okr_band_five_high",
    )
    def _check_okr_score_bands(self):
        for settings in self:
            for low_name, high_name, bottom, top in (
                ("okr_band_unit_low", "okr_band_unit_high", 0.0, 1.0),
                ("okr_band_five_low", "okr_band_five_high", 1.0, 5.0),
            ):
                low, high = settings[low_name], settings[high_name]
                if not bottom <= low <= high <= top:
                    raise ValidationError(
                        _(
                            "%(low_field)s (%(low)s) and %(high_field)s (%(high)s): "
                            "the band must run upwards between %(bottom)s and "
                            "%(top)s.",
                            low_field=self._fields[low_name]._description_string(
                                self.env
                            ),
                            high_field=self._fields[high_name]._description_string(
                                self.env
                            ),
                            low=low,
                            high=high,
                            bottom=bottom,
                            top=top,
                        )
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_okr_summary_weekday_input(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_okr_summary_weekday_input(vals)
        return super().write(vals)

    @api.model
    def _check_okr_summary_weekday_input(self, vals):
        """A day of the week or nothing, refused by name before the ORM
        rejects it without one."""
        value = vals.get("okr_summary_weekday", False)
        if value is not False and value not in dict(WEEKDAY_SELECTION):
            raise ValidationError(
                _(
                    "Send the weekly summary on: choose a day of the week, "
                    "Monday to Sunday (got %(value)r).",
                    value=value,
                )
            )

    def set_values(self):
        # the Settings screen is for administrators (its access rules)
        params = self.env["ir.config_parameter"].sudo()
        before = (
            params.get_param(setting_key("on_track_ratio")),
            params.get_param(setting_key("off_track_ratio")),
        )
        result = super().set_values()
        after = (
            params.get_param(setting_key("on_track_ratio")),
            params.get_param(setting_key("off_track_ratio")),
        )
        if before != after:
            self.env["okr.cycle"]._cron_update_status()
        return result
