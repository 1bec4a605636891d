from odoo.fields import Command
from odoo.tests import tagged

from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestRefreshQueries(OkrMrpTestCommon):
    """A full resync issues a fixed number of queries, whatever the amount of
    manufacturing data behind the key results."""

    def _key_results(self):
        sources = [
            ("mrp_produced_qty", {}),
            ("mrp_yield", {"start_value": 50}),
            ("mrp_oee", {}),
            ("mrp_on_time_rate", {}),
            ("qc_pass_rate", {}),
        ]
        key_results = self.env["okr.key.result"]
        for source, vals in sources:
            key_results |= self._create_key_result(
                source, workcenter_ids=[Command.set(self.wc_assembly.ids)], **vals
            )
        return key_results

    def _produce_orders(self, count):
        for _index in range(count):
            production = self._produce(1, mark_done=False)
            self._scrap(production.workorder_ids[0], 1)

    def _resync_queries(self):
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        self.env["okr.key.result"]._cron_refresh_from_source()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_resync_queries_do_not_grow_with_work_orders(self):
        key_results = self._key_results()
        # 3 orders: 6 work orders
        self._produce_orders(3)
        self._resync_queries()  # records the first check-ins
        unchanged_5 = self._resync_queries()
        # 25 orders: 50 work orders
        self._produce_orders(22)
        changed_50 = self._resync_queries()
        unchanged_50 = self._resync_queries()
        self.assertEqual(unchanged_5, unchanged_50)
        self.assertEqual(key_results[0].current_value, 25)
        self.assertLess(changed_50, unchanged_50 + 60)

    def test_resync_query_count_pinned(self):
        """The resync of this test's key results (the demo data's own key
        results, with other scopes, are left out of the count)."""
        key_results = self._key_results()
        self._produce_orders(3)
        key_results.action_refresh_from_source()
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=15):
            key_results.action_refresh_from_source()
            self.env.flush_all()

    def test_event_refresh_query_count_pinned(self):
        """Finishing one work order: the registry names the family it feeds
        (work orders); one search for the affected key results, their scopes,
        one aggregate of the work orders and one of their scraps."""
        key_results = self._key_results()
        production = self._produce(1)
        workorder = production.workorder_ids[0]
        KeyResult = self.env["okr.key.result"]
        self.assertEqual(KeyResult._search_affected(workorders=workorder), key_results)
        KeyResult._refresh_for_event("mrp.workorder", ["state"], workorders=workorder)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=17):
            KeyResult._refresh_for_event(
                "mrp.workorder", ["state"], workorders=workorder
            )
            self.env.flush_all()
