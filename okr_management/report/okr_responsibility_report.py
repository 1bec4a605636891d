from odoo import _, fields, models, tools
from odoo.tools import SQL


class OkrResponsibilityReport(models.Model):
    """Who delivers what they committed to other departments, per department
    and cycle.

    One row per commitment that is not cancelled, so that every measure adds
    up in any grouping: the counts are sums; the on-time rate and the days late
    are averages over the rows where they apply (NULL elsewhere, which the
    database's avg leaves out).
    """

    _name = "okr.responsibility.report"
    _description = "OKR Responsibility Report"
    _auto = False
    _order = "cycle_id desc, department_id, date_deadline"
    _rec_name = "commitment_id"
    _depends = {
        "okr.commitment": [
            "objective_id",
            "key_result_id",
            "cycle_id",
            "company_id",
            "primary_department_id",
            "department_id",
            "user_id",
            "date_deadline",
            "state",
            "date_done",
        ],
    }

    commitment_id = fields.Many2one("okr.commitment", readonly=True)
    objective_id = fields.Many2one("okr.objective", readonly=True)
    key_result_id = fields.Many2one("okr.key.result", readonly=True)
    cycle_id = fields.Many2one("okr.cycle", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    department_id = fields.Many2one(
        "hr.department", string="Committing Department", readonly=True
    )
    primary_department_id = fields.Many2one("hr.department", readonly=True)
    user_id = fields.Many2one("res.users", string="Contact", readonly=True)
    date_deadline = fields.Date(string="Deadline", readonly=True)
    date_done = fields.Date(string="Done On", readonly=True)
    state = fields.Selection([("open", "Open"), ("done", "Done")], readonly=True)
    commitment_count = fields.Integer(string="Commitments Given", readonly=True)
    open_count = fields.Integer(string="Open", readonly=True)
    done_count = fields.Integer(string="Done", readonly=True)
    overdue_count = fields.Integer(string="Overdue", readonly=True)
    on_time_rate = fields.Float(
        string="On Time (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the done commitments done by their deadline.",
    )
    days_late = fields.Float(
        string="Mean Days Late",
        readonly=True,
        aggregator="avg",
        help="Mean of the days past the deadline of the late commitments: done "
        "after it (days until done) or open past it (days until today).",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %s AS (
    SELECT c.id AS id,
           c.id AS commitment_id,
           c.objective_id,
           c.key_result_id,
           c.cycle_id,
           c.company_id,
           c.department_id,
           c.primary_department_id,
           c.user_id,
           c.date_deadline,
           c.date_done,
           c.state,
           1 AS commitment_count,
           CASE WHEN c.state = 'open' THEN 1 ELSE 0 END AS open_count,
           CASE WHEN c.state = 'done' THEN 1 ELSE 0 END AS done_count,
           CASE WHEN c.state = 'open' AND c.date_deadline < CURRENT_DATE
                THEN 1 ELSE 0 END AS overdue_count,
           CASE WHEN c.state = 'done' AND c.date_done <= c.date_deadline
                THEN 100.0
                WHEN c.state = 'done' THEN 0.0 END AS on_time_rate,
           CASE WHEN c.state = 'done' AND c.date_done > c.date_deadline
                THEN (c.date_done - c.date_deadline)::float
                WHEN c.state = 'open' AND c.date_deadline < CURRENT_DATE
                THEN (CURRENT_DATE - c.date_deadline)::float END AS days_late
      FROM okr_commitment c
     WHERE c.state != 'cancelled'
)
                """,
                SQL.identifier(self._table),
            )
        )

    def action_open_commitment(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Commitment"),
            "res_model": "okr.commitment",
            "res_id": self.commitment_id.id,
            "view_mode": "form",
        }
