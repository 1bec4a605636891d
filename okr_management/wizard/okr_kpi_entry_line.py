from odoo import api, fields, models


class OkrKpiEntryLine(models.TransientModel):
    _name = "okr.kpi.entry.line"
    _description = "OKR Daily KPI Entry Line"
    _inherit = ["okr.system.fields.mixin"]

    entry_id = fields.Many2one("okr.kpi.entry", required=True, ondelete="cascade")
    kpi_id = fields.Many2one("okr.kpi", string="KPI", required=True)
    band_display = fields.Char(related="kpi_id.band_display")
    unit = fields.Char(related="kpi_id.unit")
    value = fields.Float()
    note = fields.Char()
    recorded = fields.Boolean(
        string="Recorded Already",
        help="The day has a value already: a new one replaces it.",
    )
    entered = fields.Boolean(
        string="To Record",
        help="Set when a value is typed: only these lines are recorded.",
    )

    @api.onchange("value", "note")
    def _onchange_value(self):
        self.entered = True
