from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

REGISTRY = {}


def register(family):
    """Class decorator: add a source family to the registry."""
    REGISTRY[family.family] = family
    return family


class Fact:
    """One group of records of a family, with the dimensions a key result's
    scope is matched on: work orders, manufacturing order, work centers,
    product, and the family's measures."""

    __slots__ = ("measures", "product_id", "production_id", "wc_ids", "wo_ids")

    def __init__(self, wo_ids, production_id, wc_ids, product_id, **measures):
        self.wo_ids = frozenset(wo_ids)
        self.production_id = production_id
        self.wc_ids = frozenset(wc_ids)
        self.product_id = product_id
        self.measures = measures


class Scope:
    """What a key result counts, read once per batch (:meth:`from_key_results`)."""

    __slots__ = (
        "company_id",
        "explicit",
        "mo_ids",
        "period",
        "product_ids",
        "wc_ids",
        "wo_ids",
    )

    # the key result's scope relations, in the order from_key_results reads them
    RELATIONS = ("workorder_ids", "production_ids", "workcenter_ids", "product_ids")

    def __init__(self, key_result, wo_ids, mo_ids, wc_ids, product_ids):
        self.wo_ids = frozenset(wo_ids)
        self.mo_ids = frozenset(mo_ids)
        self.wc_ids = frozenset(wc_ids)
        self.product_ids = frozenset(product_ids)
        self.company_id = key_result.company_id.id
        self.explicit = bool(self.wo_ids or self.mo_ids)
        self.period = get_period(key_result)

    @classmethod
    def from_key_results(cls, key_results):
        """``{key_result_id: Scope}``: the four scope relations of a batch of
        key results in one fixed query (the relation tables themselves, as the
        ORM reads them as superuser), however many key results and links."""
        # a figure counts every link, also those the reader may not see
        key_results = key_results.sudo()
        if not key_results:
            return {}
        key_results.flush_model(cls.RELATIONS)
        fields_ = [key_results._fields[name] for name in cls.RELATIONS]
        columns = [
            SQL(
                "ARRAY(SELECT %s FROM %s WHERE %s = kr.id ORDER BY 1)",
                SQL.identifier(field.column2),
                SQL.identifier(field.relation),
                SQL.identifier(field.column1),
            )
            for field in fields_
        ]
        key_results.env.cr.execute(
            SQL(
                "SELECT kr.id, %s FROM unnest(%s::int[]) AS kr(id)",
                SQL(", ").join(columns),
                list(key_results.ids),
            )
        )
        links = {row[0]: row[1:] for row in key_results.env.cr.fetchall()}
        return {kr.id: cls(kr, *links[kr.id]) for kr in key_results}

    def matched_wo_ids(self, fact):
        """The work orders of ``fact`` that count, or None if ``fact`` is out of
        scope (a fact without work orders that is in scope gives an empty set)."""
        if self.explicit:
            if fact.production_id in self.mo_ids:
                return fact.wo_ids
            linked = fact.wo_ids & self.wo_ids
            return linked or None
        if self.wc_ids and not fact.wc_ids & self.wc_ids:
            return None
        if self.product_ids and fact.product_id not in self.product_ids:
            return None
        return fact.wo_ids


class _FactIndex:
    """Facts by work center, work order and manufacturing order, so that each
    key result only looks at the facts that may be in its scope."""

    def __init__(self, facts):
        self.facts = facts
        self.by_wc = defaultdict(list)
        self.by_wo = defaultdict(list)
        self.by_mo = defaultdict(list)
        for fact in facts:
            for wc_id in fact.wc_ids:
                self.by_wc[wc_id].append(fact)
            for wo_id in fact.wo_ids:
                self.by_wo[wo_id].append(fact)
            self.by_mo[fact.production_id].append(fact)

    def get_candidates(self, scope):
        if scope.explicit:
            groups = [self.by_wo.get(wo_id, ()) for wo_id in scope.wo_ids]
            groups += [self.by_mo.get(mo_id, ()) for mo_id in scope.mo_ids]
        elif scope.wc_ids:
            groups = [self.by_wc.get(wc_id, ()) for wc_id in scope.wc_ids]
        else:
            return self.facts
        if len(groups) == 1:
            return groups[0]
        return list({id(fact): fact for group in groups for fact in group}.values())

    def match(self, scope):
        """``[(fact, wo_ids)]``: the facts in ``scope`` with the work orders
        of each that count."""
        matched = []
        for fact in self.get_candidates(scope):
            wo_ids = scope.matched_wo_ids(fact)
            if wo_ids is not None:
                matched.append((fact, wo_ids))
        return matched


