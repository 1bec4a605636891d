from collections import defaultdict

from .base import Fact, ProductionSource, register


@register
class UnbuildSource(ProductionSource):
    """Unbuild orders done: the quantity taken apart again, converted into the
    key result's unit. An unbuild order has no done date and is read-only once
    done: its last change is its completion."""

    family = "unbuild"
    sources = [("mrp_unbuilt_qty", "Manufacturing: Unbuilt Quantity")]
    model = "mrp.unbuild"
    paths = {
        "workorder": "mo_id.workorder_ids",
        "production": "mo_id",
        "workcenter": "mo_id.workorder_ids.workcenter_id",
        "product": "product_id",
        "company": "company_id",
        "date": "write_date",
    }
    base_domain = [("state", "=", "done")]
    triggers = {"mrp.unbuild": ["state"]}
    action_xmlid = "mrp.mrp_unbuild"
    count_field = "unbuild_count"
    count_label = "Unbuilds"
    icon = "fa-undo"
    uses_uom = True

    @classmethod
    def get_action_name(cls, key_result):
        return key_result.env._("Unbuild Orders of %(kr)s", kr=key_result.name)

    @classmethod
    def _get_facts(cls, env, domain, scopes):
        rows = env["mrp.unbuild"]._read_group(
            domain,
            ["mo_id", "product_id", "product_uom_id"],
            ["product_qty:sum", "__count"],
        )
        mo_ids = list({mo.id for mo, *_rest in rows if mo})
        workorders = defaultdict(set)
        workcenters = defaultdict(set)
        for production, workcenter, ids in env["mrp.workorder"]._read_group(
            [("production_id", "in", mo_ids)],
            ["production_id", "workcenter_id"],
            ["id:array_agg"],
        ):
            workorders[production.id].update(ids)
            workcenters[production.id].add(workcenter.id)
        return [
            Fact(
                workorders[mo.id],
                mo.id,
                workcenters[mo.id],
                product.id,
                qty=qty,
                uom=uom,
                count=count,
            )
            for mo, product, uom, qty, count in rows
        ]

    @classmethod
    def _get_value(cls, key_result, matched, scope):
        kr_uom = key_result._get_quantity_uom()
        quantity = sum(
            cls._convert(key_result, fact.measures["qty"], fact.measures["uom"], kr_uom)
            for fact, _wo_ids in matched
        )
        value = round(quantity, 2)
        return value, key_result.env._(
            "Unbuilt quantity %(value)s %(unit)s from %(count)s unbuild orders on "
            "%(scope)s, %(period)s",
            value=value,
            unit=kr_uom.name,
            count=cls.count_matched(matched),
            **cls._get_context(key_result, scope),
        )
