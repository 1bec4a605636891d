from odoo import api, models

from ..tools import get_setting

# The settings of the ideal score band of each scoring scale, in the scale's
# own figures.
SCORE_BAND_SETTINGS = {
    "unit": ("band_unit_low", "band_unit_high"),
    "five": ("band_five_low", "band_five_high"),
}


class OkrScoreMixin(models.AbstractModel):
    """Scores as the company reads them, shared by key results, objectives,
    cycles and appraisals: the scoring scale, the ideal band and the result
    of a key result from its score.

    Scores are stored from 0.0 to 1.0; the Settings choose how they read
    (0.0-1.0 or 1-5) and where the ideal band lies.
    """

    _name = "okr.score.mixin"
    _description = "OKR Scores"

    @api.model
    def _get_score_scale(self):
        return get_setting(self.env, "score_scale")

    @api.model
    def _format_score(self, score, scale=None):
        """Display a 0.0-1.0 score in the scale chosen in the Settings
        (``scale``, when the caller formats many, read once by it)."""
        if (scale or self._get_score_scale()) == "five":
            return f"{1.0 + 4.0 * (score or 0.0):.1f} / 5"
        return f"{score or 0.0:.2f}"

    @api.model
    def _get_score_band_limits(self):
        """(low, high) of the ideal band of the scoring scale, as 0.0-1.0
        scores: the Settings give it in the scale's own figures."""
        scale = self._get_score_scale()
        names = SCORE_BAND_SETTINGS.get(scale, SCORE_BAND_SETTINGS["unit"])
        low, high = (get_setting(self.env, name) for name in names)
        if scale == "five":
            low, high = (low - 1.0) / 4.0, (high - 1.0) / 4.0
        return low, high

    @api.model
    def _get_score_band(self, score, limits=None):
        """'below', 'inside' or 'above' the ideal band."""
        low, high = limits or self._get_score_band_limits()
        if score < low - 1e-6:
            return "below"
        if score > high + 1e-6:
            return "above"
        return "inside"

    @api.model
    def _get_result_thresholds(self):
        """{key result type: score from which it is achieved} and the score
        below which a key result is missed."""
        return (
            {
                "committed": get_setting(self.env, "committed_threshold"),
                "aspirational": get_setting(self.env, "aspirational_threshold"),
            },
            get_setting(self.env, "missed_below"),
        )

    @api.model
    def _get_result(self, score, kr_type, thresholds=None):
        """'achieved' at or above the success threshold of the key result's
        type, 'missed' below the 'missed below' value, 'partial' in between."""
        achieved_from, missed_below = thresholds or self._get_result_thresholds()
        if score >= achieved_from.get(kr_type, achieved_from["committed"]) - 1e-6:
            return "achieved"
        if score < missed_below - 1e-6:
            return "missed"
        return "partial"
