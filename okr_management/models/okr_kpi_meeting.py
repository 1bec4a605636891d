from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .okr_kpi import KPI_TIER_SELECTION


class OkrKpi(models.Model):
    """The morning meeting: the slides of a tier's KPIs and key results."""

    _inherit = "okr.kpi"

    # ------------------------------------------------------------------
    # The morning meeting
    # ------------------------------------------------------------------
    @api.model
    def get_meeting_data(self, tier, department_id=False):
        """The slides of the morning meeting of ``tier`` (and a department
        and those below it): each KPI with yesterday's and today's value, its
        owner and open actions, then the key results the KPIs feed and those
        of the department's running objectives. What the user may read only."""
        if tier not in dict(KPI_TIER_SELECTION):
            raise UserError(
                self.env._("Tier: 1, 2 or 3 is required, got %(value)r.", value=tier)
            )
        if department_id is not False and (
            isinstance(department_id, bool) or not isinstance(department_id, int)
        ):
            raise UserError(
                self.env._(
                    "Department: the id of a department is required, got %(value)r.",
                    value=department_id,
                )
            )
        domain = [("tier", "=", tier)]
        if department_id:
            domain.append(("department_id", "child_of", department_id))
        kpis = self.search(domain)
        today = fields.Date.context_today(self)
        yesterday = today - timedelta(days=1)
        days = {}
        for value in self.env["okr.kpi.value"].search_fetch(
            [("kpi_id", "in", kpis.ids), ("date", "in", [yesterday, today])],
            ["kpi_id", "date", "value", "state"],
        ):
            days[value.kpi_id.id, value.date] = {
                "value": value.value,
                "state": value.state,
            }
        actions = {}
        for action in self.env["okr.kpi.action"].search(
            [("kpi_id", "in", kpis.ids), ("state", "=", "open")]
        ):
            actions.setdefault(action.kpi_id.id, []).append(
                {
                    "name": action.name,
                    "owner": action.user_id.name,
                    "due": format_date(self.env, action.date_due),
                    "escalated": bool(action.escalated_date),
                }
            )
        categories = dict(self._fields["category"]._description_selection(self.env))
        slides = [
            {
                "type": "kpi",
                "id": kpi.id,
                "name": kpi.name,
                "category": categories[kpi.category],
                "department": kpi.department_id.name or "",
                "owner": kpi.user_id.name,
                "unit": kpi.unit or "",
                "band": kpi.band_display or "",
                "yesterday": days.get((kpi.id, yesterday)),
                "today": days.get((kpi.id, today)),
                "actions": actions.get(kpi.id, []),
            }
            for kpi in kpis
        ]
        KeyResult = self.env["okr.key.result"]
        kr_domain = [("kpi_id", "in", kpis.ids)]
        if department_id:
            kr_domain = [
                "|",
                *kr_domain,
                "&",
                "&",
                ("objective_id.department_id", "=", department_id),
                ("objective_id.state", "=", "active"),
                ("cycle_id.state", "=", "running"),
            ]
        statuses = dict(KeyResult._fields["status"]._description_selection(self.env))
        slides += [
            {
                "type": "key_result",
                "id": key_result.id,
                "name": key_result.name,
                "objective": key_result.objective_id.name,
                "owner": key_result.owner_id.name,
                "value": key_result.value_display or "",
                "progress": round(key_result.progress * 100),
                "status": key_result.status or "on_track",
                "status_label": statuses.get(key_result.status or "on_track"),
            }
            for key_result in KeyResult.search(kr_domain, limit=50)
        ]
        return {
            "tier": tier,
            "date": format_date(self.env, today),
            "yesterday": format_date(self.env, yesterday),
            "slides": slides,
        }

    @api.model
    def action_open_meeting(self):
        return {
            "type": "ir.actions.client",
            "tag": "okr_kpi_meeting",
            "name": self.env._("Morning Meeting"),
            "target": "fullscreen",
            "params": {"tier": "1"},
        }
