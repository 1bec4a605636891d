from odoo import fields, models


class OkrCheckIn(models.Model):
    """Check-ins recorded on key results fed by a daily KPI."""

    _inherit = "okr.check.in"

    source = fields.Selection(
        selection_add=[("kpi", "Daily KPI")], ondelete={"kpi": "set default"}
    )