def get_linked_domain(workorders=(), productions=(), workcenters=()):
    """The one definition of the key results linked to records (lists of
    ids): linked to the work orders or to their orders, to the orders or to
    their work orders, to the work centers directly or through a linked work
    order or order. Empty when no record is given."""
    links = []
    if workorders:
        links += [
            [("workorder_ids", "in", list(workorders))],
            [("production_ids.workorder_ids", "in", list(workorders))],
        ]
    if productions:
        links += [
            [("production_ids", "in", list(productions))],
            [("workorder_ids.production_id", "in", list(productions))],
        ]
    if workcenters:
        links += [
            [("workcenter_ids", "in", list(workcenters))],
            [("workorder_ids.workcenter_id", "in", list(workcenters))],
            [("production_ids.workorder_ids.workcenter_id", "in", list(workcenters))],
        ]
    return expression.OR(links) if links else expression.FALSE_DOMAIN


# get_linked_domain(workcenters=...) as (key_result_id, workcenter_id) pairs,
# for the shop floor's SQL view of goals (okr.workcenter.goal); a test keeps
# the two equal
LINKED_WORKCENTERS_SQL = """
    SELECT key_result_id, workcenter_id
      FROM okr_key_result_mrp_workcenter_rel
     UNION
    SELECT rel.key_result_id, wo.workcenter_id
      FROM okr_key_result_mrp_workorder_rel rel
      JOIN mrp_workorder wo ON wo.id = rel.workorder_id
     UNION
    SELECT rel.key_result_id, wo.workcenter_id
      FROM okr_key_result_mrp_production_rel rel
      JOIN mrp_workorder wo ON wo.production_id = rel.production_id
"""


def get_period(key_result):
    """The cycle as a half-open UTC datetime range [start, end)."""
    cycle = key_result.cycle_id
    date_from = datetime.combine(cycle.date_start, time.min)
    date_to = datetime.combine(cycle.date_end, time.min) + timedelta(days=1)
    return date_from, date_to


