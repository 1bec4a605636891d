from odoo import fields, models, tools
from odoo.tools import SQL

from odoo.addons.okr_management.models.okr_pace_mixin import STATUS_SELECTION

from ..sources.base import LINKED_WORKCENTERS_SQL


class OkrWorkcenterGoal(models.Model):
    """The key results a work center feeds, as the shop floor sees them.

    A read-only SQL view: the number, the target, the progress and the status,
    without the OKR records behind them (no objective, no check-ins, nothing
    of a private objective). Readable by manufacturing users.
    """

    _name = "okr.workcenter.goal"
    _inherit = ["okr.system.fields.mixin"]
    _description = "Work Center Goal"
    _auto = False
    _order = "workcenter_id, status desc, name"

    workcenter_id = fields.Many2one("mrp.workcenter", readonly=True, index=True)
    key_result_id = fields.Many2one("okr.key.result", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    name = fields.Char(string="Goal", readonly=True)
    current_value = fields.Float(readonly=True)
    target_value = fields.Float(readonly=True)
    unit = fields.Char(readonly=True)
    progress = fields.Float(readonly=True)
    status = fields.Selection(STATUS_SELECTION, readonly=True)
    production_risk = fields.Boolean(readonly=True)
    source_refresh_date = fields.Datetime(string="Updated", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
                SELECT row_number() OVER (ORDER BY links.workcenter_id, kr.id) AS id,
                       links.workcenter_id,
                       kr.id AS key_result_id,
                       kr.company_id,
                       kr.name,
                       kr.current_value,
                       kr.target_value,
                       kr.unit,
                       kr.progress,
                       kr.status,
                       kr.production_risk,
                       kr.source_refresh_date
                  FROM (%s) links
                  JOIN okr_key_result kr ON kr.id = links.key_result_id
                  JOIN okr_objective obj ON obj.id = kr.objective_id
                  JOIN okr_cycle cycle ON cycle.id = kr.cycle_id
                 WHERE obj.visibility != 'private'
                   AND obj.state = 'active'
                   AND cycle.state = 'running'
            )
            """,
                SQL.identifier(self._table),
                SQL(LINKED_WORKCENTERS_SQL),
            )
        )
