import json
from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.osv import expression

PRODUCTION_SOURCES = [
    ("mrp_produced_qty", "Manufacturing: Finished Quantity"),
    ("mrp_yield", "Manufacturing: Yield (%)"),
    ("mrp_scrap_rate", "Manufacturing: Scrap Rate (%)"),
    ("mrp_oee", "Manufacturing: OEE (%)"),
    ("mrp_downtime_hours", "Manufacturing: Downtime (hours)"),
    ("mrp_on_time_rate", "Manufacturing: On-time Orders (%)"),
    ("mrp_lead_time_days", "Manufacturing: Lead Time (days)"),
    ("qc_pass_rate", "Quality: Inspection Pass Rate (%)"),
]
PRODUCTION_SOURCE_KEYS = [key for key, _label in PRODUCTION_SOURCES]

# Fixed SQL fragments. Only values travel as parameters; nothing here is ever
# built from user data. Every branch joins on an equality (work order, work
# center, production) so that the plans stay hash joins whatever the number of
# key results; only a scope on "all work centers" joins on the period alone.
_SCOPE_CTE = """
    scope AS MATERIALIZED (
        SELECT *
          FROM jsonb_to_recordset(%(scopes)s::jsonb) AS s(
                kr_id int, company_id int, date_from timestamp, date_to timestamp,
                explicit boolean, wo_ids int[], production_ids int[],
                wc_ids int[], product_ids int[])
    ),
    explicit_wo AS MATERIALIZED (
        SELECT s.kr_id, w.wo_id
          FROM scope s CROSS JOIN unnest(s.wo_ids) AS w(wo_id)
         WHERE s.explicit
         UNION
        SELECT s.kr_id, wo.id
          FROM scope s CROSS JOIN unnest(s.production_ids) AS p(production_id)
          JOIN mrp_workorder wo ON wo.production_id = p.production_id
         WHERE s.explicit
    ),
    scope_wc AS MATERIALIZED (
        SELECT s.kr_id, c.wc_id
          FROM scope s CROSS JOIN unnest(s.wc_ids) AS c(wc_id)
         WHERE NOT s.explicit
    )
"""
# Finished work orders of each scope, in its period.
_KR_WO_CTE = (
    _SCOPE_CTE
    + """,
    kr_wo AS (
        SELECT s.kr_id, wo.id AS wo_id, wo.production_id, wo.qty_produced
          FROM explicit_wo e
          JOIN scope s ON s.kr_id = e.kr_id
          JOIN mrp_workorder wo ON wo.id = e.wo_id
         WHERE wo.state = 'done'
           AND wo.date_finished >= s.date_from AND wo.date_finished < s.date_to
        UNION ALL
        SELECT s.kr_id, wo.id, wo.production_id, wo.qty_produced
          FROM scope_wc c
          JOIN scope s ON s.kr_id = c.kr_id
          JOIN mrp_workorder wo ON wo.workcenter_id = c.wc_id
          JOIN mrp_production mo ON mo.id = wo.production_id
         WHERE wo.state = 'done'
           AND wo.date_finished >= s.date_from AND wo.date_finished < s.date_to
           AND mo.company_id = s.company_id
           AND (cardinality(s.product_ids) = 0 OR wo.product_id = ANY(s.product_ids))
        UNION ALL
        SELECT s.kr_id, wo.id, wo.production_id, wo.qty_produced
          FROM scope s
          JOIN mrp_workorder wo
            ON wo.date_finished >= s.date_from AND wo.date_finished < s.date_to
          JOIN mrp_production mo ON mo.id = wo.production_id
         WHERE NOT s.explicit AND cardinality(s.wc_ids) = 0
           AND wo.state = 'done'
           AND mo.company_id = s.company_id
           AND (cardinality(s.product_ids) = 0 OR wo.product_id = ANY(s.product_ids))
    ),
    kr_good AS (
        SELECT kr_id, SUM(qty) AS good, SUM(wo_count)::int AS wo_count
          FROM (SELECT kr_id, production_id, MAX(qty_produced) AS qty,
                       COUNT(*) AS wo_count
                  FROM kr_wo
              GROUP BY kr_id, production_id) per_production
      GROUP BY kr_id
    )
"""
)
_QTY_QUERY = (
    "WITH "
    + _KR_WO_CTE
    + """,
    kr_scrap AS (
        SELECT kr_id, SUM(scrap_qty) AS scrapped
          FROM (SELECT kw.kr_id, sc.scrap_qty
                  FROM kr_wo kw
                  JOIN stock_scrap sc ON sc.workorder_id = kw.wo_id
                 WHERE sc.state = 'done'
                UNION ALL
                SELECT kp.kr_id, sc.scrap_qty
                  FROM (SELECT DISTINCT kr_id, production_id FROM kr_wo) kp
                  JOIN stock_scrap sc ON sc.production_id = kp.production_id
                 WHERE sc.state = 'done' AND sc.workorder_id IS NULL) scraps
      GROUP BY kr_id
    )
    SELECT g.kr_id, g.good, g.wo_count, COALESCE(ks.scrapped, 0.0)
      FROM kr_good g
 LEFT JOIN kr_scrap ks ON ks.kr_id = g.kr_id
"""
)
# Productivity logs of each scope, in its period (closed logs, as Odoo counts).
_LOG_QUERY = (
    "WITH "
    + _SCOPE_CTE
    + """,
    kr_log AS (
        SELECT s.kr_id, p.loss_type, p.duration
          FROM explicit_wo e
          JOIN scope s ON s.kr_id = e.kr_id
          JOIN mrp_workcenter_productivity p ON p.workorder_id = e.wo_id
         WHERE p.date_end IS NOT NULL
           AND p.date_start >= s.date_from AND p.date_start < s.date_to
        UNION ALL
        SELECT s.kr_id, p.loss_type, p.duration
          FROM scope_wc c
          JOIN scope s ON s.kr_id = c.kr_id
          JOIN mrp_workcenter_productivity p ON p.workcenter_id = c.wc_id
          LEFT JOIN mrp_workorder wo ON wo.id = p.workorder_id
         WHERE p.date_end IS NOT NULL
           AND p.date_start >= s.date_from AND p.date_start < s.date_to
           AND p.company_id = s.company_id
           AND (cardinality(s.product_ids) = 0 OR wo.product_id = ANY(s.product_ids))
        UNION ALL
        SELECT s.kr_id, p.loss_type, p.duration
          FROM scope s
          JOIN mrp_workcenter_productivity p
            ON p.date_start >= s.date_from AND p.date_start < s.date_to
          LEFT JOIN mrp_workorder wo ON wo.id = p.workorder_id
         WHERE NOT s.explicit AND cardinality(s.wc_ids) = 0
           AND p.date_end IS NOT NULL
           AND p.company_id = s.company_id
           AND (cardinality(s.product_ids) = 0 OR wo.product_id = ANY(s.product_ids))
    )
    SELECT kr_id,
           COALESCE(SUM(duration) FILTER (WHERE loss_type = 'productive'), 0.0),
           COALESCE(SUM(duration) FILTER (WHERE loss_type != 'productive'), 0.0),
           COALESCE(SUM(duration) FILTER (WHERE loss_type = 'availability'), 0.0),
           COUNT(*),
           COUNT(*) FILTER (WHERE loss_type = 'availability')
      FROM kr_log
  GROUP BY kr_id
"""
)
# Manufacturing orders of each scope (any date; the queries filter the period):
# the linked ones, those of the linked work orders, those that passed one of the
# chosen work centers, or every one of the company.
_KR_MO_CTE = (
    _SCOPE_CTE
    + """,
    kr_mo AS (
        SELECT s.kr_id, p.production_id
          FROM scope s CROSS JOIN unnest(s.production_ids) AS p(production_id)
         WHERE s.explicit
         UNION
        SELECT e.kr_id, wo.production_id
          FROM explicit_wo e JOIN mrp_workorder wo ON wo.id = e.wo_id
         UNION
        SELECT c.kr_id, wo.production_id
          FROM scope_wc c JOIN mrp_workorder wo ON wo.workcenter_id = c.wc_id
         UNION
        SELECT s.kr_id, mo.id
          FROM scope s JOIN mrp_production mo ON mo.company_id = s.company_id
         WHERE NOT s.explicit AND cardinality(s.wc_ids) = 0
    )
"""
)
# The scope's company and products, for scopes that are not explicit links.
_MO_IN_SCOPE = """
    (s.explicit
     OR (mo.company_id = s.company_id
         AND (cardinality(s.product_ids) = 0 OR mo.product_id = ANY(s.product_ids))))
"""
_PRODUCTION_QUERY = (
    "WITH "
    + _KR_MO_CTE
    + """
    SELECT s.kr_id,
           COUNT(*),
           COUNT(*) FILTER (WHERE mo.date_deadline IS NOT NULL),
           COUNT(*) FILTER (WHERE mo.date_finished <= mo.date_deadline),
           AVG(EXTRACT(EPOCH FROM mo.date_finished - mo.date_start)) / 86400.0
      FROM kr_mo km
      JOIN scope s ON s.kr_id = km.kr_id
      JOIN mrp_production mo ON mo.id = km.production_id
     WHERE mo.state = 'done'
       AND mo.date_finished >= s.date_from AND mo.date_finished < s.date_to
       AND """
    + _MO_IN_SCOPE
    + """
  GROUP BY s.kr_id
"""
)
_INSPECTION_QUERY = (
    "WITH "
    + _KR_MO_CTE
    + """
    SELECT s.kr_id,
           COUNT(*),
           COUNT(*) FILTER (WHERE qi.state = 'success')
      FROM kr_mo km
      JOIN scope s ON s.kr_id = km.kr_id
      JOIN mrp_production mo ON mo.id = km.production_id
      JOIN qc_inspection qi ON qi.production_id = mo.id
     WHERE qi.state IN ('success', 'failed')
       AND qi.date_done >= s.date_from AND qi.date_done < s.date_to
       AND """
    + _MO_IN_SCOPE
    + """
  GROUP BY s.kr_id
"""
)


