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
    count_label = "Manufacturing"
    icon = "fa-industry"
    # confirmed orders not done yet, at their planned end against their
    # deadline, lead time from their planned start
    plan_sources = ("mrp_on_time_rate", "mrp_lead_time_days")
    plan_base_domain = [("state", "in", ("confirmed", "progress", "to_close"))]
    plan_date_path = "date_finished"

    @classmethod
    def count_matched(cls, matched):
        return len(matched)

    @classmethod
    def get_action_name(cls, key_result):
        return key_result.env._("Manufacturing Orders of %(kr)s", kr=key_result.name)

    @classmethod
    def _get_facts(cls, env, domain, scopes):
        # the query below reads the columns as they are: pending writes first
        # (a rescheduled order's recomputed end, its new state)
        env["mrp.production"].flush_model()
        env["mrp.workorder"].flush_model(["production_id", "workcenter_id"])
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
    def _get_plan_value(cls, key_result, matched, planned, scope):
        facts = [fact for fact, _wo_ids in matched + planned]
        if key_result.source == "mrp_lead_time_days":
            return cls._get_mean_lead_days(facts)
        return cls._get_on_time_rate(facts)[0]

    @classmethod
    def _get_mean_lead_days(cls, facts):
        if not facts:
            return None
        seconds = sum(fact.measures["lead_seconds"] for fact in facts)
        return round(seconds / len(facts) / 86400.0, 2)

    @classmethod
    def _get_on_time_rate(cls, facts):
        """(rate or None, on time, with a deadline) of ``facts``."""
        with_deadline = [fact for fact in facts if fact.measures["with_deadline"]]
        if not with_deadline:
            return None, 0, 0
        on_time = sum(1 for fact in with_deadline if fact.measures["on_time"])
        rate = round(100.0 * on_time / len(with_deadline), 2)
        return rate, on_time, len(with_deadline)

    @classmethod
    def _get_value(cls, key_result, matched, scope):
        facts = [fact for fact, _wo_ids in matched]
        done = len(facts)
        context = dict(cls._get_context(key_result, scope), done=done)
        if not done:
            return None, None
        if key_result.source == "mrp_lead_time_days":
            value = cls._get_mean_lead_days(facts)
            return value, key_result.env._(
                "Mean lead time %(value)s days over %(done)s manufacturing orders "
                "done on %(scope)s, %(period)s",
                value=value,
                **context,
            )
        value, on_time, count = cls._get_on_time_rate(facts)
        if value is None:
            return None, None
        return value, key_result.env._(
            "On time %(value)s%%: %(on_time)s of %(count)s manufacturing orders "
            "with a deadline done by it (%(done)s manufacturing orders done) on "
            "%(scope)s, %(period)s",
            value=value,
            on_time=on_time,
            count=count,
            **context,
        )
