import calendar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from .okr_kpi import KPI_BOARD_DAYS, KPI_TIER_SELECTION

# the bounds of a page's time on screen, in seconds
PAGE_INTERVAL_RANGE = (5, 300)


class OkrBoardShare(models.Model):
    """Pages and tier boards of the TV board.

    Pages: when the tiles do not fit the screen they are shown page by page,
    each for the link's interval, with a page indicator; no tile is ever cut.
    Archived objectives and key results never show.

    Tier boards: a link to the public daily KPIs of one tier and scope, each
    with the days of its month, the open actions of the board and those
    escalated to it, and, from tier 2 up, the roll-up of the tiers below
    (share of green days and open actions per department)."""

    _inherit = "okr.board.share"

    scope = fields.Selection(
        selection_add=[("tier", "Tier Board")], ondelete={"tier": "cascade"}
    )
    page_interval = fields.Integer(
        string="Seconds per Page",
        default=15,
        required=True,
        help="When the tiles do not fit the screen, the board shows them page "
        "by page, each this many seconds.",
    )

    tier = fields.Selection(
        KPI_TIER_SELECTION,
        help="With the scope Tier Board: the tier whose daily KPIs the board shows.",
    )

    @api.constrains("page_interval")
    def _check_page_interval(self):
        low, high = PAGE_INTERVAL_RANGE
        for share in self:
            if not low <= share.page_interval <= high:
                raise ValidationError(
                    self.env._(
                        "TV board %(name)s: Seconds per Page must lie between "
                        "%(low)s and %(high)s (got %(value)s).",
                        name=share.name,
                        low=low,
                        high=high,
                        value=share.page_interval,
                    )
                )

    @api.constrains("scope", "tier")
    def _check_tier(self):
        for share in self:
            if share.scope == "tier" and not share.tier:
                raise ValidationError(
                    self.env._(
                        "TV board %(name)s: choose the Tier it shows.",
                        name=share.name,
                    )
                )

    def _get_scope_label(self):
        self.ensure_one()
        if self.scope != "tier":
            return super()._get_scope_label()
        tier_label = dict(self._fields["tier"]._description_selection(self.env))[
            self.tier
        ]
        return " · ".join(
            name for name in (tier_label, self.department_id.name) if name
        )

    def _get_key_result_domain(self):
        # archived key results and objectives are history, not the board
        return [
            *super()._get_key_result_domain(),
            ("active", "=", True),
            ("objective_id.active", "=", True),
        ]

    def _get_board_data(self):
        self.ensure_one()
        if self.scope == "tier":
            return self._get_tier_board_data()
        data = super()._get_board_data()
        data["page_interval"] = self.page_interval
        data["labels"]["page"] = self.env._("Page")
        return data

    # ------------------------------------------------------------------
    # The tier board
    # ------------------------------------------------------------------
    def _get_tier_kpi_domain(self, tiers):
        self.ensure_one()
        # the link is read with archived records (see _get_by_token): an
        # archived KPI is left off the board, its actions and its roll-up
        domain = [
            ("active", "=", True),
            ("company_id", "=", self.company_id.id),
            ("visibility", "=", "public"),
            ("tier", "in", tiers),
        ]
        if self.department_id:
            domain.append(("department_id", "child_of", self.department_id.id))
        return domain

    def _get_tier_board_data(self):
        """The tier board as plain values, no record ids; runs as superuser
        on a link validated by :meth:`_get_by_token`."""
        self.ensure_one()
        env = self.env
        Kpi = env["okr.kpi"].with_company(self.company_id)
        kpis = Kpi.search(self._get_tier_kpi_domain([self.tier]))
        today = fields.Date.context_today(self)
        month_days = calendar.monthrange(today.year, today.month)[1]
        months = kpis._get_month_states(today)
        open_actions = {
            action.kpi_id.id: action
            for action in env["okr.kpi.action"].search(
                [("kpi_id", "in", kpis.ids), ("state", "=", "open")]
            )
        }
        categories = dict(Kpi._fields["category"]._description_selection(env))
        states = dict(Kpi._fields["last_state"]._description_selection(env))
        tiles = []
        for kpi in kpis:
            days = []
            for number in range(1, month_days + 1):
                day = today.replace(day=number)
                _value, state = months[kpi.id].get(day, (None, False))
                days.append(
                    {
                        "day": number,
                        "state": "future" if day > today else state or "none",
                    }
                )
            action = open_actions.get(kpi.id)
            tiles.append(
                {
                    "name": kpi.name,
                    "category": kpi.category,
                    "category_label": categories[kpi.category],
                    "owner": kpi.user_id.name,
                    "value": f"{kpi.last_value:g} {kpi.unit or ''}".strip()
                    if kpi.last_date
                    else "-",
                    "date": format_date(env, kpi.last_date) if kpi.last_date else "",
                    "state": kpi.last_state or "none",
                    "state_label": states.get(kpi.last_state, env._("no value")),
                    "band": kpi.band_display or "",
                    "days": days,
                    "action_due": format_date(env, action.date_due) if action else "",
                }
            )
        return {
            "kind": "tier",
            "title": self.name,
            "scope": self._get_scope_label(),
            "kpis": tiles,
            "actions": self._get_tier_board_actions(kpis),
            "rollup": self._get_tier_rollup(),
            "page_interval": self.page_interval,
            "labels": {
                "empty": env._("No daily KPI to show yet."),
                "updated": env._("Updated"),
                "page": env._("Page"),
                "action_due": env._("Action due"),
                "escalated": env._("Escalated"),
                "open_action": env._("Open action"),
                "red_days": env._("red days"),
                "green_days": env._("green days"),
                "open_actions": env._("open actions"),
                "band": env._("Green"),
            },
        }

    def _get_tier_board_actions(self, kpis):
        """The open actions of the board's KPIs and those escalated to this
        board (its tier, its department or the plant), in one search."""
        self.ensure_one()
        escalated = [("escalation_tier", "=", self.tier)]
        if self.department_id and self.tier != "3":
            escalated.append(
                ("escalation_department_id", "child_of", self.department_id.id)
            )
        domain = [
            ("state", "=", "open"),
            ("kpi_id.active", "=", True),
            ("kpi_id.visibility", "=", "public"),
            ("company_id", "=", self.company_id.id),
            "|",
            ("kpi_id", "in", kpis.ids),
            *(["&"] * (len(escalated) - 1)),
            *escalated,
        ]
        actions = self.env["okr.kpi.action"].search(domain, order="date_due, id")
        red_days = dict(
            self.env["okr.kpi.value"]._read_group(
                [("action_id", "in", actions.ids)], ["action_id"], ["__count"]
            )
        )
        return [
            {
                "kpi": action.kpi_id.name,
                "owner": action.user_id.name,
                "due": format_date(self.env, action.date_due),
                "overdue": action.date_due < fields.Date.context_today(self),
                "escalated": bool(action.escalated_date),
                "department": action.department_id.name or "",
                "red_days": red_days.get(action, 0),
            }
            for action in actions
        ]

    def _get_tier_rollup(self):
        """From tier 2 up: per department of the tiers below, the share of
        green days over the last days and the open actions, in two grouped
        queries."""
        self.ensure_one()
        lower = [tier for tier, _label in KPI_TIER_SELECTION if tier < self.tier]
        if not lower:
            return []
        since = fields.Date.context_today(self) - timedelta(days=KPI_BOARD_DAYS - 1)
        kpi_domain = self._get_tier_kpi_domain(lower)
        value_groups = self.env["okr.kpi.value"]._read_group(
            [("kpi_id", "any", kpi_domain), ("date", ">=", since)],
            ["department_id", "state"],
            ["__count"],
        )
        action_groups = self.env["okr.kpi.action"]._read_group(
            [("kpi_id", "any", kpi_domain), ("state", "=", "open")],
            ["department_id"],
            ["__count"],
        )
        rows = {}
        for department, state, count in value_groups:
            row = rows.setdefault(department, {"green": 0, "days": 0, "open": 0})
            row["days"] += count
            row["green"] += count if state == "green" else 0
        for department, count in action_groups:
            rows.setdefault(department, {"green": 0, "days": 0, "open": 0})
            rows[department]["open"] = count
        return [
            {
                "department": department.name or self.company_id.name,
                "green_share": round(100 * row["green"] / row["days"])
                if row["days"]
                else 0,
                "days": row["days"],
                "open_actions": row["open"],
            }
            for department, row in sorted(
                rows.items(), key=lambda item: item[0].name or ""
            )
        ]
