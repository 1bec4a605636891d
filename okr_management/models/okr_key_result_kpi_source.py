from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

KPI_SOURCE = "kpi"


class OkrKeyResult(models.Model):
    """A key result fed by a daily KPI: its value is the KPI's days over the
    key result's period (the cycle, up to today), averaged, the last one, or
    the share of green days. Recording a KPI value refreshes it, so the OKR
    and the daily board agree."""

    _inherit = "okr.key.result"

    source = fields.Selection(
        selection_add=[(KPI_SOURCE, "Daily KPI")],
        ondelete={KPI_SOURCE: "set default"},
    )
    kpi_id = fields.Many2one(
        "okr.kpi",
        string="Daily KPI",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        help="With the source Daily KPI: the KPI whose days give the value.",
    )
    kpi_aggregate = fields.Selection(
        [
            ("average", "Average of the days"),
            ("last", "Last day"),
            ("green_share", "Share of green days (%)"),
        ],
        string="KPI Aggregate",
        default="average",
        required=True,
        help="How the KPI's days of the key result's period make its value.",
    )

    @api.constrains("source", "kpi_id")
    def _check_kpi_source(self):
        for key_result in self:
            if key_result.source == KPI_SOURCE and not key_result.kpi_id:
                raise ValidationError(
                    self.env._(
                        "Key result '%(kr)s': choose the Daily KPI that feeds it.",
                        kr=key_result.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_kpi_readable({vals.get("kpi_id") for vals in vals_list})
        key_results = super().create(vals_list)
        key_results.filtered(
            lambda kr: kr.source == KPI_SOURCE
        ).action_refresh_from_source()
        return key_results

    def write(self, vals):
        self._check_kpi_readable({vals.get("kpi_id")})
        result = super().write(vals)
        if {"kpi_id", "kpi_aggregate"} & set(vals) and "source" not in vals:
            self.filtered(
                lambda kr: kr.source == KPI_SOURCE
            ).action_refresh_from_source()
        return result

    @api.model
    def _check_kpi_readable(self, kpi_ids):
        """A key result shows its KPI's figures: only a KPI its author may
        read can feed it."""
        kpi_ids = {kpi_id for kpi_id in kpi_ids if isinstance(kpi_id, int) and kpi_id}
        if kpi_ids and not self.env.su:
            self.env["okr.kpi"].browse(kpi_ids).check_access("read")

    @api.model
    def _get_computed_sources(self):
        return [*super()._get_computed_sources(), KPI_SOURCE]

    def _get_source_values(self):
        """The KPI-fed key results' values from the days of their period, in
        one query for the whole batch."""
        results = super()._get_source_values()
        fed = self.filtered(lambda kr: kr.source == KPI_SOURCE and kr.kpi_id)
        if not fed:
            return results
        today = fields.Date.context_today(self)
        periods = {
            kr.id: (kr.cycle_id.date_start, min(kr.cycle_id.date_end or today, today))
            for kr in fed
        }
        days = defaultdict(list)
        # the KPI's days are the key result's source, whoever refreshes it
        values = (
            self.env["okr.kpi.value"]
            .sudo()
            .search_fetch(
                [
                    ("kpi_id", "in", fed.kpi_id.ids),
                    ("date", ">=", min(start for start, _end in periods.values())),
                    ("date", "<=", max(end for _start, end in periods.values())),
                ],
                ["kpi_id", "date", "value", "state"],
                order="date, id",
            )
        )
        for value in values:
            days[value.kpi_id.id].append((value.date, value.value, value.state))
        for key_result in fed:
            start, end = periods[key_result.id]
            period = [
                day for day in days[key_result.kpi_id.id] if start <= day[0] <= end
            ]
            results[key_result.id] = key_result._aggregate_kpi_days(period)
        return results

    def _aggregate_kpi_days(self, period):
        """``(value or None, note)`` of the key result from its KPI's days
        ``[(date, value, state)]`` in date order."""
        self.ensure_one()
        kpi_name = self.kpi_id.name
        if not period:
            return None, self.env._(
                "No day of KPI '%(kpi)s' recorded in the period yet.", kpi=kpi_name
            )
        if self.kpi_aggregate == "last":
            day, value, _state = period[-1]
            return value, self.env._(
                "KPI '%(kpi)s' on %(date)s.", kpi=kpi_name, date=day
            )
        if self.kpi_aggregate == "green_share":
            green = sum(1 for _day, _value, state in period if state == "green")
            share = round(100.0 * green / len(period), 2)
            return share, self.env._(
                "KPI '%(kpi)s': %(green)s green days of %(count)s.",
                kpi=kpi_name,
                green=green,
                count=len(period),
            )
        average = round(sum(value for _day, value, _state in period) / len(period), 4)
        return average, self.env._(
            "KPI '%(kpi)s': average of %(count)s days.",
            kpi=kpi_name,
            count=len(period),
        )