class ProductionSource:
    """A family of sources computed from one model's records.

    A subclass declares:

    - ``family``, ``sources`` (key, label) and ``model``, the records counted;
    - ``paths``: the field of ``model`` for each scope dimension (``workorder``,
      ``production``, ``workcenter``, ``product``, ``company``, ``date``) and
      ``base_domain``, the records that count at all;
    - ``triggers``: ``{model: fields}`` whose changes refresh the family;
    - ``action_xmlid``, :meth:`get_action_name`, ``count_field`` (a field
      the key result gets, labelled ``count_label``, readable by
      ``count_groups``), ``icon`` and ``button_groups``: its drill-down
      button on the key result's form, generated from the registry;
    - ``base_domain`` is also the one rule of when a record of ``model``
      counts: the models' hooks ask :meth:`filter_counted`, and
      :meth:`count_matched` says how many records the matched facts hold;
    - ``uses_uom``: its quantities are converted into the key result's unit;
    - :meth:`_get_facts`, the aggregate, and :meth:`_get_value`;
    - its plan, when the ERP's plans say where its figure will land:
      ``plan_sources`` (the source keys a plan extends), ``plan_base_domain``
      (the records still planned) and ``plan_date_path`` (their planned date),
      with :meth:`_get_plan_facts` and :meth:`_get_plan_value`. The planned
      records of a key result are :meth:`get_plan_domain`, built by the same
      method as :meth:`get_domain`, on the same scope paths.
    """

    family = None
    sources = []
    model = None
    paths = {}
    base_domain = []
    triggers = {}
    action_xmlid = None
    count_field = None
    count_label = None
    count_groups = "mrp.group_mrp_user"
    icon = "fa-list"
    button_groups = "mrp.group_mrp_user"
    uses_uom = False
    plan_sources = ()
    plan_base_domain = []
    plan_date_path = None

    @classmethod
    def get_action_name(cls, key_result):
        raise NotImplementedError

    @classmethod
    def source_keys(cls):
        return [key for key, _label in cls.sources]

    # ------------------------------------------------------------------
    # When a record counts, and what its event refreshes
    # ------------------------------------------------------------------
    @classmethod
    def filter_counted(cls, records):
        """The records of ``model`` among ``records`` that count at all (done,
        concluded...): ``base_domain``, evaluated on the records."""
        return records.filtered_domain(cls.base_domain)

    @classmethod
    def get_event_records(cls, records):
        """``{workorders, productions, workcenters}`` of ``records`` (of
        ``model``), along the family's scope paths: what their event may
        change, for :meth:`get_affected_domain`."""
        env = records.env
        event = {}
        for name, dimension, model in (
            ("workorders", "workorder", "mrp.workorder"),
            ("productions", "production", "mrp.production"),
            ("workcenters", "workcenter", "mrp.workcenter"),
        ):
            path = cls.paths[dimension]
            event[name] = records if path == "id" else records.mapped(path)
            if event[name]._name != model:
                event[name] = env[model]
        return event

    @classmethod
    def count_matched(cls, matched):
        """How many records of ``model`` the matched ``[(fact, wo_ids)]`` hold
        (the records the drill-down opens)."""
        return sum(fact.measures["count"] for fact, _wo_ids in matched)

    # ------------------------------------------------------------------
    # Scope: the one definition of the records a key result counts
    # ------------------------------------------------------------------
    @classmethod
    def get_domain(cls, key_result, scope=None):
        """The records of ``model`` that feed ``key_result``: the records its
        figure counts and its drill-down button opens (``scope``: its
        :meth:`Scope.from_key_results`, read here when not given)."""
        if scope is None:
            scope = Scope.from_key_results(key_result)[key_result.id]
        return cls._get_scope_domain(scope, scope.period)

    @classmethod
    def get_plan_domain(cls, key_result, scope=None):
        """The records still planned to feed ``key_result`` inside its period:
        the scope of :meth:`get_domain`, on the planned records at their
        planned date (the orders its Planned drill-down opens)."""
        if scope is None:
            scope = Scope.from_key_results(key_result)[key_result.id]
        return cls._get_scope_domain(scope, scope.period, plan=True)

    @classmethod
    def _get_scope_domain(cls, scope, period, plan=False):
        paths = cls.paths
        date_path = cls.plan_date_path if plan else paths["date"]
        domain = [
            *(cls.plan_base_domain if plan else cls.base_domain),
            (date_path, ">=", period[0]),
            (date_path, "<", period[1]),
        ]
        if scope.explicit:
            return [
                *domain,
                "|",
                (paths["workorder"], "in", sorted(scope.wo_ids)),
                (paths["production"], "in", sorted(scope.mo_ids)),
            ]
        domain.append((paths["company"], "=", scope.company_id))
        if scope.wc_ids:
            domain.append((paths["workcenter"], "in", sorted(scope.wc_ids)))
        if scope.product_ids:
            domain.append((paths["product"], "in", sorted(scope.product_ids)))
        return domain

    @classmethod
    def _get_bucket_domain(cls, scopes, period, plan=False):
        """The records of a batch of scopes sharing a period (and, unless
        explicit, a company): the union the aggregate reads in one go."""
        if scopes[0].explicit:
            union = Scope.__new__(Scope)
            union.explicit = True
            union.wo_ids = frozenset().union(*(s.wo_ids for s in scopes))
            union.mo_ids = frozenset().union(*(s.mo_ids for s in scopes))
            return cls._get_scope_domain(union, period, plan)
        union = Scope.__new__(Scope)
        union.explicit = False
        union.company_id = scopes[0].company_id
        every_wc = any(not s.wc_ids for s in scopes)
        union.wc_ids = (
            frozenset() if every_wc else frozenset().union(*(s.wc_ids for s in scopes))
        )
        every_product = any(not s.product_ids for s in scopes)
        union.product_ids = (
            frozenset()
            if every_product
            else frozenset().union(*(s.product_ids for s in scopes))
        )
        return cls._get_scope_domain(union, period, plan)

    @classmethod
    def get_affected_domain(
        cls, source_keys, workorders, productions, workcenters, products, companies
    ):
        """Key results of running cycles fed by ``source_keys`` whose scope may
        hold these records: linked explicitly, or scoped on their company, work
        centers and products (each record argument a list of ids)."""
        explicit = get_linked_domain(workorders, productions)
        scoped = [
            ("workorder_ids", "=", False),
            ("production_ids", "=", False),
            ("company_id", "in", companies),
            "|",
            ("workcenter_ids", "=", False),
            ("workcenter_ids", "in", workcenters),
            "|",
            ("product_ids", "=", False),
            ("product_ids", "in", products),
        ]
        return expression.AND(
            [
                [("cycle_id.state", "=", "running"), ("source", "in", source_keys)],
                expression.OR([explicit, scoped]),
            ]
        )

    # ------------------------------------------------------------------
    # Aggregate
    # ------------------------------------------------------------------
    @classmethod
    def compute(cls, key_results, scopes=None):
        """``({key_result_id: (value or None, note)}, {key_result_id: error})``
        for a batch of key results of this family (``scopes``: their
        :meth:`Scope.from_key_results`, read here when not given). One
        aggregate per bucket of key results sharing a period and a company
        (explicit links apart):
        the number of queries depends on neither the number of key results nor
        the amount of manufacturing data."""
        return cls._compute_buckets(key_results, scopes, plan=False)

    @classmethod
    def compute_plan(cls, key_results, scopes=None):
        """``({key_result_id: planned value or None}, {key_result_id: error})``:
        where each key result of the batch will land if the planned records of
        its scope finish as planned inside its period (None: no plan for its
        source). The done records and the planned ones are each aggregated once
        per bucket, as :meth:`compute` does."""
        return cls._compute_buckets(key_results, scopes, plan=True)

    @classmethod
    def _compute_buckets(cls, key_results, scopes, plan):
        results, errors = {}, {}
        for key_result, scope, matched, planned in cls._iter_matched(
            key_results, scopes, plan
        ):
            try:
                if plan:
                    results[key_result.id] = cls._get_plan_value(
                        key_result, matched, planned, scope
                    )
                else:
                    results[key_result.id] = cls._get_value(key_result, matched, scope)
            except UserError as error:
                errors[key_result.id] = error
        return results, errors

    @classmethod
    def match(cls, key_results, scopes=None, plan=False):
        """``{key_result_id: [(fact, wo_ids)]}``: the facts each key result's
        figure counts (with ``plan``, its planned facts), as :meth:`compute`
        matches them."""
        return {
            key_result.id: planned if plan else matched
            for key_result, _scope, matched, planned in cls._iter_matched(
                key_results, scopes, plan
            )
        }

    @classmethod
    def _iter_matched(cls, key_results, scopes, plan):
        """``(key_result, scope, matched, planned)`` for each key result: the
        records of a bucket of key results (sharing a period and, explicit
        links apart, a company) are aggregated once, then matched on each
        scope in Python."""
        env = key_results.env
        if plan:
            key_results = key_results.filtered(lambda kr: kr.source in cls.plan_sources)
        if scopes is None:
            scopes = Scope.from_key_results(key_results)
            if not plan:
                prefetch_scope_labels(env, scopes.values())
        buckets = defaultdict(list)
        for key_result in key_results:
            scope = scopes[key_result.id]
            key = (scope.period, "explicit" if scope.explicit else scope.company_id)
            buckets[key].append(key_result)
        for (period, _key), bucket in buckets.items():
            bucket_scopes = [scopes[kr.id] for kr in bucket]
            domain = cls._get_bucket_domain(bucket_scopes, period)
            index = _FactIndex(cls._get_facts(env, domain, bucket_scopes))
            plan_index = None
            if plan:
                plan_domain = cls._get_bucket_domain(bucket_scopes, period, plan=True)
                plan_index = _FactIndex(
                    cls._get_plan_facts(env, plan_domain, bucket_scopes)
                )
            for key_result, scope in zip(bucket, bucket_scopes, strict=True):
                yield (
                    key_result,
                    scope,
                    index.match(scope),
                    plan_index.match(scope) if plan else None,
                )

    @classmethod
    def _get_facts(cls, env, domain, scopes):
        """The :class:`Fact` list of the records matching ``domain``."""
        raise NotImplementedError

    @classmethod
    def _get_value(cls, key_result, matched, scope):
        """(value or None, note) from the matched ``[(fact, wo_ids)]``."""
        raise NotImplementedError

    @classmethod
    def _get_plan_facts(cls, env, domain, scopes):
        """The :class:`Fact` list of the planned records matching ``domain``
        (by default read as the done ones are)."""
        return cls._get_facts(env, domain, scopes)

    @classmethod
    def _get_plan_value(cls, key_result, matched, planned, scope):
        """The planned value (or None) from the matched done facts and the
        matched planned facts, both ``[(fact, wo_ids)]``."""
        return None

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @classmethod
    def _get_context(cls, key_result, scope):
        date_from, date_to = scope.period
        return {
            "scope": get_scope_label(key_result, scope),
            "period": f"{date_from.date()}..{(date_to - timedelta(days=1)).date()}",
        }

    @classmethod
    def _convert(cls, key_result, quantity, uom, kr_uom):
        """``quantity`` in ``uom`` expressed in the key result's unit."""
        if not uom or uom == kr_uom:
            return quantity
        if uom.category_id != kr_uom.category_id:
            raise UserError(
                key_result.env._(
                    "Key result '%(kr)s': its Unit of Measure is %(unit)s "
                    "(%(category)s), but some of its quantities are in %(other)s "
                    "(%(other_category)s), which cannot be converted. Narrow its "
                    "scope or choose a unit of the same category.",
                    kr=key_result.name,
                    unit=kr_uom.name,
                    category=kr_uom.category_id.name,
                    other=uom.name,
                    other_category=uom.category_id.name,
                )
            )
        return uom._compute_quantity(quantity, kr_uom, round=False)


