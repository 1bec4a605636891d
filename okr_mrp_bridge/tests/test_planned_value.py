from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import OkrMrpTestCommon

# the planned landing of a batch of key results after a plan change
QUERIES = 13


@tagged("post_install", "-at_install")
class TestPlannedValue(OkrMrpTestCommon):
    """The planned landing: the actual figure plus what the confirmed orders
    not done yet add if they finish as planned inside the period."""

    def _after_period(self, key_result):
        return fields.Datetime.to_datetime(key_result.cycle_id.date_end) + timedelta(
            days=3
        )

    def test_finished_quantity_plus_planned_orders(self):
        self._produce(10)
        key_result = self._create_key_result(
            "mrp_produced_qty",
            product_ids=[Command.set(self.product.ids)],
            target_value=20,
        )
        self.assertEqual(key_result.current_value, 10)
        self.assertTrue(key_result.has_planned_value)
        self.assertEqual(key_result.planned_value, 10)
        # an order of 5 confirmed inside the period: recomputed at once
        production = self._confirm_production(5)
        self.assertEqual(key_result.planned_value, 15)
        # an order of another product is out of scope
        self._confirm_production(7, product=self.other_product)
        self.assertEqual(key_result.planned_value, 15)
        # rescheduled after the period: it no longer lands inside it
        production.date_start = self._after_period(key_result)
        self.assertEqual(key_result.planned_value, 10)
        # back inside, then cancelled
        production.date_start = fields.Datetime.now()
        self.assertEqual(key_result.planned_value, 15)
        production.action_cancel()
        self.assertEqual(key_result.planned_value, 10)

    def test_partly_finished_order_counts_once(self):
        production = self._confirm_production(5)
        key_result = self._create_key_result(
            "mrp_produced_qty",
            workcenter_ids=[Command.set(self.wc_assembly.ids)],
            target_value=5,
        )
        self.assertEqual(key_result.planned_value, 5)
        # its first work order finished: 5 done, nothing more to come
        self._finish_workorders(production.workorder_ids[:1])
        self.assertEqual(key_result.current_value, 5)
        self.assertEqual(key_result.planned_value, 5)
        self.assertFalse(key_result.plan_misses_target)
        # done: the same landing
        self._finish_workorders(production.workorder_ids[1:])
        production.button_mark_done()
        self.assertEqual(key_result.planned_value, 5)

    def test_on_time_rate_with_planned_orders(self):
        now = fields.Datetime.now()
        self._produce(1, deadline=now + timedelta(days=2))
        key_result = self._create_key_result(
            "mrp_on_time_rate",
            product_ids=[Command.set(self.product.ids)],
            target_value=100,
        )
        self.assertEqual(key_result.current_value, 100)
        self.assertEqual(key_result.planned_value, 100)
        # planned to end after its deadline: half the orders on time
        late = self._confirm_production(1, deadline=now + timedelta(days=1))
        late.date_start = now + timedelta(days=2)
        self.assertEqual(key_result.planned_value, 50)
        self.assertTrue(key_result.plan_misses_target)
        self.assertEqual(key_result.status, "at_risk")
        self.assertEqual(key_result.status_reason, "the plan does not reach the target")
        # moved back before its deadline: the plan reaches the target again
        late.date_start = now
        self.assertEqual(key_result.planned_value, 100)
        self.assertFalse(key_result.plan_misses_target)
        self.assertFalse(key_result.status_reason)

    def test_sources_without_a_plan(self):
        self._produce(10)
        key_result = self._create_key_result(
            "mrp_yield", product_ids=[Command.set(self.product.ids)]
        )
        self.assertFalse(key_result.has_planned_value)
        self.assertEqual(key_result.planned_value, 0)
        with self.assertRaises(UserError):
            key_result.action_view_planned_records()

    def test_plan_short_of_target_is_at_risk_on_pace(self):
        """On pace, yet the plan misses the target: At Risk, with its reason
        on the objective's card."""
        self._produce(10)
        key_result = self._create_key_result(
            "mrp_produced_qty",
            product_ids=[Command.set(self.product.ids)],
            target_value=10.5,
        )
        # 10 of 10.5 at half the cycle: on pace
        self.assertGreater(key_result.progress, key_result.expected_progress)
        self.assertTrue(key_result.plan_misses_target)
        self.assertEqual(key_result.status, "at_risk")
        self.assertEqual(self.objective.plan_miss_count, 1)
        self._confirm_production(1)
        self.assertEqual(key_result.planned_value, 11)
        self.assertEqual(key_result.status, "on_track")
        self.assertFalse(key_result.status_reason)
        self.assertEqual(self.objective.plan_miss_count, 0)

    def test_drill_down_opens_the_planned_part(self):
        self._produce(10)
        planned = self._confirm_production(5)
        self._confirm_production(5).date_start = fields.Datetime.now() + timedelta(
            days=400
        )
        key_result = self._create_key_result(
            "mrp_produced_qty", product_ids=[Command.set(self.product.ids)]
        )
        action = key_result.action_view_planned_records()
        records = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(records, planned.workorder_ids)

    def test_planned_landing_is_not_writable(self):
        key_result = self._create_key_result(
            "mrp_produced_qty", product_ids=[Command.set(self.product.ids)]
        )
        as_planner = key_result.with_user(self.user_planner)
        for vals in (
            {"planned_value": 1000.0},
            {"plan_refresh_date": fields.Datetime.now()},
            {"status_reason": "fine"},
        ):
            with self.assertRaises(AccessError):
                as_planner.write(vals)
        key_result.invalidate_recordset()
        self.assertEqual(key_result.planned_value, 0)
        self.assertEqual(key_result.status_reason, "the plan does not reach the target")


