from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.okr_kpi import KPI_TIER_SELECTION


class OkrKpiEntry(models.TransientModel):
    """The day's hand values of a whole line of KPIs in one list: one number
    a row, typed and tabbed through with the keyboard."""

    _name = "okr.kpi.entry"
    _description = "OKR Daily KPI Entry"
    _inherit = ["okr.system.fields.mixin"]

    date = fields.Date(required=True, default=fields.Date.context_today)
    tier = fields.Selection(KPI_TIER_SELECTION, required=True, default="1")
    department_id = fields.Many2one("hr.department")
    line_ids = fields.One2many("okr.kpi.entry.line", "entry_id", string="KPIs")

    @api.onchange("tier", "department_id", "date")
    def _onchange_scope(self):
        """One line per manual KPI of the scope the user records, with the
        day's value when it is recorded already."""
        domain = [("tier", "=", self.tier), ("source", "=", "manual")]
        if self.department_id:
            domain.append(("department_id", "child_of", self.department_id.id))
        kpis = self.env["okr.kpi"].search(domain)._filter_record_allowed()
        recorded = {
            value.kpi_id.id: value.value
            for value in self.env["okr.kpi.value"].search_fetch(
                [("kpi_id", "in", kpis.ids), ("date", "=", self.date)],
                ["kpi_id", "value"],
            )
        }
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "kpi_id": kpi.id,
                    "value": recorded.get(kpi.id, 0.0),
                    "recorded": kpi.id in recorded,
                }
            )
            for kpi in kpis
        ]

    def action_confirm(self):
        """Record the lines given a value; the others are left alone."""
        self.ensure_one()
        lines = self.line_ids.filtered("entered")
        if not lines:
            raise UserError(self.env._("Type the day's value of at least one KPI."))
        for line in lines:
            line.kpi_id.action_record(line.value, date=self.date, note=line.note)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s daily values recorded.", count=len(lines)
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