class OkrKeyResult(models.Model):
    _inherit = "okr.key.result"

    source = fields.Selection(
        selection_add=PRODUCTION_SOURCES,
        ondelete={key: "set default" for key in PRODUCTION_SOURCE_KEYS},
    )
    workorder_ids = fields.Many2many(
        "mrp.workorder",
        "okr_key_result_mrp_workorder_rel",
        "key_result_id",
        "workorder_id",
        string="Linked Work Orders",
        groups="mrp.group_mrp_user",
        help="When work orders or manufacturing orders are linked, only they "
        "count; otherwise all the work of the chosen work centers and products "
        "in the cycle counts.",
    )
    production_ids = fields.Many2many(
        "mrp.production",
        "okr_key_result_mrp_production_rel",
        "key_result_id",
        "production_id",
        string="Linked Manufacturing Orders",
        groups="mrp.group_mrp_user",
    )
    workcenter_ids = fields.Many2many(
        "mrp.workcenter",
        "okr_key_result_mrp_workcenter_rel",
        "key_result_id",
        "workcenter_id",
        string="Work Centers",
        groups="mrp.group_mrp_user",
        help="Empty: every work center of the company.",
    )
    product_ids = fields.Many2many(
        "product.product",
        "okr_key_result_product_rel",
        "key_result_id",
        "product_id",
        string="Products",
        groups="mrp.group_mrp_user",
        help="Empty: every manufactured product.",
    )
    is_production_fed = fields.Boolean(
        compute="_compute_is_production_fed",
        help="The value comes from manufacturing or quality data.",
    )
    source_note = fields.Char(
        string="Source Figures",
        readonly=True,
        copy=False,
        help="What data produced the value at the last refresh.",
    )
    source_refresh_date = fields.Datetime(
        string="Last Refresh", readonly=True, copy=False
    )
    production_risk = fields.Boolean(
        readonly=True,
        copy=False,
        help="Set while a shop-floor alert on this key result is open: an "
        "on-track key result then shows At Risk.",
    )
    production_alert_ids = fields.One2many(
        "okr.production.alert", "key_result_id", string="Shop-floor Alerts"
    )
    workorder_count = fields.Integer(
        compute="_compute_production_counts", compute_sudo=True
    )
    production_count = fields.Integer(
        compute="_compute_production_counts", compute_sudo=True
    )
    inspection_count = fields.Integer(
        compute="_compute_production_counts", compute_sudo=True
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("source")
    def _compute_is_production_fed(self):
        for key_result in self:
            key_result.is_production_fed = key_result.source in PRODUCTION_SOURCE_KEYS

    @api.depends(
        "source",
        "workorder_ids",
        "production_ids",
        "workcenter_ids",
        "product_ids",
        "cycle_id.date_start",
        "cycle_id.date_end",
    )
    def _compute_production_counts(self):
        WorkOrder = self.env["mrp.workorder"]
        Production = self.env["mrp.production"]
        Inspection = self.env["qc.inspection"]
        for key_result in self:
            if (
                not key_result._origin.id
                or not key_result.cycle_id
                or not (
                    key_result.is_production_fed or key_result._has_explicit_links()
                )
            ):
                # a manual key result shows only the work linked to it by hand
                key_result.workorder_count = 0
                key_result.production_count = 0
                key_result.inspection_count = 0
                continue
            key_result.workorder_count = WorkOrder.search_count(
                key_result._get_workorder_domain()
            )
            key_result.production_count = Production.search_count(
                key_result._get_production_domain()
            )
            key_result.inspection_count = Inspection.search_count(
                key_result._get_inspection_domain()
            )

    @api.depends("production_risk")
    def _compute_status(self):
        res = super()._compute_status()
        for key_result in self:
            if key_result.production_risk and key_result.status == "on_track":
                key_result.status = "at_risk"
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _after_refresh_from_source(self, results):
        res = super()._after_refresh_from_source(results)
        now = fields.Datetime.now()
        for key_result in self.filtered(lambda kr: kr.source in PRODUCTION_SOURCE_KEYS):
            _value, note = results.get(key_result.id, (None, None))
            key_result.source_note = note or _("No data in the period yet.")
            key_result.source_refresh_date = now
        return res

    def action_view_workorders(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("mrp.mrp_workorder_todo")
        action.update(
            domain=self._get_workorder_domain(),
            context={"create": False},
            name=_("Work Orders of %(kr)s", kr=self.name),
        )
        return action

    def action_view_productions(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("mrp.mrp_production_action")
        action.update(
            domain=self._get_production_domain(),
            context={"create": False},
            name=_("Manufacturing Orders of %(kr)s", kr=self.name),
        )
        return action

    def action_view_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id(
            "quality_control_oca.action_qc_inspection"
        )
        action.update(
            domain=self._get_inspection_domain(),
            context={"create": False},
            name=_("Inspections of %(kr)s", kr=self.name),
        )
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_computed_sources(self):
        return super()._get_computed_sources() + PRODUCTION_SOURCE_KEYS

    def _get_period(self):
        """The cycle as a half-open UTC datetime range [start, end)."""
        self.ensure_one()
        date_from = datetime.combine(self.cycle_id.date_start, time.min)
        date_to = datetime.combine(self.cycle_id.date_end, time.min) + timedelta(days=1)
        return date_from, date_to

    def _has_explicit_links(self):
        self.ensure_one()
        return bool(self.workorder_ids or self.production_ids)

    def _get_workorder_domain(self):
        """Finished work orders that feed the key result (explicit or scope)."""
        self.ensure_one()
        date_from, date_to = self._get_period()
        domain = [
            ("state", "=", "done"),
            ("date_finished", ">=", date_from),
            ("date_finished", "<", date_to),
        ]
        if self._has_explicit_links():
            return [
                *domain,
                "|",
                ("id", "in", self.workorder_ids.ids),
                ("production_id", "in", self.production_ids.ids),
            ]
        domain.append(("production_id.company_id", "=", self.company_id.id))
        if self.workcenter_ids:
            domain.append(("workcenter_id", "in", self.workcenter_ids.ids))
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        return domain

    def _get_production_scope_domain(self):
        self.ensure_one()
        if self._has_explicit_links():
            return [
                "|",
                ("id", "in", self.production_ids.ids),
                ("workorder_ids", "in", self.workorder_ids.ids),
            ]
        domain = [("company_id", "=", self.company_id.id)]
        if self.workcenter_ids:
            domain.append(
                ("workorder_ids.workcenter_id", "in", self.workcenter_ids.ids)
            )
        if self.product_ids:
            domain.append(("product_id", "in", self.product_ids.ids))
        return domain

    def _get_production_domain(self):
        """Manufacturing orders done in the cycle that feed the key result."""
        date_from, date_to = self._get_period()
        return [
            *self._get_production_scope_domain(),
            ("state", "=", "done"),
            ("date_finished", ">=", date_from),
            ("date_finished", "<", date_to),
        ]

    def _get_inspection_domain(self):
        """Inspections of the key result's productions completed in the cycle."""
        date_from, date_to = self._get_period()
        productions = self.env["mrp.production"]._search(
            self._get_production_scope_domain()
        )
        return [
            ("production_id", "in", productions),
            ("state", "in", ("success", "failed")),
            ("date_done", ">=", date_from),
            ("date_done", "<", date_to),
        ]

    def _get_scope_label(self):
        self.ensure_one()
        if self._has_explicit_links():
            parts = []
            if self.workorder_ids:
                parts.append(
                    _("%(count)s linked work orders", count=len(self.workorder_ids))
                )
            if self.production_ids:
                parts.append(
                    _(
                        "manufacturing orders %(names)s",
                        names=", ".join(self.production_ids.mapped("name")),
                    )
                )
            return _(" and ").join(parts)
        parts = []
        if self.workcenter_ids:
            parts.append(
                _("WC %(names)s", names=", ".join(self.workcenter_ids.mapped("name")))
            )
        if self.product_ids:
            parts.append(
                _(
                    "products %(names)s",
                    names=", ".join(self.product_ids.mapped("display_name")),
                )
            )
        return ", ".join(parts) if parts else _("all work centers")

    def _get_source_scopes(self):
        """JSON scope rows for the fixed SQL queries, one per key result."""
        rows = []
        for key_result in self:
            date_from, date_to = key_result._get_period()
            rows.append(
                {
                    "kr_id": key_result.id,
                    "company_id": key_result.company_id.id,
                    "date_from": date_from.isoformat(),
                    "date_to": date_to.isoformat(),
                    "explicit": key_result._has_explicit_links(),
                    "wo_ids": key_result.workorder_ids.ids,
                    "production_ids": key_result.production_ids.ids,
                    "wc_ids": key_result.workcenter_ids.ids,
                    "product_ids": key_result.product_ids.ids,
                }
            )
        return json.dumps(rows)

    def _compute_source_values(self):
        """Values of a batch of production-fed key results.

        Returns ``{key_result_id: (value or None, note)}``. The key results are
        grouped by the query family their source needs and each family runs one
        fixed, parameterised query for the whole batch: the number of queries
        depends neither on the number of key results nor on the amount of
        manufacturing data.
        """
        results = super()._compute_source_values()
        if not self.filtered(lambda kr: kr.source in PRODUCTION_SOURCE_KEYS):
            return results
        self.env.flush_all()
        families = {
            "quantities": ("mrp_produced_qty", "mrp_yield", "mrp_scrap_rate"),
            "logs": ("mrp_oee", "mrp_downtime_hours"),
            "productions": ("mrp_on_time_rate", "mrp_lead_time_days"),
            "inspections": ("qc_pass_rate",),
        }
        queries = {
            "quantities": _QTY_QUERY,
            "logs": _LOG_QUERY,
            "productions": _PRODUCTION_QUERY,
            "inspections": _INSPECTION_QUERY,
        }
        # the scopes of the whole batch in one read per relation
        self.fetch(["workorder_ids", "production_ids", "workcenter_ids", "product_ids"])
        for family, sources in families.items():
            key_results = self.filtered(
                lambda kr, sources=sources: kr.source in sources
            )
            if not key_results:
                continue
            self.env.cr.execute(
                queries[family], {"scopes": key_results._get_source_scopes()}
            )
            rows = {row[0]: row[1:] for row in self.env.cr.fetchall()}
            for key_result in key_results:
                results[key_result.id] = key_result._value_from_row(
                    rows.get(key_result.id)
                )
        return results

    def _value_from_row(self, row):
        """(value, note) of this key result from its row of the family query."""
        self.ensure_one()
        date_from, date_to = self._get_period()
        context = {
            "scope": self._get_scope_label(),
            "period": f"{date_from.date()}..{(date_to - timedelta(days=1)).date()}",
        }
        source = self.source
        if source in ("mrp_produced_qty", "mrp_yield", "mrp_scrap_rate"):
            good, wo_count, scrapped = row or (0.0, 0, 0.0)
            if source == "mrp_produced_qty":
                value = round(good, 2)
                return value, _(
                    "Finished quantity %(value)s from %(count)s finished work "
                    "orders on %(scope)s, %(period)s",
                    value=value,
                    count=wo_count,
                    **context,
                )
            if not good + scrapped:
                return None, None
            yield_rate = 100.0 * good / (good + scrapped)
            value = round(
                yield_rate if source == "mrp_yield" else 100.0 - yield_rate, 2
            )
            return value, _(
                "%(measure)s %(value)s%% from %(good)s good and %(scrapped)s "
                "scrapped units (%(count)s finished work orders) on %(scope)s, "
                "%(period)s",
                measure=_("Yield") if source == "mrp_yield" else _("Scrap rate"),
                value=value,
                good=round(good, 2),
                scrapped=round(scrapped, 2),
                count=wo_count,
                **context,
            )
        if source in ("mrp_oee", "mrp_downtime_hours"):
            if not row:
                if source == "mrp_downtime_hours":
                    return 0.0, _(
                        "Downtime 0 h: no productivity log on %(scope)s, %(period)s",
                        **context,
                    )
                return None, None
            productive, blocked, availability, log_count, availability_count = row
            if source == "mrp_downtime_hours":
                value = round(availability / 60.0, 2)
                return value, _(
                    "Downtime %(value)s h from %(count)s availability losses on "
                    "%(scope)s, %(period)s",
                    value=value,
                    count=availability_count,
                    **context,
                )
            value = self._oee_from_minutes(productive, blocked)
            return value, _(
                "OEE %(value)s%% from %(count)s productivity logs on %(scope)s, "
                "%(period)s",
                value=value,
                count=log_count,
                **context,
            )
        if source in ("mrp_on_time_rate", "mrp_lead_time_days"):
            if not row:
                return None, None
            done_count, with_deadline, on_time, mean_days = row
            if source == "mrp_lead_time_days":
                value = round(mean_days or 0.0, 2)
                return value, _(
                    "Mean lead time %(value)s days over %(count)s manufacturing "
                    "orders done on %(scope)s, %(period)s",
                    value=value,
                    count=done_count,
                    **context,
                )
            if not with_deadline:
                return None, None
            value = round(100.0 * on_time / with_deadline, 2)
            return value, _(
                "On time %(value)s%%: %(on_time)s of %(count)s manufacturing "
                "orders with a deadline done by it on %(scope)s, %(period)s",
                value=value,
                on_time=on_time,
                count=with_deadline,
                **context,
            )
        if source == "qc_pass_rate":
            if not row:
                return None, None
            count, passed = row
            value = round(100.0 * passed / count, 2)
            return value, _(
                "Pass rate %(value)s%%: %(passed)s of %(count)s inspections "
                "passed on %(scope)s, %(period)s",
                value=value,
                passed=passed,
                count=count,
                **context,
            )
        return None, None

    @api.model
    def _oee_from_minutes(self, productive_minutes, blocked_minutes):
        """OEE exactly as mrp.workcenter computes it: hours at 2 digits, then
        productive / (productive + blocked), rounded to 2 digits."""
        productive = round(productive_minutes / 60.0, 2)
        blocked = round(blocked_minutes / 60.0, 2)
        if not productive:
            return 0.0
        return round(productive * 100.0 / (productive + blocked), 2)

    @api.model
    def _search_affected(
        self,
        workorders=None,
        productions=None,
        workcenters=None,
        sources=None,
        production_fed=True,
    ):
        """Key results of running cycles that the given records feed, in one search.

        Explicit links (work orders, manufacturing orders) first; key results
        without explicit links match on their work centers and products.
        """
        workorders = workorders or self.env["mrp.workorder"]
        productions = (
            productions or self.env["mrp.production"]
        ) | workorders.production_id
        workcenters = (
            workcenters or self.env["mrp.workcenter"]
        ) | workorders.workcenter_id
        products = productions.product_id
        companies = productions.company_id | workcenters.company_id
        domain = [("cycle_id.state", "=", "running")]
        if production_fed:
            domain.append(("source", "in", sources or PRODUCTION_SOURCE_KEYS))
        explicit = expression.OR(
            [
                [("workorder_ids", "in", workorders.ids)],
                [("production_ids", "in", productions.ids)],
            ]
        )
        scoped = expression.AND(
            [
                [("workorder_ids", "=", False), ("production_ids", "=", False)],
                [("company_id", "in", companies.ids)],
                [
                    "|",
                    ("workcenter_ids", "=", False),
                    ("workcenter_ids", "in", workcenters.ids),
                ],
                ["|", ("product_ids", "=", False), ("product_ids", "in", products.ids)],
            ]
        )
        return self.sudo().search(
            expression.AND([domain, expression.OR([explicit, scoped])])
        )

    @api.model
    def _refresh_affected(self, **kwargs):
        key_results = self._search_affected(**kwargs)
        key_results.action_refresh_from_source()
        return key_results

    @api.model
    def _cron_refresh_from_source(self):
        """Resync every production-fed key result of the running cycles."""
        key_results = self.sudo().search(
            [
                ("source", "in", PRODUCTION_SOURCE_KEYS),
                ("cycle_id.state", "=", "running"),
            ]
        )
        key_results.action_refresh_from_source()
        return True

    def _sync_production_risk(self):
        """production_risk = an alert activity is still open on the key result."""
        activity_type = self.env.ref(
            "okr_mrp_bridge.mail_activity_type_production_alert",
            raise_if_not_found=False,
        )
        if not self or not activity_type:
            return
        open_ids = {
            res_id
            for [res_id] in self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        for key_result in self.sudo():
            risk = key_result.id in open_ids
            if key_result.production_risk != risk:
                key_result.production_risk = risk
