from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.okr_score_mixin import SCORE_BAND_SETTINGS
from ..tools import setting_default, setting_key


class OkrAdoptionReport(models.Model):
    """OKR adoption per department and cycle, for leadership.

    The single source of the adoption figures: share of employees owning an
    active objective, share of key results checked in within the last 7 days,
    alignment rate (objectives whose chain leads to a company objective) and
    mean confidence of the key results checked in at least once, and feedback
    rate (check-ins of the last 14 days a manager acknowledged).
    """

    _name = "okr.adoption.report"
    _description = "OKR Adoption Report"
    _auto = False
    _order = "cycle_id desc, department_id"
    _rec_name = "department_id"

    cycle_id = fields.Many2one("okr.cycle", readonly=True)
    cycle_state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        readonly=True,
    )
    department_id = fields.Many2one("hr.department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    employee_count = fields.Integer(string="Employees", readonly=True)
    employee_with_objective_count = fields.Integer(
        string="Employees with an Active Objective", readonly=True
    )
    adoption_rate = fields.Float(
        string="Adoption (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the department's employees owning an active objective.",
    )
    key_result_count = fields.Integer(string="Key Results", readonly=True)
    key_result_checked_in_count = fields.Integer(
        string="Key Results Checked In (7 days)", readonly=True
    )
    check_in_rate = fields.Float(
        string="Checked In (7 days, %)",
        readonly=True,
        aggregator="avg",
        help="Share of the department's key results with a check-in in the "
        "last 7 days.",
    )
    objective_count = fields.Integer(string="Objectives", readonly=True)
    aligned_objective_count = fields.Integer(
        string="Objectives Aligned to the Company", readonly=True
    )
    alignment_rate = fields.Float(
        string="Alignment (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the department's objectives whose alignment chain leads "
        "to a company objective.",
    )
    mean_confidence = fields.Float(
        readonly=True,
        aggregator="avg",
        help="Mean confidence (0-10) of the key results checked in at least once.",
    )
    recent_check_in_count = fields.Integer(string="Check-ins (14 days)", readonly=True)
    acknowledged_check_in_count = fields.Integer(
        string="Acknowledged Check-ins (14 days)", readonly=True
    )
    feedback_rate = fields.Float(
        string="Feedback (14 days, %)",
        readonly=True,
        aggregator="avg",
        help="Share of the check-ins of the last 14 days on the department's "
        "key results that a manager acknowledged.",
    )

    graded_key_result_count = fields.Integer(string="Graded Key Results", readonly=True)
    in_band_key_result_count = fields.Integer(
        string="Graded Key Results inside the Band", readonly=True
    )
    in_band_rate = fields.Float(
        string="Inside the Ambition Band (%)",
        readonly=True,
        aggregator="avg",
        help="Share of the department's graded key results (cycle closed, or "
        "graded by a manager) whose score lies inside the ideal band of the "
        "scoring scale: a measure of target quality.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
CREATE OR REPLACE VIEW %s AS (
    WITH employees AS (
        SELECT department_id, count(*) AS employee_count
          FROM hr_employee
         WHERE active AND department_id IS NOT NULL
      GROUP BY department_id
    ), owners AS (
        SELECT o.cycle_id, e.department_id,
               count(DISTINCT o.owner_id) AS employee_with_objective_count
          FROM okr_objective o
          JOIN hr_employee e ON e.id = o.owner_id AND e.active
         WHERE o.state = 'active'
      GROUP BY o.cycle_id, e.department_id
    ), objectives AS (
        SELECT cycle_id, department_id,
               count(*) AS objective_count,
               count(*) FILTER (WHERE is_aligned_to_company) AS aligned_objective_count
          FROM okr_objective
         WHERE state != 'cancelled' AND department_id IS NOT NULL
      GROUP BY cycle_id, department_id
    ), key_results AS (
        SELECT kr.cycle_id, o.department_id,
               count(*) AS key_result_count,
               count(*) FILTER (
                   WHERE kr.last_check_in_date >= CURRENT_DATE - 7
               ) AS key_result_checked_in_count,
               avg(kr.confidence) FILTER (
                   WHERE kr.last_check_in_date IS NOT NULL
               ) AS mean_confidence
          FROM okr_key_result kr
          JOIN okr_objective o ON o.id = kr.objective_id
         WHERE o.state != 'cancelled' AND o.department_id IS NOT NULL
      GROUP BY kr.cycle_id, o.department_id
    ), band_settings AS (
        SELECT key, value::float AS value
          FROM ir_config_parameter
         WHERE key IN (%s, %s, %s, %s)
           AND value ~ '^[[:space:]]*[0-9]+([.][0-9]+)?[[:space:]]*$'
    ), band AS (
        SELECT CASE WHEN scale.value = 'five'
                    THEN (COALESCE((SELECT value FROM band_settings WHERE key = %s), %s)
                          - 1.0) / 4.0
                    ELSE COALESCE((SELECT value FROM band_settings WHERE key = %s), %s)
               END AS low,
               CASE WHEN scale.value = 'five'
                    THEN (COALESCE((SELECT value FROM band_settings WHERE key = %s), %s)
                          - 1.0) / 4.0
                    ELSE COALESCE((SELECT value FROM band_settings WHERE key = %s), %s)
               END AS high
          FROM (SELECT COALESCE((SELECT value FROM ir_config_parameter
                                  WHERE key = %s), %s) AS value) AS scale
    ), ambition AS (
        SELECT kr.cycle_id, o.department_id,
               count(*) AS graded_key_result_count,
               count(*) FILTER (
                   WHERE kr.score >= band.low - 0.000001
                     AND kr.score <= band.high + 0.000001
               ) AS in_band_key_result_count
          FROM okr_key_result kr
          JOIN okr_objective o ON o.id = kr.objective_id
          JOIN okr_cycle kc ON kc.id = kr.cycle_id
    CROSS JOIN band
         WHERE o.state != 'cancelled' AND o.department_id IS NOT NULL
           AND (kc.state = 'closed' OR kr.score_graded)
      GROUP BY kr.cycle_id, o.department_id
    ), feedback AS (
        SELECT ci.cycle_id, o.department_id,
               count(*) AS recent_check_in_count,
               count(*) FILTER (
                   WHERE ci.acknowledged_by_id IS NOT NULL
               ) AS acknowledged_check_in_count
          FROM okr_check_in ci
          JOIN okr_objective o ON o.id = ci.objective_id
         WHERE ci.date >= CURRENT_DATE - 14
           AND o.state != 'cancelled' AND o.department_id IS NOT NULL
      GROUP BY ci.cycle_id, o.department_id
    )
    SELECT row_number() OVER (ORDER BY c.id, d.id) AS id,
           c.id AS cycle_id,
           c.state AS cycle_state,
           d.id AS department_id,
           c.company_id AS company_id,
           COALESCE(em.employee_count, 0) AS employee_count,
           COALESCE(ow.employee_with_objective_count, 0)
               AS employee_with_objective_count,
           COALESCE(100.0 * ow.employee_with_objective_count
                    / NULLIF(em.employee_count, 0), 0.0) AS adoption_rate,
           COALESCE(kr.key_result_count, 0) AS key_result_count,
           COALESCE(kr.key_result_checked_in_count, 0)
               AS key_result_checked_in_count,
           COALESCE(100.0 * kr.key_result_checked_in_count
                    / NULLIF(kr.key_result_count, 0), 0.0) AS check_in_rate,
           COALESCE(ob.objective_count, 0) AS objective_count,
           COALESCE(ob.aligned_objective_count, 0) AS aligned_objective_count,
           COALESCE(100.0 * ob.aligned_objective_count
                    / NULLIF(ob.objective_count, 0), 0.0) AS alignment_rate,
           COALESCE(kr.mean_confidence, 0.0) AS mean_confidence,
           COALESCE(fb.recent_check_in_count, 0) AS recent_check_in_count,
           COALESCE(fb.acknowledged_check_in_count, 0)
               AS acknowledged_check_in_count,
           COALESCE(100.0 * fb.acknowledged_check_in_count
                    / NULLIF(fb.recent_check_in_count, 0), 0.0) AS feedback_rate,
           COALESCE(am.graded_key_result_count, 0) AS graded_key_result_count,
           COALESCE(am.in_band_key_result_count, 0) AS in_band_key_result_count,
           COALESCE(100.0 * am.in_band_key_result_count
                    / NULLIF(am.graded_key_result_count, 0), 0.0) AS in_band_rate
      FROM okr_cycle c
      JOIN hr_department d
        ON d.active AND (d.company_id IS NULL OR d.company_id = c.company_id)
 LEFT JOIN employees em ON em.department_id = d.id
 LEFT JOIN owners ow ON ow.cycle_id = c.id AND ow.department_id = d.id
 LEFT JOIN objectives ob ON ob.cycle_id = c.id AND ob.department_id = d.id
 LEFT JOIN key_results kr ON kr.cycle_id = c.id AND kr.department_id = d.id
 LEFT JOIN feedback fb ON fb.cycle_id = c.id AND fb.department_id = d.id
 LEFT JOIN ambition am ON am.cycle_id = c.id AND am.department_id = d.id
     WHERE c.active
       AND (em.employee_count > 0 OR ob.objective_count > 0)
)
                """,
                SQL.identifier(self._table),
                *self._get_band_sql_params(),
            )
        )

    @api.model
    def _get_band_sql_params(self):
        """The keys, then each (key, default) of the band query, in the
        order of its placeholders."""
        unit_low, unit_high = (
            (setting_key(name), setting_default(name))
            for name in SCORE_BAND_SETTINGS["unit"]
        )
        five_low, five_high = (
            (setting_key(name), setting_default(name))
            for name in SCORE_BAND_SETTINGS["five"]
        )
        keys = [unit_low[0], unit_high[0], five_low[0], five_high[0]]
        return [
            *keys,
            *five_low,
            *unit_low,
            *five_high,
            *unit_high,
            setting_key("score_scale"),
            setting_default("score_scale"),
        ]
