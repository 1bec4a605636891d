from collections import defaultdict

from .base import Fact, ProductionSource, register


@register
class WorkorderSource(ProductionSource):
    """Finished work orders: the finished quantity (once per manufacturing
    order), and with the done scraps of those orders the yield and the scrap
    rate. Quantities are converted into the key result's unit."""

    family = "workorder"
    sources = [
        ("mrp_produced_qty", "Manufacturing: Finished Quantity"),
        ("mrp_yield", "Manufacturing: Yield (%)"),
        ("mrp_scrap_rate", "Manufacturing: Scrap Rate (%)"),
    ]
    model = "mrp.workorder"
    paths = {
        "workorder": "id",
        "production": "production_id",
        "workcenter": "workcenter_id",
        "product": "product_id",
        "company": "production_id.company_id",
        "date": "date_finished",
    }
    base_domain = [("state", "=", "done")]
    triggers = {"mrp.workorder": ["state"], "stock.scrap": ["state"]}
    action_xmlid = "mrp.mrp_workorder_todo"
    count_field = "workorder_count"
    count_label = "Work Orders"
    icon = "fa-wrench"
    uses_uom = True
    # open work orders of confirmed orders, at their order's planned end: the
    # order's quantity not finished yet
    plan_sources = ("mrp_produced_qty",)
    plan_base_domain = [
        ("state", "not in", ("done", "cancel")),
        ("production_id.state", "in", ("confirmed", "progress", "to_close")),
    ]
    plan_date_path = "production_id.date_finished"

    @classmethod
    def count_matched(cls, matched):
        return sum(len(wo_ids) for _fact, wo_ids in matched)

    @classmethod
    def get_action_name(cls, key_result):
        return key_result.env._("Work Orders of %(kr)s", kr=key_result.name)

    @classmethod
    def _get_facts(cls, env, domain, scopes):
        rows = env["mrp.workorder"]._read_group(
            domain,
            ["workcenter_id", "production_id", "product_id", "product_uom_id"],
            ["qty_produced:max", "id:array_agg"],
        )
        wo_ids = [wo_id for row in rows for wo_id in row[5]]
        mo_ids = list({row[1].id for row in rows})
        scraps = env["stock.scrap"]._read_group(
            [
                ("state", "=", "done"),
                "|",
                ("workorder_id", "in", wo_ids),
                "&",
                ("workorder_id", "=", False),
                ("production_id", "in", mo_ids),
            ],
            ["workorder_id", "production_id", "product_uom_id"],
            ["scrap_qty:sum"],
        )
        by_wo, by_mo = defaultdict(list), defaultdict(list)
        for workorder, production, uom, quantity in scraps:
            if workorder:
                by_wo[workorder.id].append((quantity, uom))
            else:
                by_mo[production.id].append((quantity, uom))
        return [
            Fact(
                ids,
                production.id,
                [workcenter.id],
                product.id,
                qty=qty,
                uom=uom,
                wo_scraps=by_wo,
                mo_scraps=by_mo.get(production.id, []),
            )
            for workcenter, production, product, uom, qty, ids in rows
        ]

    @classmethod
    def _get_plan_facts(cls, env, domain, scopes):
        rows = env["mrp.workorder"]._read_group(
            domain,
            ["workcenter_id", "production_id", "product_id"],
            ["id:array_agg"],
        )
        productions = env["mrp.production"].search_fetch(
            [("id", "in", list({row[1].id for row in rows}))],
            ["product_qty", "product_uom_id"],
        )
        quantities = {mo.id: (mo.product_qty, mo.product_uom_id) for mo in productions}
        return [
            Fact(
                ids,
                production.id,
                [workcenter.id],
                product.id,
                qty=quantities[production.id][0],
                uom=quantities[production.id][1],
            )
            for workcenter, production, product, ids in rows
        ]

    @classmethod
    def _get_plan_value(cls, key_result, matched, planned, scope):
        """The finished quantity so far, plus the quantity of each planned
        order not finished yet (an order counts once, whatever its work
        orders in scope)."""
        kr_uom = key_result._get_quantity_uom()
        good_by_mo = cls._get_good_by_mo(key_result, matched, kr_uom)[0]
        planned_by_mo = {}
        for fact, _wo_ids in planned:
            measures = fact.measures
            planned_by_mo[fact.production_id] = cls._convert(
                key_result, measures["qty"], measures["uom"], kr_uom
            )
        to_come = sum(
            max(quantity - good_by_mo.get(mo_id, 0.0), 0.0)
            for mo_id, quantity in planned_by_mo.items()
        )
        return round(sum(good_by_mo.values()) + to_come, 2)

    @classmethod
    def _get_good_by_mo(cls, key_result, matched, kr_uom):
        """({order: finished quantity}, work orders, scrapped quantity) of the
        matched done facts, in the key result's unit."""
        good_by_mo = {}
        count = 0
        scrapped = 0.0
        for fact, wo_ids in matched:
            measures = fact.measures
            count += len(wo_ids)
            qty = cls._convert(key_result, measures["qty"], measures["uom"], kr_uom)
            mo_id = fact.production_id
            if mo_id not in good_by_mo:
                # the scraps of the order as a whole count once
                good_by_mo[mo_id] = qty
                for quantity, uom in measures["mo_scraps"]:
                    scrapped += cls._convert(key_result, quantity, uom, kr_uom)
            else:
                good_by_mo[mo_id] = max(good_by_mo[mo_id], qty)
            for wo_id in wo_ids:
                for quantity, uom in measures["wo_scraps"].get(wo_id, ()):
                    scrapped += cls._convert(key_result, quantity, uom, kr_uom)
        return good_by_mo, count, scrapped

    @classmethod
    def _get_value(cls, key_result, matched, scope):
        kr_uom = key_result._get_quantity_uom()
        good_by_mo, count, scrapped = cls._get_good_by_mo(key_result, matched, kr_uom)
        good = sum(good_by_mo.values())
        context = dict(
            cls._get_context(key_result, scope), unit=kr_uom.name, count=count
        )
        if key_result.source == "mrp_produced_qty":
            value = round(good, 2)
            return value, key_result.env._(
                "Finished quantity %(value)s %(unit)s from %(count)s finished work "
                "orders on %(scope)s, %(period)s",
                value=value,
                **context,
            )
        if not good + scrapped:
            return None, None
        yield_rate = 100.0 * good / (good + scrapped)
        is_yield = key_result.source == "mrp_yield"
        value = round(yield_rate if is_yield else 100.0 - yield_rate, 2)
        return value, key_result.env._(
            "%(measure)s %(value)s%% from %(good)s good and %(scrapped)s "
            "scrapped %(unit)s (%(count)s finished work orders) on %(scope)s, "
            "%(period)s",
            measure=key_result.env._("Yield")
            if is_yield
            else key_result.env._("Scrap rate"),
            value=value,
            good=round(good, 2),
            scrapped=round(scrapped, 2),
            **context,
        )
