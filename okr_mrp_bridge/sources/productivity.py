from .base import Fact, ProductionSource, register


@register
class ProductivitySource(ProductionSource):
    """Closed productivity logs: OEE the way ``mrp.workcenter`` computes it
    (productive time against the losses) and the downtime of the availability
    losses."""

    family = "productivity"
    sources = [
        ("mrp_oee", "Manufacturing: OEE (%)"),
        ("mrp_downtime_hours", "Manufacturing: Downtime (hours)"),
    ]
    model = "mrp.workcenter.productivity"
    paths = {
        "workorder": "workorder_id",
        "production": "workorder_id.production_id",
        "workcenter": "workcenter_id",
        "product": "product_id",
        "company": "company_id",
        "date": "date_start",
    }
    base_domain = [("date_end", "!=", False)]
    triggers = {"mrp.workcenter.productivity": ["date_end"]}
    action_xmlid = "mrp.mrp_workcenter_productivity_report"
    count_field = "productivity_count"
    count_label = "Time Logs"
    icon = "fa-clock-o"

    @classmethod
    def get_action_name(cls, key_result):
        return key_result.env._("Productivity Logs of %(kr)s", kr=key_result.name)

    @classmethod
    def _get_facts(cls, env, domain, scopes):
        # Odoo's _compute_oee groups by work center; the product only when a
        # scope names products, the work order only for explicit links (whose
        # bucket holds only the linked work): rows grow with scopes, not logs
        explicit = any(scope.explicit for scope in scopes)
        by_product = not explicit and any(scope.product_ids for scope in scopes)
        groupby = ["workcenter_id", "loss_type"]
        if explicit:
            groupby.append("workorder_id")
        elif by_product:
            groupby.append("product_id")
        rows = env["mrp.workcenter.productivity"]._read_group(
            domain, groupby, ["duration:sum", "__count"]
        )
        workorders = {}
        if explicit:
            wo_ids = list({row[2].id for row in rows if row[2]})
            for production, product, ids in env["mrp.workorder"]._read_group(
                [("id", "in", wo_ids)],
                ["production_id", "product_id"],
                ["id:array_agg"],
            ):
                for wo_id in ids:
                    workorders[wo_id] = (production.id, product.id)
        facts = []
        for row in rows:
            workcenter, loss_type = row[0], row[1]
            wo_id = row[2].id if explicit else False
            production_id, product_id = workorders.get(wo_id, (False, False))
            if by_product:
                product_id = row[2].id
            facts.append(
                Fact(
                    [wo_id] if wo_id else [],
                    production_id,
                    [workcenter.id],
                    product_id,
                    loss_type=loss_type,
                    duration=row[-2],
                    count=row[-1],
                )
            )
        return facts

    @classmethod
    def _get_value(cls, key_result, matched, scope):
        productive = blocked = availability = 0.0
        count = availability_count = 0
        for fact, _wo_ids in matched:
            measures = fact.measures
            count += measures["count"]
            if measures["loss_type"] == "productive":
                productive += measures["duration"]
            else:
                blocked += measures["duration"]
            if measures["loss_type"] == "availability":
                availability += measures["duration"]
                availability_count += measures["count"]
        context = dict(cls._get_context(key_result, scope), count=count)
        if key_result.source == "mrp_downtime_hours":
            value = round(availability / 60.0, 2)
            return value, key_result.env._(
                "Downtime %(value)s h from %(losses)s availability losses among "
                "%(count)s productivity logs on %(scope)s, %(period)s",
                value=value,
                losses=availability_count,
                **context,
            )
        if not count:
            return None, None
        value = oee_from_minutes(productive, blocked)
        return value, key_result.env._(
            "OEE %(value)s%% from %(count)s productivity logs on %(scope)s, %(period)s",
            value=value,
            **context,
        )


def oee_from_minutes(productive_minutes, blocked_minutes):
    """OEE exactly as mrp.workcenter computes it: hours at 2 digits, then
    productive / (productive + blocked), rounded to 2 digits."""
    productive = round(productive_minutes / 60.0, 2)
    blocked = round(blocked_minutes / 60.0, 2)
    if not productive:
        return 0.0
    return round(productive * 100.0 / (productive + blocked), 2)
