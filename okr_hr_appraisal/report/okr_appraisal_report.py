from odoo import api, fields, models, tools
from odoo.osv import expression


class OkrAppraisalReport(models.Model):
    """OKR <-> appraisal linkage, one row per appraisal.

    Check-in regularity: among the calendar weeks (Monday to Sunday) of the
    appraisal's OKR period in which at least one of its key results was in
    its cycle, the share that has at least one check-in on those key results.
    Weeks after today do not count yet. A completed appraisal keeps the
    regularity it had when it was completed.

    Rows: only appraisals the reader may read (``_search`` applies
    hr.appraisal's rules). The score and key result count are the
    appraisal's own figures, which every reader of the appraisal sees on
    its form; no key result or objective name is shown here.
    """

    _name = "okr.appraisal.report"
    _description = "OKR and Appraisal Linkage Report"
    _auto = False
    _order = "date_close desc, employee_id"
    _rec_name = "employee_id"

    appraisal_id = fields.Many2one("hr.appraisal", readonly=True)
    employee_id = fields.Many2one("hr.employee", readonly=True)
    department_id = fields.Many2one("hr.department", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date_close = fields.Date(string="Appraisal Date", readonly=True)
    state = fields.Selection(
        [("1_new", "To Confirm"), ("2_pending", "Confirmed"), ("3_done", "Done")],
        string="Status",
        readonly=True,
    )
    okr_period_start = fields.Date(string="OKR Period Start", readonly=True)
    okr_period_end = fields.Date(string="OKR Period End", readonly=True)
    okr_score_frozen = fields.Boolean(string="Frozen", readonly=True)
    okr_score = fields.Float(
        string="OKR Reference Score", readonly=True, aggregator="avg"
    )
    key_result_count = fields.Integer(
        string="Key Results", readonly=True, aggregator="sum"
    )
    check_in_regularity = fields.Float(
        string="Check-in Regularity",
        readonly=True,
        aggregator="avg",
        help="Share of the weeks of the OKR period, in which the employee had "
        "a key result in a cycle, with at least one check-in on those key "
        "results.",
    )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # the view reads these tables: write what is pending first
        for model_name in ("hr.appraisal", "okr.appraisal.line", "okr.check.in"):
            self.env[model_name].flush_model()
        Appraisal = self.env["hr.appraisal"]
        if Appraisal._okr_is_hidden():
            domain = expression.FALSE_DOMAIN
        elif not self.env.su:
            # the view reads hr_appraisal directly: apply its access rules,
            # so a row (and the export) shows only appraisals the reader reads
            domain = expression.AND(
                [
                    domain,
                    [
                        (
                            "appraisal_id",
                            "in",
                            Appraisal.with_context(active_test=False)._search([]),
                        )
                    ],
                ]
            )
        return super()._search(domain, offset=offset, limit=limit, order=order)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT a.id AS id,
                       a.id AS appraisal_id,
                       a.employee_id AS employee_id,
                       e.department_id AS department_id,
                       a.company_id AS company_id,
                       a.date_close AS date_close,
                       a.state AS state,
                       a.okr_period_start AS okr_period_start,
                       a.okr_period_end AS okr_period_end,
                       COALESCE(a.okr_score_frozen, FALSE) AS okr_score_frozen,
                       COALESCE(a.okr_score, 0.0) AS okr_score,
                       COALESCE(a.okr_key_result_count, 0) AS key_result_count,
                       CASE WHEN a.okr_score_frozen
                            THEN COALESCE(a.okr_frozen_check_in_regularity, 0.0)
                            ELSE COALESCE(regularity.value, 0.0)
                       END AS check_in_regularity
                  FROM hr_appraisal a
                  JOIN hr_employee e ON e.id = a.employee_id
             LEFT JOIN LATERAL (
                    -- live value, for open appraisals only
                    SELECT count(*) FILTER (WHERE weeks.has_check_in)::float
                           / NULLIF(count(*), 0) AS value
                      FROM (
                        SELECT EXISTS (
                                   SELECT 1
                                     FROM okr_appraisal_line cl
                                     JOIN okr_check_in ci
                                       ON ci.key_result_id = cl.key_result_id
                                    WHERE cl.appraisal_id = a.id
                                      AND cl.reopened_on IS NULL
                                      AND ci.date >= GREATEST(week.start,
                                                              a.okr_period_start)
                                      AND ci.date <= LEAST(week.start + 6,
                                                           a.okr_period_end)
                               ) AS has_check_in
                          FROM generate_series(
                                   date_trunc('week', a.okr_period_start::timestamp),
                                   LEAST(a.okr_period_end, CURRENT_DATE)::timestamp,
                                   interval '1 week'
                               ) AS series(week_ts)
                    CROSS JOIN LATERAL (SELECT series.week_ts::date AS start) AS week
                         WHERE EXISTS (
                                   SELECT 1
                                     FROM okr_appraisal_line wl
                                     JOIN okr_cycle c ON c.id = wl.cycle_id
                                    WHERE wl.appraisal_id = a.id
                                      AND wl.reopened_on IS NULL
                                      AND c.date_start <= week.start + 6
                                      AND c.date_end >= week.start
                                      AND c.date_start <= a.okr_period_end
                                      AND c.date_end >= a.okr_period_start
                               )
                      ) AS weeks
                     WHERE NOT COALESCE(a.okr_score_frozen, FALSE)
                ) AS regularity ON TRUE
                 WHERE a.active
                   AND a.okr_period_start IS NOT NULL
                   AND a.okr_period_end IS NOT NULL
            )
            """
        )
