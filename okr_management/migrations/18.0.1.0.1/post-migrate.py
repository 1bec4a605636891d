from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Workbooks exported before 18.0.1.0.1 were attached to their cycle:
    they become their exporter's alone, as new ones are."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["okr.cycle.export"]._detach_legacy_workbooks()
