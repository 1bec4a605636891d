from odoo import fields, models, tools
from odoo.tools import SQL


class OkrCheckInPaceReport(models.Model):
    """The check-in history as two series, the progress and the expected pace,
    so that one line graph draws both."""

    _name = "okr.check.in.pace.report"
    _description = "OKR Progress against the Expected Pace"
    _auto = False
    _order = "date, series"
    _rec_name = "key_result_id"
    _depends = {
        "okr.check.in": [
            "key_result_id",
            "objective_id",
            "cycle_id",
            "company_id",
            "date",
            "progress",
            "expected_progress",
        ],
    }

    check_in_id = fields.Many2one("okr.check.in", readonly=True)
    key_result_id = fields.Many2one("okr.key.result", readonly=True)
    objective_id = fields.Many2one("okr.objective", readonly=True)
    cycle_id = fields.Many2one("okr.cycle", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    series = fields.Selection(
        [("progress", "Progress"), ("expected", "Expected Pace")], readonly=True
    )
    progress = fields.Float(readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %s AS (
    SELECT c.id * 2 AS id, c.id AS check_in_id, c.key_result_id, c.objective_id,
           c.cycle_id, c.company_id, c.date, 'progress' AS series,
           c.progress AS progress
      FROM okr_check_in c
    UNION ALL
    SELECT c.id * 2 + 1 AS id, c.id AS check_in_id, c.key_result_id,
           c.objective_id, c.cycle_id, c.company_id, c.date, 'expected' AS series,
           c.expected_progress AS progress
      FROM okr_check_in c
)
                """,
                SQL.identifier(self._table),
            )
        )
