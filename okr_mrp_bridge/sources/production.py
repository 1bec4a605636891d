from odoo.tools import SQL

from .base import Fact, ProductionSource, register


@register
class ManufacturingOrderSource(ProductionSource):
    """Manufacturing orders done: the share finished by their deadline and the
    mean lead time. Both compare two columns of the same order, so the
    aggregate is one fixed, parameterised query over the ORM's domain."""

    family = "production"
    sources = [
        ("mrp_on_time_rate", "Manufacturing: On-time Orders (%)"),
        ("mrp_lead_time_days", "Manufacturing: Lead Time (days)"),
    ]
    model = "mrp.production"
    paths = {
        "workorder": "workorder_ids",
        "production": "id",
        "workcenter": "workorder_ids.workcenter_id",
        "product": "product_id",
        "company": "company_id",
        "date": "date_finished",
    }
    base_domain = [("state", "=", "done")]
    triggers = {"mrp.production": ["state"]}
    action_xmlid = "mrp.mrp_production_action"
    count_field = "production_count"

    @classmethod
    def get_action_name(cls, key_result):
        return key_result.env._("Manufacturing Orders of %(kr)s", kr=key_result.name)

    @classmethod
    def _get_facts(cls, env, domain, scopes):
        productions = env["mrp.production"]._search(domain)
        env.cr.execute(
            SQL(
                """
                SELECT mo.id, mo.product_id,
                       mo.date_deadline IS NOT NULL,
                       mo.date_finished <= mo.date_deadline,
                       EXTRACT(EPOCH FROM mo.date_finished - mo.date_start),
                       ARRAY(SELECT wo.id FROM mrp_workorder wo
                              WHERE wo.production_id = mo.id),
                       ARRAY(SELECT DISTINCT wo.workcenter_id FROM mrp_workorder wo
                              WHERE wo.production_id = mo.id)
                  FROM mrp_production mo
                 WHERE mo.id IN %s
                """,
                productions.subselect(),
            )
        )
        facts = []
        for row in env.cr.fetchall():
            mo_id, product_id, with_deadline, on_time, lead_seconds, wo_ids, wc_ids = (
                row
            )
            facts.append(
                Fact(
                    wo_ids,
                    mo_id,
                    wc_ids,
                    product_id,
                    with_deadline=with_deadline,
                    on_time=bool(on_time),
                    lead_seconds=float(lead_seconds or 0.0),
                )
            )
        return facts

    @classmethod
    def _get_value(cls, key_result, matched, scope):
        facts = [fact for fact, _wo_ids in matched]
        done = len(facts)
        context = dict(cls._get_context(key_result, scope), done=done)
        if not done:
            return None, None
        if key_result.source == "mrp_lead_time_days":
            mean_days = (
                sum(fact.measures["lead_seconds"] for fact in facts) / done / 86400.0
            )
            value = round(mean_days, 2)
            return value, key_result.env._(
                "Mean lead time %(value)s days over %(done)s manufacturing orders "
                "done on %(scope)s, %(period)s",
                value=value,
                **context,
            )
        with_deadline = [fact for fact in facts if fact.measures["with_deadline"]]
        if not with_deadline:
            return None, None
        on_time = sum(1 for fact in with_deadline if fact.measures["on_time"])
        value = round(100.0 * on_time / len(with_deadline), 2)
        return value, key_result.env._(
            "On time %(value)s%%: %(on_time)s of %(count)s manufacturing orders "
            "with a deadline done by it (%(done)s manufacturing orders done) on "
            "%(scope)s, %(period)s",
            value=value,
            on_time=on_time,
            count=len(with_deadline),
            **context,
        )
