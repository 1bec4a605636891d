from odoo import fields, models


class OkrKpiValue(models.Model):
    _inherit = "okr.kpi.value"

    source = fields.Selection(
        selection_add=[("production", "Production")],
        ondelete={"production": "set default"},
    )
