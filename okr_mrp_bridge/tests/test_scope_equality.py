from datetime import timedelta

from odoo import fields
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..sources import REGISTRY
from ..sources.base import LINKED_WORKCENTERS_SQL, Scope, get_linked_domain
from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestScopeDefinedOnce(OkrMrpTestCommon):
    """A figure counts exactly the records its button opens: for every source
    family and every kind of scope, the records the Python matching of the
    aggregate keeps are as many as the drill-down's domain finds, with data in
    every case; the planned part likewise."""

    def _unbuild(self, production, qty):
        unbuild = self.env["mrp.unbuild"].create(
            {
                "product_id": production.product_id.id,
                "bom_id": production.bom_id.id,
                "mo_id": production.id,
                "product_qty": qty,
            }
        )
        unbuild.action_unbuild()
        self.assertEqual(unbuild.state, "done")
        return unbuild

    def _production_data(self):
        self._enable_quality_trigger()
        now = fields.Datetime.now()
        first = self._confirm_production(6, deadline=now + timedelta(days=1))
        self._scrap(first.workorder_ids[0], 1)
        self._finish_workorders(first.workorder_ids)
        first.button_mark_done()
        second = self._produce(4, deadline=now - timedelta(days=1))
        self._produce(3, product=self.other_product)
        self._log_time(self.wc_assembly, self.loss_equipment, 30, end_hours_ago=3)
        self._log_time(self.wc_drill, self.loss_speed, 10, end_hours_ago=2)
        self._conclude_inspection(first.qc_inspections_ids, passed=True)
        self._conclude_inspection(second.qc_inspections_ids, passed=False)
        self._unbuild(first, 1)
        self._unbuild(second, 2)
        # planned: confirmed, not done, ending inside the period
        planned = self._confirm_production(5, deadline=now + timedelta(days=3))
        self._confirm_production(2, product=self.other_product)
        return first, second, planned

    def test_python_matching_equals_the_domain(self):
        first, second, planned = self._production_data()
        scopes = {
            "work center": {"workcenter_ids": [Command.set(self.wc_assembly.ids)]},
            "product": {"product_ids": [Command.set(self.product.ids)]},
            "work center and product": {
                "workcenter_ids": [Command.set(self.wc_drill.ids)],
                "product_ids": [Command.set(self.product.ids)],
            },
            "all": {},
            "linked order": {"production_ids": [Command.set(second.ids)]},
            "linked work order": {
                "workorder_ids": [Command.set(first.workorder_ids[:1].ids)]
            },
            "linked both": {
                "production_ids": [Command.set((second | planned).ids)],
                "workorder_ids": [Command.set(first.workorder_ids[1:].ids)],
            },
        }
        checked = planned_checked = 0
        for family in REGISTRY.values():
            Model = self.env[family.model]
            for label, scope_vals in scopes.items():
                key_result = self._create_key_result(
                    family.sources[0][0], name=f"{family.family} {label}", **scope_vals
                )
                scope = Scope.from_key_results(key_result)
                matched = family.match(key_result, scope)[key_result.id]
                domain_count = Model.search_count(family.get_domain(key_result))
                with self.subTest(family=family.family, scope=label):
                    self.assertTrue(domain_count, "data in every case")
                    self.assertEqual(family.count_matched(matched), domain_count)
                    self.assertEqual(key_result[family.count_field], domain_count)
                    checked += 1
                if not family.plan_sources:
                    continue
                key_result.source = family.plan_sources[0]
                planned_matched = family.match(key_result, scope, plan=True)
                plan_domain = family.get_plan_domain(key_result)
                plan_count = Model.search_count(plan_domain)
                with self.subTest(family=family.family, scope=label, plan=True):
                    if label not in ("linked order", "linked work order"):
                        self.assertTrue(plan_count, "planned data")
                    self.assertEqual(
                        family.count_matched(planned_matched[key_result.id]),
                        plan_count,
                    )
                    planned_checked += 1
        self.assertEqual(checked, len(REGISTRY) * len(scopes))
        self.assertEqual(planned_checked, 2 * len(scopes))

    def test_unbuild_family_from_its_one_file(self):
        """The unbuild orders: a family added in sources/ alone, with its
        source, counter, button and refresh."""
        production = self._produce(6)
        key_result = self._create_key_result(
            "mrp_unbuilt_qty", product_ids=[Command.set(self.product.ids)]
        )
        self.assertEqual(key_result.current_value, 0)
        self._unbuild(production, 2)
        # the done unbuild order refreshed it (no model file of the bridge)
        self.assertEqual(key_result.current_value, 2)
        self.assertEqual(key_result.unbuild_count, 1)
        self.assertIn("from 1 unbuild orders", key_result.source_note)
        arch = key_result.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("unbuild_count", arch)
        action = key_result.with_context(
            okr_source_family="unbuild"
        ).action_view_family()
        self.assertEqual(action["res_model"], "mrp.unbuild")
        self.assertEqual(
            self.env["mrp.unbuild"].search(action["domain"]).product_qty, 2
        )

    def test_linked_key_results_one_definition(self):
        """The shop floor's goals (an SQL view) link key results to work
        centers exactly as get_linked_domain does."""
        production = self._produce(2)
        other = self._produce(1)
        drill_wo = other.workorder_ids.filtered(
            lambda wo: wo.workcenter_id == self.wc_drill
        )
        key_results = (
            self._create_key_result(
                "mrp_oee", workcenter_ids=[Command.set(self.wc_assembly.ids)]
            )
            | self._create_key_result(
                "mrp_produced_qty", workorder_ids=[Command.set(drill_wo.ids)]
            )
            | self._create_key_result(
                "mrp_on_time_rate", production_ids=[Command.set(production.ids)]
            )
            | self._create_key_result("mrp_yield")
        )
        self.env.flush_all()
        for workcenter in self.wc_assembly | self.wc_drill:
            self.env.cr.execute(
                SQL(
                    "SELECT key_result_id FROM (%s) links WHERE workcenter_id = %s",
                    SQL(LINKED_WORKCENTERS_SQL),
                    workcenter.id,
                )
            )
            from_sql = {row[0] for row in self.env.cr.fetchall()} & set(key_results.ids)
            from_domain = key_results.filtered_domain(
                get_linked_domain(workcenters=workcenter.ids)
            )
            with self.subTest(workcenter=workcenter.name):
                self.assertTrue(from_sql)
                self.assertEqual(from_sql, set(from_domain.ids))
                self.assertEqual(
                    set(
                        self.env["okr.key.result"]
                        .search(
                            [
                                ("id", "in", key_results.ids),
                                *get_linked_domain(workcenters=workcenter.ids),
                            ]
                        )
                        .ids
                    ),
                    from_sql,
                )
