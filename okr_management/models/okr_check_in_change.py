from odoo import api, models


class OkrCheckIn(models.Model):
    """A check-in keeps the progress it had when it was recorded: once an
    approved request changed its key result's figures, a check-in dated
    before the change is measured against the figures of its day, so the
    history (and the pace line of the check-in graph) shows where the target
    moved instead of rewriting the past."""

    _inherit = "okr.check.in"

    @api.depends("date", "key_result_id.target_changed")
    def _compute_progress(self):
        result = super()._compute_progress()
        KeyResult = self.env["okr.key.result"]
        for check_in in self.filtered(
            lambda c: c.date and c.key_result_id.target_changed
        ):
            key_result = check_in.key_result_id
            figures = key_result._get_figures_on(check_in.date)
            if any(figures[name] != key_result[name] for name in figures):
                check_in.progress = KeyResult.new(figures)._progress_for_value(
                    check_in.value
                )
        return result
