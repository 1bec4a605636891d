from collections import defaultdict

from .base import Fact, ProductionSource, register


@register
class InspectionSource(ProductionSource):
    """Concluded quality inspections of the manufacturing orders in scope: only
    the final states mean anything (an inspection with no answer is
    ``success`` too)."""

    family = "inspection"
    sources = [("qc_pass_rate", "Quality: Inspection Pass Rate (%)")]
    model = "qc.inspection"
    paths = {
        "workorder": "production_id.workorder_ids",
        "production": "production_id",
        "workcenter": "production_id.workorder_ids.workcenter_id",
        "product": "production_id.product_id",
        "company": "production_id.company_id",
        "date": "date_done",
    }
    base_domain = [("state", "in", ("success", "failed"))]
    triggers = {"qc.inspection": ["state"]}
    action_xmlid = "quality_control_oca.action_qc_inspection"
    count_field = "inspection_count"
    count_label = "Inspections"
    count_groups = "mrp.group_mrp_user,quality_control_oca.group_quality_control_user"
    icon = "fa-check-square-o"
    button_groups = "quality_control_oca.group_quality_control_user"

    @classmethod
    def get_action_name(cls, key_result):
        return key_result.env._("Inspections of %(kr)s", kr=key_result.name)

    @classmethod
    def _get_facts(cls, env, domain, scopes):
        rows = env["qc.inspection"]._read_group(
            domain, ["production_id", "state"], ["__count"]
        )
        mo_ids = list({production.id for production, _state, _count in rows})
        workorders = defaultdict(set)
        workcenters = defaultdict(set)
        for production, workcenter, ids in env["mrp.workorder"]._read_group(
            [("production_id", "in", mo_ids)],
            ["production_id", "workcenter_id"],
            ["id:array_agg"],
        ):
            workorders[production.id].update(ids)
            workcenters[production.id].add(workcenter.id)
        products = {}
        for product, ids in env["mrp.production"]._read_group(
            [("id", "in", mo_ids)], ["product_id"], ["id:array_agg"]
        ):
            products.update(dict.fromkeys(ids, product.id))
        return [
            Fact(
                workorders[production.id],
                production.id,
                workcenters[production.id],
                products.get(production.id),
                passed=state == "success",
                count=count,
            )
            for production, state, count in rows
        ]

    @classmethod
    def _get_value(cls, key_result, matched, scope):
        count = sum(fact.measures["count"] for fact, _wo_ids in matched)
        if not count:
            return None, None
        passed = sum(
            fact.measures["count"]
            for fact, _wo_ids in matched
            if fact.measures["passed"]
        )
        value = round(100.0 * passed / count, 2)
        return value, key_result.env._(
            "Pass rate %(value)s%%: %(passed)s of %(count)s inspections passed on "
            "%(scope)s, %(period)s",
            value=value,
            passed=passed,
            count=count,
            **cls._get_context(key_result, scope),
        )
