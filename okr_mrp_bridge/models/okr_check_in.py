from odoo import fields, models

from .okr_key_result import PRODUCTION_SOURCE_KEYS, PRODUCTION_SOURCES


class OkrCheckIn(models.Model):
    _inherit = "okr.check.in"

    source = fields.Selection(
        selection_add=PRODUCTION_SOURCES,
        ondelete={key: "set default" for key in PRODUCTION_SOURCE_KEYS},
    )