@tagged("post_install", "-at_install")
class TestPlannedValueQueries(OkrMrpTestCommon):
    """The planned landing is computed in a fixed number of queries, whatever
    the number of orders planned behind it."""

    def _key_results(self):
        key_results = self.env["okr.key.result"]
        for source, vals in (
            ("mrp_produced_qty", {}),
            ("mrp_produced_qty", {"product_ids": [Command.set(self.product.ids)]}),
            ("mrp_on_time_rate", {}),
            (
                "mrp_lead_time_days",
                {"direction": "decrease", "start_value": 10, "target_value": 1},
            ),
            ("mrp_yield", {"start_value": 50}),
        ):
            key_results |= self._create_key_result(
                source, workcenter_ids=[Command.set(self.wc_assembly.ids)], **vals
            )
        return key_results

    def _plan_orders(self, count):
        deadline = fields.Datetime.now() + timedelta(days=2)
        for _index in range(count):
            self._confirm_production(2, deadline=deadline)

    def _recompute_plan(self, key_results):
        """What an order's confirmation or rescheduling sets off: the planned
        landing of the key results it feeds, and their status."""
        key_results.write({"plan_refresh_date": fields.Datetime.now()})
        key_results.mapped("planned_value")
        self.env.flush_all()

    def test_planned_value_query_count_pinned(self):
        """Their scopes in one query; per family the done and the planned
        records, each aggregated once (work orders: the planned ones grouped,
        their orders' quantities, the done ones and their scraps;
        manufacturing orders: one query each); the status' own reads. The same
        count with six times the planned orders."""
        key_results = self._key_results()
        self._produce(3)
        for planned_orders in (1, 5):
            self._plan_orders(planned_orders)
            self._recompute_plan(key_results)  # warm-up: values and statuses set
            # okr_management's pre-commit work of the warm-up (badges) done
            self.cr.flush()
            self._recompute_plan(key_results)
            self.cr.flush()
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=QUERIES):
                self._recompute_plan(key_results)
        self.assertEqual(key_results[0].planned_value, 3 + 6 * 2)


@tagged("post_install", "-at_install")
class TestPlanShortNotice(OkrMrpTestCommon):
    def test_off_track_notice_names_the_plan(self):
        """A key result that goes off track while its plan misses the target:
        the manager's notice says so."""
        self._produce(10)
        key_result = self._create_key_result(
            "mrp_produced_qty",
            product_ids=[Command.set(self.product.ids)],
            target_value=10,
        )
        self.env.flush_all()
        self.env.cr.flush()
        self.assertEqual(key_result.status, "on_track")
        # the status change is announced by tracking
        key_result.with_context(tracking_disable=False).target_value = 100
        self.env.flush_all()
        self.env.cr.flush()
        self.assertEqual(key_result.status, "off_track")
        notice = key_result.message_ids.filtered(
            lambda message: "went off track" in str(message.body)
        )
        self.assertEqual(len(notice), 1)
        self.assertIn("the plan does not reach the target", str(notice.body))


@tagged("post_install", "-at_install")
class TestPlannedValueOnTheTvBoard(OkrMrpTestCommon):
    def test_tile_shows_the_planned_landing_and_the_alerts(self):
        self._produce(10)
        key_result = self._create_key_result(
            "mrp_produced_qty",
            product_ids=[Command.set(self.product.ids)],
            target_value=20,
        )
        self._confirm_production(5)
        self.objective.visibility = "public"
        share = self.env["okr.board.share"].create(
            {"name": "Press hall", "department_id": self.objective.department_id.id}
        )
        tiles = {tile["name"]: tile for tile in share._get_board_data()["key_results"]}
        tile = tiles[key_result.name]
        self.assertEqual(tile["alert_count"], 0)
        self.assertIn("Planned: 15", tile["note"])
        self.assertIn("the plan does not reach the target", tile["note"])
