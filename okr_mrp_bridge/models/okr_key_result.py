import contextvars
import logging
from collections import defaultdict
from contextlib import contextmanager

from lxml import etree

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .. import sources as registry
from ..sources.base import (
    ProductionSource,
    Scope,
    get_scope_label,
    prefetch_scope_labels,
)

_logger = logging.getLogger(__name__)

# the events collected by _batch_events while its block runs (in this thread
# of execution only)
EVENT_BATCH = contextvars.ContextVar("okr_mrp_bridge_event_batch", default=None)
# what a refresh reads of the key results it finds
AFFECTED_FETCH = [
    "name",
    "source",
    "cycle_id",
    "company_id",
    "uom_id",
    "current_value",
    "confidence",
    "source_note",
]

PRODUCTION_SOURCES = registry.get_selection()
PRODUCTION_SOURCE_KEYS = registry.get_source_keys()
# changing one of them changes what a production-fed key result counts
SCOPE_FIELDS = frozenset(
    {"workorder_ids", "production_ids", "workcenter_ids", "product_ids", "uom_id"}
)


class OkrKeyResult(models.Model):
    _inherit = "okr.key.result"

    source = fields.Selection(
        selection_add=PRODUCTION_SOURCES,
        ondelete={key: "set default" for key in PRODUCTION_SOURCE_KEYS},
    )
    workorder_ids = fields.Many2many(
        "mrp.workorder",
        "okr_key_result_mrp_workorder_rel",
        "key_result_id",
        "workorder_id",
        string="Linked Work Orders",
        groups="mrp.group_mrp_user",
        help="When work orders or manufacturing orders are linked, only they "
        "count; otherwise all the work of the chosen work centers and products "
        "in the cycle counts.",
    )
    production_ids = fields.Many2many(
        "mrp.production",
        "okr_key_result_mrp_production_rel",
        "key_result_id",
        "production_id",
        string="Linked Manufacturing Orders",
        groups="mrp.group_mrp_user",
    )
    workcenter_ids = fields.Many2many(
        "mrp.workcenter",
        "okr_key_result_mrp_workcenter_rel",
        "key_result_id",
        "workcenter_id",
        string="Work Centers",
        groups="mrp.group_mrp_user",
        help="Empty: every work center of the company.",
    )
    product_ids = fields.Many2many(
        "product.product",
        "okr_key_result_product_rel",
        "key_result_id",
        "product_id",
        string="Products",
        groups="mrp.group_mrp_user",
        help="Empty: every manufactured product.",
    )
    uom_id = fields.Many2one(
        "uom.uom",
        string="Unit of Measure",
        compute="_compute_uom_id",
        store=True,
        readonly=False,
        help="Finished and scrapped quantities are converted into this unit. "
        "Defaults to the unit of the first product in scope; without one, Units.",
    )
    is_production_fed = fields.Boolean(
        compute="_compute_is_production_fed",
        help="The value comes from manufacturing or quality data.",
    )
    is_quantity_source = fields.Boolean(
        compute="_compute_is_production_fed",
        help="The value sums quantities, converted into the Unit of Measure.",
    )
    source_note = fields.Char(
        string="Source Figures",
        readonly=True,
        copy=False,
        help="What data produced the value at the last refresh.",
    )
    source_refresh_date = fields.Datetime(
        string="Figures Changed",
        readonly=True,
        copy=False,
        help="When a refresh last found other figures than the previous one.",
    )
    production_risk = fields.Boolean(
        compute="_compute_production_risk",
        store=True,
        help="Set while a shop-floor alert on this key result is open: an "
        "on-track key result then shows At Risk.",
    )
    production_alert_ids = fields.One2many(
        "okr.production.alert", "key_result_id", string="Shop-floor Alerts"
    )
    # one counter per source family of the registry, behind its drill-down
    # button (the buttons are added to the form by _get_view)
    locals().update(
        {
            family.count_field: fields.Integer(
                string=family.count_label,
                compute="_compute_production_counts",
                groups=family.count_groups,
            )
            for family in registry.REGISTRY.values()
        }
    )

    # ------------------------------------------------------------------
    # Views
    # ------------------------------------------------------------------
    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """One drill-down button per source family of the registry in the
        form's button box."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form":
            for box in arch.xpath("//div[@name='button_box']"):
                for family in registry.REGISTRY.values():
                    box.append(self._get_family_button(family))
        return arch, view

    @api.model
    def _get_family_button(self, family):
        button = etree.Element(
            "button",
            name="action_view_family",
            type="object",
            icon=family.icon,
            groups=family.button_groups,
            context=repr({"okr_source_family": family.family}),
            invisible=f"not is_production_fed and not {family.count_field}",
        )
        button.set("class", "oe_stat_button")
        etree.SubElement(button, "field", name=family.count_field, widget="statinfo")
        return button

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.model
    def _get_system_fields(self):
        # what the last refresh found is the refresh's to write
        return super()._get_system_fields() | {
            "source_note",
            "source_refresh_date",
            "plan_refresh_date",
        }

    @api.depends("source")
    def _compute_is_production_fed(self):
        for key_result in self:
            family = registry.get_family(key_result.source)
            key_result.is_production_fed = bool(family)
            key_result.is_quantity_source = bool(family and family.uses_uom)

    @api.depends("product_ids")
    def _compute_uom_id(self):
        for key_result in self:
            if key_result.product_ids:
                key_result.uom_id = key_result.product_ids[:1].uom_id

    @api.depends("production_alert_ids.activity_id.active")
    def _compute_production_risk(self):
        for key_result in self:
            key_result.production_risk = any(
                alert.activity_id.active for alert in key_result.production_alert_ids
            )

    @api.depends(
        "source",
        "workorder_ids",
        "production_ids",
        "workcenter_ids",
        "product_ids",
        "cycle_id.date_start",
        "cycle_id.date_end",
    )
    def _compute_production_counts(self):
        """The records behind each drill-down button, counted with the same
        domain the button opens (in the user's rights): every count of every
        key result in one query, the scopes in another."""
        origins = self._origin.filtered("cycle_id")
        scopes = Scope.from_key_results(origins)
        families = [
            family
            for family in registry.REGISTRY.values()
            if self.env[family.model].has_access("read")
        ]
        counted = []
        for key_result in self:
            scope = scopes.get(key_result._origin.id)
            if (
                scope
                and key_result.cycle_id
                and (key_result.is_production_fed or scope.explicit)
            ):
                counted += [
                    (key_result, family, family.get_domain(key_result._origin, scope))
                    for family in families
                ]
        counts = self._count_by_domain(
            [(family.model, domain) for _kr, family, domain in counted]
        )
        self.update(dict.fromkeys(self._get_production_count_fields(), 0))
        for (key_result, family, _domain), count in zip(counted, counts, strict=True):
            key_result[family.count_field] = count

    @api.model
    def _get_production_count_fields(self):
        return [family.count_field for family in registry.REGISTRY.values()]

    @api.model
    def _count_by_domain(self, model_domains):
        """``[search_count(domain)]`` of each ``(model, domain)``, in the
        user's rights (each domain searched by the ORM, its rules applied), in
        one query whatever the number of domains."""
        if not model_domains:
            return []
        counts = []
        for model_name, domain in model_domains:
            Model = self.env[model_name]
            counts.append(
                SQL(
                    "(SELECT COUNT(*) FROM %s AS counted WHERE counted.id IN %s)",
                    SQL.identifier(Model._table),
                    Model._search(domain).subselect(),
                )
            )
        # the fields the searches read are flushed first, as search_count does
        return list(self.env.execute_query(SQL("SELECT %s", SQL(", ").join(counts)))[0])

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("workorder_ids", "production_ids", "workcenter_ids", "company_id")
    def _check_production_links_company(self):
        # every link counts, also those the writer may not read
        for key_result in self.sudo():
            key_result._check_links_company(
                key_result.workorder_ids.production_id | key_result.production_ids
            )
            key_result._check_links_company(key_result.workcenter_ids)

    def _check_links_company(self, records):
        """Refuse work orders, orders and work centers of another company."""
        self.ensure_one()
        foreign = records.filtered(
            lambda record: record.company_id and record.company_id != self.company_id
        )
        if foreign:
            raise ValidationError(
                _(
                    "Key result '%(kr)s' belongs to %(company)s: it cannot be "
                    "linked to %(records)s of %(other)s.",
                    kr=self.name,
                    company=self.company_id.name,
                    records=", ".join(foreign.mapped("display_name")),
                    other=foreign[0].company_id.name,
                )
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_production_source_allowed(vals)
        key_results = super().create(vals_list)
        key_results.filtered("is_production_fed").action_refresh_from_source()
        return key_results

    def write(self, vals):
        self._check_production_source_allowed(vals)
        res = super().write(vals)
        # the core refreshes on a change of source; a change of scope too
        if SCOPE_FIELDS & set(vals) and "source" not in vals:
            self.filtered("is_production_fed").action_refresh_from_source()
        return res

    @api.model
    def _check_production_source_allowed(self, vals):
        """Production figures are read by manufacturing users only: no one
        else may make a key result count them."""
        if (
            vals.get("source") in PRODUCTION_SOURCE_KEYS
            and not self.env.su
            and not self.env.user.has_group("mrp.group_mrp_user")
        ):
            raise AccessError(
                _(
                    "Source: only manufacturing users may feed a key result from "
                    "manufacturing or quality data."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_family(self):
        """The records of the family named by the button's context."""
        family_name = self.env.context.get("okr_source_family")
        if family_name not in registry.REGISTRY:
            raise UserError(_("Unknown production source: %(name)s", name=family_name))
        return self._action_view_family(family_name)

    def action_view_source_records(self):
        """The records the value was computed from."""
        self.ensure_one()
        family = registry.get_family(self.source)
        if not family:
            raise UserError(
                _("Key result '%(kr)s' is not fed by production data.", kr=self.name)
            )
        return self._action_view_family(family.family)

    def _action_view_family(self, family_name):
        self.ensure_one()
        self.check_access("read")
        family = registry.REGISTRY[family_name]
        action = self.env["ir.actions.actions"]._for_xml_id(family.action_xmlid)
        action.update(
            domain=family.get_domain(self),
            context={"create": False},
            name=family.get_action_name(self),
        )
        return action

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _get_computed_sources(self):
        return super()._get_computed_sources() + PRODUCTION_SOURCE_KEYS

    def _has_explicit_links(self):
        self.ensure_one()
        return bool(self.workorder_ids or self.production_ids)

    def _get_scope_label(self):
        self.ensure_one()
        return get_scope_label(self)

    def _get_quantity_uom(self):
        """The unit finished and scrapped quantities are expressed in."""
        self.ensure_one()
        if self.uom_id:
            return self.uom_id
        # the cached xmlid, not env.ref: no query per key result
        unit_id = self.env["ir.model.data"]._xmlid_to_res_id("uom.product_uom_unit")
        return self.env["uom.uom"].browse(unit_id)

    def _get_source_values(self):
        """Values of the production-fed key results of the batch: each source
        family of the registry computes its own key results in a fixed
        number of queries. A key result whose figures cannot be computed (units
        of different categories) is refused with its reason; with context key
        ``okr_skip_failing`` it is logged and skipped instead."""
        results = super()._get_source_values()
        production = self.filtered(lambda kr: kr.source in PRODUCTION_SOURCE_KEYS)
        if not production:
            return results
        self.env.flush_all()
        env = production.env(context=dict(production.env.context, tz="UTC"))
        # the scopes of every family in one query, their names in one go
        scopes = Scope.from_key_results(production)
        prefetch_scope_labels(env, scopes.values())
        for family in registry.REGISTRY.values():
            keys = family.source_keys()
            key_results = production.filtered(
                lambda kr, keys=keys: kr.source in keys
            ).with_env(env)
            if not key_results:
                continue
            values, errors = family.compute(key_results, scopes)
            for key_result_id, error in errors.items():
                if not self.env.context.get("okr_skip_failing"):
                    raise error
                _logger.warning(
                    "okr.key.result %s skipped by the production refresh: %s",
                    key_result_id,
                    error.args[0],
                )
            results.update(values)
        return results

    def _after_refresh_from_source(self, results):
        """Keep what each refresh found: one write per distinct note (nothing
        depends on the note, so the writes are flushed as one UPDATE)."""
        res = super()._after_refresh_from_source(results)
        by_note = defaultdict(list)
        for key_result in self.filtered(lambda kr: kr.source in PRODUCTION_SOURCE_KEYS):
            if key_result.id not in results:
                continue  # skipped: it keeps its figures
            _value, note = results[key_result.id]
            note = note or _("No data in the period yet.")
            if key_result.source_note != note:
                by_note[note].append(key_result.id)
        now = fields.Datetime.now()
        for note, key_result_ids in by_note.items():
            self.browse(key_result_ids).write(
                {"source_note": note, "source_refresh_date": now}
            )
        return res

    @api.model
    def _search_affected(
        self, workorders=None, productions=None, workcenters=None, source_keys=None
    ):
        """Key results of running cycles that the given records feed (by
        default for every production source), their fields fetched for the
        refresh: one fixed query for the orders, work centers, products and
        companies of the records, then one search."""
        wo_ids = (workorders or self.env["mrp.workorder"]).ids
        mo_ids = (productions or self.env["mrp.production"]).ids
        wc_ids = (workcenters or self.env["mrp.workcenter"]).ids
        self.env["mrp.workorder"].flush_model(["production_id", "workcenter_id"])
        self.env["mrp.production"].flush_model(["product_id", "company_id"])
        self.env["mrp.workcenter"].flush_model(["company_id"])
        self.env.cr.execute(
            SQL(
                """
                WITH wo AS (SELECT production_id, workcenter_id FROM mrp_workorder
                             WHERE id = ANY(%(wo_ids)s)),
                     mo AS (SELECT id, product_id, company_id FROM mrp_production
                             WHERE id = ANY(%(mo_ids)s)
                                OR id IN (SELECT production_id FROM wo)),
                     wc AS (SELECT id, company_id FROM mrp_workcenter
                             WHERE id = ANY(%(wc_ids)s)
                                OR id IN (SELECT workcenter_id FROM wo))
                SELECT ARRAY(SELECT id FROM mo),
                       ARRAY(SELECT id FROM wc),
                       ARRAY(SELECT DISTINCT product_id FROM mo
                              WHERE product_id IS NOT NULL),
                       ARRAY(SELECT company_id FROM mo WHERE company_id IS NOT NULL
                             UNION
                             SELECT company_id FROM wc WHERE company_id IS NOT NULL)
                """,
                wo_ids=wo_ids,
                mo_ids=mo_ids,
                wc_ids=wc_ids,
            )
        )
        mo_ids, wc_ids, product_ids, company_ids = self.env.cr.fetchone()
        domain = ProductionSource.get_affected_domain(
            source_keys or PRODUCTION_SOURCE_KEYS,
            wo_ids,
            mo_ids,
            wc_ids,
            product_ids,
            company_ids,
        )
        # the shop floor's events refresh every key result they feed, also
        # those the operator or planner may not read
        return self.sudo().search_fetch(domain, AFFECTED_FETCH)

    @api.model
    @contextmanager
    def _batch_events(self):
        """Collect the events of the block (e.g. the closed time log and the
        finished work order of one ``button_finish``) and refresh their key
        results once, when the block ends without an error. Nested blocks
        join the outer one."""
        if EVENT_BATCH.get() is not None:
            yield
            return
        pending = {
            "source_keys": set(),
            "workorders": set(),
            "productions": set(),
            "workcenters": set(),
        }
        token = EVENT_BATCH.set(pending)
        try:
            yield
        finally:
            EVENT_BATCH.reset(token)
        if pending["source_keys"]:
            self._refresh_affected(
                sorted(pending["source_keys"]),
                workorders=self.env["mrp.workorder"].browse(pending["workorders"]),
                productions=self.env["mrp.production"].browse(pending["productions"]),
                workcenters=self.env["mrp.workcenter"].browse(pending["workcenters"]),
            )

    @api.model
    def _refresh_for_event(self, model_name, field_names, **records):
        """Refresh the key results fed by a change of ``field_names`` on
        ``model_name`` records; the registry says which sources it feeds.
        Inside :meth:`_batch_events` the refresh waits for the end of the
        block. A key result that fails is logged and skipped."""
        families = registry.get_triggered_families(model_name, field_names)
        if not families:
            return self.browse()
        source_keys = [key for family in families for key in family.source_keys()]
        pending = EVENT_BATCH.get()
        if pending is not None:
            pending["source_keys"].update(source_keys)
            for name, recordset in records.items():
                pending[name].update(recordset.ids)
            return self.browse()
        return self._refresh_affected(source_keys, **records)

    @api.model
    def _refresh_affected(self, source_keys, **records):
        key_results = self._search_affected(source_keys=source_keys, **records)
        # a key result that cannot be computed never blocks the shop floor
        key_results.with_context(okr_skip_failing=True).action_refresh_from_source()
        return key_results

    @api.model
    def _cron_refresh_from_source(self):
        """Resync every production-fed key result of the running cycles. A key
        result that fails is logged (id and reason) and skipped; the others
        are refreshed. Running it twice changes nothing the second time."""
        # every running cycle's key results, whoever runs the job by hand
        key_results = (
            self.sudo()
            .with_context(okr_skip_failing=True)
            .search(
                [
                    ("source", "in", PRODUCTION_SOURCE_KEYS),
                    ("cycle_id.state", "=", "running"),
                ]
            )
        )
        try:
            with self.env.cr.savepoint():
                key_results.action_refresh_from_source()
        except Exception:  # pylint: disable=broad-except
            # one key result broke the batch: refresh them one by one
            _logger.exception("Production refresh batch failed, retrying one by one")
            for key_result in key_results:
                try:
                    with self.env.cr.savepoint():
                        key_result.action_refresh_from_source()
                except Exception as error:  # pylint: disable=broad-except
                    _logger.warning(
                        "okr.key.result %s skipped by the production refresh: %s",
                        key_result.id,
                        error,
                    )
        return True
