from datetime import datetime, time, timedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.okr_management.tools import run_isolated

from .. import sources as registry
from ..sources.base import Scope, prefetch_scope_labels

PRODUCTION_SOURCES = registry.get_selection()
PRODUCTION_SOURCE_KEYS = registry.get_source_keys()


class OkrKpi(models.Model):
    """Daily KPIs fed by manufacturing: each day's value is the figure of a
    source family of the registry over that day's records of the KPI's work
    center (else of its company), computed as key results are."""

    _inherit = "okr.kpi"

    source = fields.Selection(
        selection_add=PRODUCTION_SOURCES,
        ondelete={key: "set default" for key in PRODUCTION_SOURCE_KEYS},
    )
    workcenter_id = fields.Many2one(
        "mrp.workcenter",
        string="Work Center",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        groups="mrp.group_mrp_user",
        help="A KPI fed by manufacturing counts this work center's records of "
        "the day; empty: every work center of the company.",
    )

    @api.model
    def _get_computed_kpi_sources(self):
        return super()._get_computed_kpi_sources() + PRODUCTION_SOURCE_KEYS

    def _check_record_allowed(self):
        # who may not record at all is refused by the rights check first (a
        # KPI the caller may not read stays unnamed); the others learn which
        # source feeds the KPI
        if not self.env.su and not (self - self._filter_record_allowed()):
            fed = self.filtered(lambda kpi: kpi.source in PRODUCTION_SOURCE_KEYS)
            if fed:
                labels = dict(self._fields["source"]._description_selection(self.env))
                raise UserError(
                    self.env._(
                        "KPI '%(kpi)s' takes its daily value from %(origin)s: it "
                        "cannot be recorded by hand. Use Update from production "
                        "to compute it again.",
                        kpi=fed[0].name,
                        origin=labels.get(fed[0].source, fed[0].source),
                    )
                )
        return super()._check_record_allowed()

    def _get_quantity_uom(self):
        """The unit finished and scrapped quantities are counted in: units."""
        # the cached xmlid, not env.ref: no query per KPI
        unit_id = self.env["ir.model.data"]._xmlid_to_res_id("uom.product_uom_unit")
        return self.env["uom.uom"].browse(unit_id)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_update_from_production(self):
        """Compute yesterday's and today's values (so far) of these
        production-fed KPIs again, for whoever may record them."""
        self.check_access("read")
        forbidden = self - self._filter_record_allowed()
        if forbidden:
            raise AccessError(
                self.env._(
                    "KPI '%(kpi)s': only its owner, the owner's managers and OKR "
                    "Managers update its values.",
                    kpi=forbidden[0].name,
                )
            )
        manual = self.filtered(lambda kpi: kpi.source not in PRODUCTION_SOURCE_KEYS)
        if manual:
            raise UserError(
                self.env._(
                    "KPI '%(kpi)s' is not fed by manufacturing: record its value "
                    "instead.",
                    kpi=manual[0].name,
                )
            )
        self._update_from_production(self._get_production_days())
        return True

    @api.model
    def _cron_update_from_production(self):
        """Yesterday's and today's values (so far) of every active
        production-fed KPI, computed in one batch; a KPI that fails is logged
        and skipped, the others are recorded."""
        # every company's KPIs, whoever runs the job by hand
        kpis = self.sudo().search([("source", "in", PRODUCTION_SOURCE_KEYS)])
        days = self._get_production_days()
        return run_isolated(
            kpis,
            lambda batch: batch._update_from_production(days),
            "KPI production update",
        )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_production_days(self):
        """Yesterday and today, as UTC days (the key results' periods)."""
        today = fields.Date.context_today(self.with_context(tz="UTC"))
        return [today - timedelta(days=1), today]

    def _get_production_values(self, day):
        """``{kpi_id: (value or None, note)}`` of the production-fed KPIs of
        ``self`` on ``day`` (a UTC day): each family of the registry computes
        its KPIs in one aggregate per company, as for key results. Raises the
        first KPI's error (quantities in units that cannot be converted)."""
        # the figure counts every record of the scope, whoever asks
        kpis = self.filtered(lambda kpi: kpi.source in PRODUCTION_SOURCE_KEYS).with_env(
            self.env(su=True, context=dict(self.env.context, tz="UTC"))
        )
        if not kpis:
            return {}
        self.env.flush_all()
        start = datetime.combine(day, time.min)
        period = (start, start + timedelta(days=1))
        scopes = {kpi.id: self._get_day_scope(kpi, period) for kpi in kpis}
        prefetch_scope_labels(kpis.env, scopes.values())
        results = {}
        for family in registry.REGISTRY.values():
            keys = family.source_keys()
            members = kpis.filtered(lambda kpi, keys=keys: kpi.source in keys)
            if not members:
                continue
            values, errors = family.compute(members, scopes)
            if errors:
                raise next(iter(errors.values()))
            results.update(values)
        return results

    @api.model
    def _get_day_scope(self, kpi, period):
        """The :class:`Scope` of ``kpi`` over ``period``: its work center, else
        its company (the bridge knows no department's work centers)."""
        scope = Scope.__new__(Scope)
        scope.explicit = False
        scope.wo_ids = scope.mo_ids = scope.product_ids = frozenset()
        scope.wc_ids = frozenset(kpi.workcenter_id.ids)
        scope.company_id = kpi.company_id.id
        scope.period = period
        return scope

    def _update_from_production(self, days):
        """Record the production figures of ``days`` as the KPIs' values,
        through the KPIs' own recording path as the system (a red day opens
        the owner's action). A day recorded again is replaced; a day already
        recorded with the same figure is left as it is, and a day the family
        has no figure for (a rate without records) gets no value."""
        # the values are facts the suite computes and records; their days are
        # UTC days, never in the future of the recording's clock
        kpis = self.with_env(
            self.env(
                user=SUPERUSER_ID,
                su=True,
                context=dict(self.env.context, tz="UTC"),
            )
        )
        kpis = kpis.filtered(lambda kpi: kpi.source in PRODUCTION_SOURCE_KEYS)
        if not kpis:
            return
        known = {
            (value.kpi_id.id, value.date): value
            for value in kpis.env["okr.kpi.value"].search_fetch(
                [("kpi_id", "in", kpis.ids), ("date", "in", list(days))],
                ["kpi_id", "date", "value", "note", "source"],
            )
        }
        for day in days:
            results = kpis._get_production_values(day)
            for kpi in kpis:
                value, note = results.get(kpi.id, (None, None))
                if value is None:
                    continue
                existing = known.get((kpi.id, day))
                if (
                    existing
                    and existing.value == value
                    and existing.note == note
                    and existing.source == "production"
                ):
                    continue
                record, _status = kpi._record_value(value, date=day, note=note)
                if record.source != "production":
                    record.source = "production"