def prefetch_scope_labels(env, scopes):
    """Read the names of the work centers of a batch of scopes in one go, so
    that each label reads the cache (products and orders are counted: their
    names are on the key result's form, a click away)."""
    ids = set().union(*(scope.wc_ids for scope in scopes))
    # as get_scope_label reads them: for every reader of the key results
    env(su=True)["mrp.workcenter"].browse(sorted(ids)).mapped("name")


def get_scope_label(key_result, scope=None):
    """The scope of a note: the work centers by name, the products and the
    explicitly linked orders by number."""
    # the note names the work centers for every reader of the key result,
    # also one without manufacturing rights
    key_result = key_result.sudo()
    env = key_result.env
    if scope is None:
        scope = Scope.from_key_results(key_result)[key_result.id]
    if scope.explicit:
        parts = []
        if scope.wo_ids:
            parts.append(
                env._("%(count)s linked work order(s)", count=len(scope.wo_ids))
            )
        if scope.mo_ids:
            parts.append(
                env._(
                    "%(count)s linked manufacturing order(s)", count=len(scope.mo_ids)
                )
            )
        return env._(" and ").join(parts)
    parts = []
    if scope.wc_ids:
        workcenters = env["mrp.workcenter"].browse(sorted(scope.wc_ids))
        parts.append(env._("WC %(names)s", names=", ".join(workcenters.mapped("name"))))
    if scope.product_ids:
        parts.append(env._("%(count)s product(s)", count=len(scope.product_ids)))
    return ", ".join(parts) if parts else env._("all work centers")
