from odoo.fields import Command
from odoo.tests import tagged

from ..sources import REGISTRY
from .common import OkrMrpTestCommon

# reading the counters: the key results, their scopes in one query, every
# count of every family in one
COUNTER_QUERIES = 5
# the key results' fields, one UPDATE of the notes
NOTES_QUERIES = 2
# the key results linked exist, are readable, of the company; the refresh
LINK_QUERIES = 13
# an event: scheduling the owner's activities, then logging only
ALERT_QUERIES = (25, 18)


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


@tagged("post_install", "-at_install")
class TestBatchQueries(OkrMrpTestCommon):
    """The bridge's own work over a batch of records issues the same queries
    for a few records as for many: no query per record in a loop."""

    def _queries(self, method):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        method()
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _key_results(self, size, production=None):
        """``size`` production-fed key results, scoped on a work center or,
        every other one, linked to ``production``."""
        key_results = self.env["okr.key.result"]
        for index in range(size):
            scope = {"workcenter_ids": [Command.set(self.wc_assembly.ids)]}
            if production and index % 2:
                scope = {"production_ids": [Command.set(production.ids)]}
            key_results |= self._create_key_result(
                "mrp_produced_qty", name=f"Batch {size}-{index}", **scope
            )
        return key_results

    def test_counters_in_one_query_as_the_planner(self):
        """The drill-down counters of 2 or 6 key results, read by a planner:
        the key results, their scopes in one query, every count of every
        family in one; each count is the planner's own search_count of the
        button's domain."""
        production = self._produce(2)
        self._log_time(self.wc_assembly, self.loss_productive, 20)
        registry = self.env["okr.key.result"]._get_production_count_fields()
        counts = {}
        for size in (2, 6):
            key_results = self._key_results(size, production).with_user(
                self.user_planner
            )
            self._queries(lambda key_results=key_results: key_results.read(registry))
            counts[size] = self._queries(
                lambda key_results=key_results: key_results.read(registry)
            )
            for key_result in key_results:
                for family in REGISTRY.values():
                    Model = self.env[family.model].with_user(self.user_planner)
                    expected = (
                        Model.search_count(family.get_domain(key_result))
                        if Model.has_access("read")
                        else 0
                    )
                    self.assertEqual(key_result[family.count_field], expected)
            self.assertTrue(key_results[0].workorder_count)
            self.assertTrue(key_results[1].production_count)
        self.assertEqual(counts, {2: COUNTER_QUERIES, 6: COUNTER_QUERIES})

    def test_refresh_notes_written_in_fixed_queries(self):
        """What a refresh found, a different note for each key result: the
        same queries for 2 and for 6 key results."""
        counts = {}
        for size in (2, 6):
            key_results = self._key_results(size)
            # the second refresh is measured, its caches warm
            for found in ("Found", "Found again"):
                results = {
                    kr.id: (None, f"{found} {size}-{kr.id}") for kr in key_results
                }
                counts[size] = self._queries(
                    lambda key_results=key_results, results=results: (
                        key_results._after_refresh_from_source(results)
                    )
                )
            self.assertEqual(
                key_results.mapped("source_note"),
                [results[kr.id][1] for kr in key_results],
            )
            self.assertTrue(all(key_results.mapped("source_refresh_date")))
        self.assertEqual(counts, {2: NOTES_QUERIES, 6: NOTES_QUERIES})

    def test_links_at_creation_checked_in_fixed_queries(self):
        """Work orders created linked to a key result, 2 or 6 at once by a
        planner: the links' checks (the key results exist, the planner reads
        them, same company) and the key result's refresh cost the same
        queries."""
        key_result = self._key_results(1)
        vals = {"key_result_ids": [Command.link(key_result.id)]}
        counts = {}
        for size in (2, 2, 6):  # the first one warms up
            workorders = self.env["mrp.workorder"]
            while len(workorders) < size:
                workorders |= self._confirm_production(1).workorder_ids
            workorders = workorders[:size]
            # linked as create() links them, then checked as create() does
            workorders.write(vals)
            as_planner = workorders.with_user(self.user_planner)
            counts[size] = self._queries(
                lambda as_planner=as_planner, size=size: (
                    as_planner._check_created_key_result_links([vals] * size)
                )
            )
        self.assertEqual(counts, {2: LINK_QUERIES, 6: LINK_QUERIES})
        self.assertEqual(len(key_result.workorder_ids), 2 + 2 + 6)

    def test_alert_reaches_key_results_in_fixed_queries(self):
        """One shop-floor event reaching 2 or 6 key results of one owner: the
        open alerts, one activity_schedule for the owner, one batch of chatter
        notes, one create of the alerts; then a second event, the activities
        open, logs only. The same queries for both sizes (the first event
        measured without the assignment mail Odoo sends for each activity,
        one per activity by design)."""
        Alert = self.env["okr.production.alert"]
        counts = {}
        for size in (2, 2, 6):  # the first one warms up
            key_results = self._key_results(size)
            quiet = key_results.with_context(mail_activity_quick_update=True)
            counts[size] = tuple(
                self._queries(
                    lambda records=records, event=event: Alert._raise_alert(
                        records,
                        "availability_loss",
                        f"Event {event}",
                        f"Equipment failure {event}",
                        workcenter_id=self.wc_assembly.id,
                    )
                )
                for event, records in ((1, quiet), (2, key_results))
            )
            activities = key_results.production_alert_ids.activity_id
            self.assertEqual(len(activities), size, "one activity per key result")
            self.assertEqual(activities.user_id, self.user_lead)
            self.assertEqual(len(key_results.production_alert_ids), 2 * size)
            for key_result in key_results:
                self.assertIn("Equipment failure 2", key_result.message_ids[0].body)
        self.assertEqual(counts, {2: ALERT_QUERIES, 6: ALERT_QUERIES})
