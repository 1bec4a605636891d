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
        with self.assertQueryCount(__system__=10):
            key_results.action_refresh_from_source()
            self.env.flush_all()

    def _finish_events_queries(self, workorder):
        """The bridge's own queries for one finished work order, measured as
        the benchmark does: its two events (the closed time log, the finished
        work order) in one batch, values unchanged, caches cold."""
        KeyResult = self.env["okr.key.result"]
        workcenter = workorder.workcenter_id  # the caller holds it
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        with KeyResult._batch_events():
            KeyResult._refresh_for_event(
                "mrp.workcenter.productivity",
                ["date_end"],
                workorders=workorder,
                workcenters=workcenter,
            )
            KeyResult._refresh_for_event(
                "mrp.workorder", ["state"], workorders=workorder
            )
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def test_event_refresh_query_count_pinned(self):
        """Finishing one work order, its two events in one refresh (the
        caller holds the work order and its work center): one fixed query for
        the orders, work centers, products and companies of the records, one
        search for the affected key results, their cycle, their scopes in one
        query, the work-center names of the notes, the aggregates of the work
        orders, their scraps and the logs, the unit of the notes: 9. The
        same count with 6 times the production behind."""
        key_results = self._key_results()
        production = self._produce(1)
        workorder = production.workorder_ids[0]
        KeyResult = self.env["okr.key.result"]
        self.assertEqual(KeyResult._search_affected(workorders=workorder), key_results)
        self._finish_events_queries(workorder)  # warm-up: values set
        # okr_management's pre-commit work of the warm-up (badges) done first
        self.env.cr.flush()
        self.env.flush_all()
        workcenter = workorder.workcenter_id
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=9):
            with KeyResult._batch_events():
                KeyResult._refresh_for_event(
                    "mrp.workcenter.productivity",
                    ["date_end"],
                    workorders=workorder,
                    workcenters=workcenter,
                )
                KeyResult._refresh_for_event(
                    "mrp.workorder", ["state"], workorders=workorder
                )
            self.env.flush_all()
        small = self._finish_events_queries(workorder)
        self._produce_orders(5)
        self._finish_events_queries(workorder)  # new values: check-ins
        self.assertEqual(self._finish_events_queries(workorder), small)

    def test_finish_refreshes_once_at_the_end(self):
        """Inside a batch the events wait; at its end the key results of both
        events (output and OEE) are refreshed."""
        output = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        oee = self._create_key_result(
            "mrp_oee", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        production = self._confirm_production(4)
        workorder = production.workorder_ids.filtered(
            lambda wo: wo.workcenter_id == self.wc_assembly
        )[:1]
        workorder.button_start()
        KeyResult = self.env["okr.key.result"]
        with KeyResult._batch_events():
            workorder.button_finish()
            self.assertEqual(workorder.state, "done")
            self.assertEqual(output.current_value, 0)
            self.assertNotIn("productivity logs", oee.source_note)
        self.assertEqual(output.current_value, 4)
        self.assertIn("from 1 productivity logs", oee.source_note)
