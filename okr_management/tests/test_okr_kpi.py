"""Daily KPIs of the tier boards: one value a day, green or red from the band,
one owned action per run of red days that escalates once, the rights of the
owner chain, the integrators' API and the key results a KPI feeds. Refusals
are asserted as non-admin users in fresh environments, as RPC calls."""

import math
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, tagged
from odoo.tools import mute_logger

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrKpi(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dep_line = cls.env["hr.department"].create(
            {"name": "Line 9 Test", "parent_id": cls.dep_prod.id}
        )
        Kpi = cls.env["okr.kpi"]
        cls.kpi_scrap = Kpi.create(
            {
                "name": "Scrap rate line 9",
                "category": "quality",
                "tier": "1",
                "department_id": cls.dep_line.id,
                "user_id": cls.user_worker.id,
                "band_max": 2.0,
                "unit": "%",
            }
        )
        cls.kpi_qa = Kpi.create(
            {
                "name": "First pass yield QA",
                "category": "quality",
                "tier": "2",
                "department_id": cls.dep_qa.id,
                "user_id": cls.user_qa.id,
                "band_min": 95.0,
            }
        )
        cls.yesterday = cls.today - timedelta(days=1)

    def _as(self, user, model="okr.kpi"):
        """``model`` as ``user`` in a fresh environment, as RPC is."""
        self.env.invalidate_all()
        return self.env(user=user)[model]

    def test_key_result_fed_only_by_a_readable_kpi(self):
        """A key result shows its KPI's figures: its owner cannot feed it from
        a KPI they may not read (another department's), over RPC or the form."""
        with self.assertRaises(AccessError):
            self._as(self.user_lead, "okr.kpi").browse(self.kpi_qa.id).check_access(
                "read"
            )
        key_result = self._as(self.user_lead, "okr.key.result").browse(self.kr_yield.id)
        with self.assertRaises(AccessError):
            key_result.write({"source": "kpi", "kpi_id": self.kpi_qa.id})
        self.env.invalidate_all()
        self.assertEqual(self.kr_yield.source, "manual")
        self.assertFalse(self.kr_yield.kpi_id)
        with self.assertRaises(AccessError):
            self._as(self.user_lead, "okr.key.result").create(
                {
                    "name": "Fed by QA",
                    "objective_id": self.objective.id,
                    "source": "kpi",
                    "kpi_id": self.kpi_qa.id,
                }
            )
        self.assertFalse(
            self.env["okr.key.result"].search([("name", "=", "Fed by QA")])
        )

    def _values(self, kpi=None):
        return self.env["okr.kpi.value"].search(
            [("kpi_id", "=", (kpi or self.kpi_scrap).id)]
        )

    # ------------------------------------------------------------------
    # Values, band and the API
    # ------------------------------------------------------------------
    def test_band_makes_green_and_red(self):
        Kpi = self._as(self.user_worker)
        kpi = Kpi.browse(self.kpi_scrap.id)
        green_id = kpi.action_record(1.5, date=self.yesterday)
        red_id = kpi.action_record(3.0)
        Value = self.env["okr.kpi.value"]
        self.assertEqual(Value.browse(green_id).state, "green")
        self.assertEqual(Value.browse(red_id).state, "red")
        # on the bound is inside the band
        self.assertEqual(self.kpi_scrap._get_state_for_value(2.0), "green")
        self.assertEqual(self.kpi_qa._get_state_for_value(95.0), "green")
        self.assertEqual(self.kpi_qa._get_state_for_value(94.9), "red")
        self.assertEqual(self.kpi_scrap.last_state, "red")
        self.assertEqual(self.kpi_scrap.last_value, 3.0)
        self.assertEqual(Value.browse(red_id).user_id, self.user_worker)

    def test_same_day_replaces_the_value_in_the_chatter(self):
        kpi = self._as(self.user_worker).browse(self.kpi_scrap.id)
        first = kpi.action_record(1.0, date=self.yesterday)
        self.env.flush_all()
        self.env.cr.precommit.run()
        second = kpi.action_record(1.8, date=self.yesterday, note="recount")
        self.assertEqual(first, second)
        value = self._values()
        self.assertEqual(len(value), 1)
        self.assertEqual(value.value, 1.8)
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = value.message_ids.tracking_value_ids.filtered(
            lambda tracking: tracking.field_id.name == "value"
        )
        self.assertEqual(tracked.old_value_float, 1.0)
        self.assertEqual(tracked.new_value_float, 1.8)
        self.assertTrue(
            any(
                "1.0 → 1.8" in (message.body or "")
                for message in self.kpi_scrap.message_ids
            )
        )
        # the database keeps one value per KPI and day, whoever writes
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["okr.kpi.value"].create(
                {"kpi_id": self.kpi_scrap.id, "date": self.yesterday, "value": 1}
            )

    def test_same_external_reference_records_once(self):
        kpi = self._as(self.user_worker).browse(self.kpi_scrap.id)
        first = kpi.action_record(1.2, external_id="MES-9-0001")
        again = kpi.action_record(5.0, external_id="MES-9-0001")
        self.assertEqual(first, again)
        value = self._values()
        self.assertEqual(len(value), 1)
        self.assertEqual(value.value, 1.2)
        self.assertEqual(value.external_id, "MES-9-0001")
        self.assertFalse(
            self.env["okr.kpi.action"]
            .search([])
            .filtered(lambda action: action.kpi_id == self.kpi_scrap)
        )

    def test_bad_values_and_future_days_are_refused(self):
        kpi = self._as(self.user_worker).browse(self.kpi_scrap.id)
        for bad in (
            math.nan,
            math.inf,
            -math.inf,
            "1.5",
            "abc",
            None,
            True,
            [1],
            1e300,
        ):
            with self.assertRaises(ValidationError) as caught:
                kpi.action_record(bad)
            self.assertIn("Value", str(caught.exception))
            self.assertIn(repr(bad)[:3], str(caught.exception))
        with self.assertRaises(ValidationError) as caught:
            kpi.action_record(1.0, date=self.today + timedelta(days=1))
        self.assertIn("future", str(caught.exception))
        with self.assertRaises(ValidationError):
            kpi.action_record(1.0, date="not a day")
        with self.assertRaises(ValidationError):
            kpi.action_record(1.0, external_id="")
        Value = self._as(self.user_worker, "okr.kpi.value")
        with self.assertRaises(ValidationError):
            Value.create({"kpi_id": self.kpi_scrap.id, "value": "NaN"})
        with self.assertRaises(ValidationError):
            Value.create(
                {
                    "kpi_id": self.kpi_scrap.id,
                    "value": 1.0,
                    "date": self.today + timedelta(days=3),
                }
            )
        self.assertFalse(self._values())

    # ------------------------------------------------------------------
    # Red days and their action
    # ------------------------------------------------------------------
    def test_red_days_open_one_action_and_add_to_it(self):
        kpi = self._as(self.user_worker).browse(self.kpi_scrap.id)
        kpi.action_record(4.0, date=self.today - timedelta(days=2), note="die worn")
        kpi.action_record(1.0, date=self.yesterday)
        kpi.action_record(3.5, note="again")
        actions = self.env["okr.kpi.action"].search(
            [("kpi_id", "=", self.kpi_scrap.id)]
        )
        self.assertEqual(len(actions), 1)
        self.assertEqual(actions.state, "open")
        self.assertEqual(actions.user_id, self.user_worker)
        self.assertEqual(actions.date_due, self.today + timedelta(days=2))
        self.assertEqual(actions.red_day_count, 2)
        self.assertEqual(
            sorted(actions.value_ids.mapped("date")),
            [self.today - timedelta(days=2), self.today],
        )
        self.assertTrue(
            any("again" in (message.body or "") for message in actions.message_ids)
        )
        # the owner's to-do, due with the action
        self.assertEqual(actions.activity_ids.user_id, self.user_worker)
        self.assertEqual(actions.activity_ids.date_deadline, actions.date_due)
        # a green day closes nothing
        self.assertEqual(actions.state, "open")
        self.assertEqual(self.kpi_scrap.open_action_count, 1)

    def test_closed_action_then_red_opens_a_new_one(self):
        kpi = self._as(self.user_worker).browse(self.kpi_scrap.id)
        kpi.action_record(4.0, date=self.yesterday)
        action = self.env["okr.kpi.action"].search([("kpi_id", "=", self.kpi_scrap.id)])
        self._as(self.user_worker, "okr.kpi.action").browse(action.id).action_close(
            note="die changed"
        )
        self.assertEqual(action.state, "closed")
        self.assertEqual(action.closed_by_id, self.user_worker)
        self.assertFalse(action.activity_ids)
        kpi.action_record(5.0)
        actions = self.env["okr.kpi.action"].search(
            [("kpi_id", "=", self.kpi_scrap.id)]
        )
        self.assertEqual(len(actions), 2)
        self.assertEqual(actions.filtered(lambda a: a.state == "open").red_day_count, 1)

    def test_overdue_action_escalates_once_to_the_next_tier(self):
        self.kpi_scrap.action_record(4.0, date=self.yesterday)
        action = self.env["okr.kpi.action"].search([("kpi_id", "=", self.kpi_scrap.id)])
        # the cron runs before the due date: nothing happens
        self.env["okr.kpi.action"]._cron_escalate_overdue()
        self.assertFalse(action.is_escalated)
        action.sudo().date_due = self.yesterday
        self.env["okr.kpi.action"]._cron_escalate_overdue()
        self.assertTrue(action.is_escalated)
        self.assertEqual(action.escalated_date, self.today)
        self.assertEqual(action.escalation_tier, "2")
        self.assertEqual(action.escalation_department_id, self.dep_prod)
        message_count = len(action.message_ids)
        self.env["okr.kpi.action"]._cron_escalate_overdue()
        self.assertEqual(len(action.message_ids), message_count)
        self.assertEqual(action.state, "open")
        # the department above reads it on its board, until it is closed
        Action = self._as(self.user_lead, "okr.kpi.action")
        self.assertIn(action, Action.search([("escalation_tier", "=", "2")]))

    def test_tier_two_escalates_to_the_plant(self):
        self.kpi_qa.action_record(90.0)
        action = self.env["okr.kpi.action"].search([("kpi_id", "=", self.kpi_qa.id)])
        action.sudo().date_due = self.yesterday
        self.env["okr.kpi.action"]._cron_escalate_overdue()
        self.assertEqual(action.escalation_tier, "3")
        self.assertFalse(action.escalation_department_id)

    def test_escalation_skips_a_failing_action(self):
        self.kpi_scrap.action_record(4.0, date=self.yesterday)
        self.kpi_qa.action_record(90.0, date=self.yesterday)
        actions = self.env["okr.kpi.action"].search(
            [("kpi_id", "in", (self.kpi_scrap | self.kpi_qa).ids)]
        )
        actions.sudo().write({"date_due": self.yesterday})
        failing = actions.filtered(lambda a: a.kpi_id == self.kpi_qa)
        original = type(actions)._escalate

        def escalate(records):
            if failing in records:
                raise ValueError("broken")
            return original(records)

        with patch.object(type(actions), "_escalate", escalate):
            self.env["okr.kpi.action"]._cron_escalate_overdue()
        self.assertTrue((actions - failing).is_escalated)
        self.assertFalse(failing.is_escalated)

    # ------------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------------
    def test_only_the_owner_chain_and_managers_record(self):
        # the owner's manager and an OKR manager record
        self._as(self.user_lead).browse(self.kpi_scrap.id).action_record(
            1.0, date=self.today - timedelta(days=3)
        )
        self._as(self.user_manager).browse(self.kpi_scrap.id).action_record(
            1.1, date=self.today - timedelta(days=2)
        )
        before = self._values().read(["date", "value"])
        # a public KPI is readable by anyone, recorded by its chain only
        self.kpi_scrap.visibility = "public"
        kpi = self._as(self.user_qa).browse(self.kpi_scrap.id)
        self.assertEqual(kpi.name, "Scrap rate line 9")
        with self.assertRaises(AccessError):
            kpi.action_record(9.0, date=self.today - timedelta(days=2))
        Value = self._as(self.user_qa, "okr.kpi.value")
        with self.assertRaises(AccessError):
            Value.create({"kpi_id": self.kpi_scrap.id, "value": 9.0})
        with self.assertRaises(AccessError):
            Value.browse(self._values()[0].id).write({"value": 9.0})
        # nor the chain's subordinates upwards: the operator does not record
        # his lead's KPI
        lead_kpi = self.kpi_scrap.copy(
            {"name": "Lead's KPI", "user_id": self.user_lead.id}
        )
        with self.assertRaises(AccessError):
            self._as(self.user_worker).browse(lead_kpi.id).action_record(1.0)
        self.env.invalidate_all()
        self.assertEqual(self._values().read(["date", "value"]), before)
        self.assertFalse(self._values(lead_kpi))

    def test_facts_of_values_and_actions_are_the_suite_s(self):
        self.kpi_scrap.action_record(4.0, date=self.yesterday, external_id="R-1")
        value = self._values()
        action = value.action_id
        Value = self._as(self.user_worker, "okr.kpi.value")
        for vals in (
            {"state": "green"},
            {"user_id": self.user_manager.id},
            {"external_id": "R-2"},
            {"action_id": False},
            {"date": self.today},
            {"kpi_id": self.kpi_qa.id},
        ):
            with self.assertRaises(AccessError):
                Value.browse(value.id).write(vals)
        with self.assertRaises(AccessError):
            Value.create(
                {"kpi_id": self.kpi_scrap.id, "value": 1.0, "external_id": "R-3"}
            )
        with self.assertRaises(AccessError):
            Value.browse(value.id).unlink()
        Action = self._as(self.user_worker, "okr.kpi.action")
        for vals in (
            {"state": "closed"},
            {"date_due": self.today + timedelta(days=30)},
            {"escalated_date": self.today},
            {"user_id": self.user_lead.id},
        ):
            with self.assertRaises(AccessError):
                Action.browse(action.id).write(vals)
        with self.assertRaises(AccessError):
            Action.create({"kpi_id": self.kpi_scrap.id, "user_id": self.user_worker.id})
        # users do not define KPIs
        with self.assertRaises(AccessError):
            self._as(self.user_worker).browse(self.kpi_scrap.id).write({"band_max": 99})
        with self.assertRaises(AccessError):
            self._as(self.user_qa, "okr.kpi.action").browse(action.id).action_close()
        self.env.invalidate_all()
        self.assertEqual(value.state, "red")
        self.assertEqual(value.external_id, "R-1")
        self.assertEqual(value.action_id, action)
        self.assertEqual(action.state, "open")
        self.assertEqual(action.date_due, self.today + timedelta(days=2))
        self.assertEqual(self.kpi_scrap.band_max, 2.0)

    def test_kpis_follow_their_department_visibility(self):
        self.kpi_scrap.action_record(4.0)
        Kpi = self._as(self.user_qa)
        self.assertFalse(Kpi.search([("id", "=", self.kpi_scrap.id)]))
        with self.assertRaises(AccessError):
            Kpi.browse(self.kpi_scrap.id).read(["name"])
        self.assertFalse(
            self._as(self.user_qa, "okr.kpi.value").search(
                [("kpi_id", "=", self.kpi_scrap.id)]
            )
        )
        self.assertFalse(
            self._as(self.user_qa, "okr.kpi.action").search(
                [("kpi_id", "=", self.kpi_scrap.id)]
            )
        )
        # the department above and the owner's chain read it
        self.assertTrue(
            self._as(self.user_lead).search([("id", "=", self.kpi_scrap.id)])
        )
        self.assertTrue(
            self._as(self.user_worker).search([("id", "=", self.kpi_scrap.id)])
        )

    # ------------------------------------------------------------------
    # Key results fed by a KPI
    # ------------------------------------------------------------------
    def _kpi_key_result(self, aggregate):
        return self.env["okr.key.result"].create(
            {
                "name": f"Scrap from the daily board ({aggregate})",
                "objective_id": self.objective.id,
                "direction": "decrease",
                "start_value": 4.0,
                "target_value": 1.0,
                "source": "kpi",
                "kpi_id": self.kpi_scrap.id,
                "kpi_aggregate": aggregate,
            }
        )

    def test_key_result_follows_the_kpi(self):
        average = self._kpi_key_result("average")
        last = self._kpi_key_result("last")
        share = self._kpi_key_result("green_share")
        self.assertTrue(average.is_computed)
        self.assertEqual(average.current_value, 4.0)
        kpi = self._as(self.user_worker).browse(self.kpi_scrap.id)
        kpi.action_record(1.0, date=self.today - timedelta(days=2))
        kpi.action_record(3.0, date=self.yesterday)
        kpi.action_record(2.0)
        self.assertAlmostEqual(average.current_value, 2.0)
        self.assertEqual(last.current_value, 2.0)
        self.assertAlmostEqual(share.current_value, 66.67)
        self.assertEqual(average.check_in_ids[0].source, "kpi")
        # a day before the cycle does not count
        kpi.action_record(10.0, date=self.cycle.date_start - timedelta(days=1))
        self.assertAlmostEqual(average.current_value, 2.0)
        # replacing a day moves the key result too
        kpi.action_record(0.0)
        self.assertEqual(last.current_value, 0.0)
        # nobody checks in by hand on it
        with self.assertRaises(UserError):
            self._as(self.user_lead, "okr.key.result").browse(
                average.id
            ).action_check_in(1.0)
        with self.assertRaises(ValidationError):
            self.env["okr.key.result"].create(
                {
                    "name": "No KPI",
                    "objective_id": self.objective.id,
                    "source": "kpi",
                    "target_value": 1.0,
                }
            )

    # ------------------------------------------------------------------
    # The integrators' batch
    # ------------------------------------------------------------------
    def test_batch_takes_kpi_readings_too(self):
        KeyResult = self._as(self.user_lead, "okr.key.result")
        answers = KeyResult.action_check_in_batch(
            [
                {"key_result_id": self.kr_yield.id, "value": 93.0},
                {"kpi_id": self.kpi_scrap.id, "value": 1.5, "external_id": "B-1"},
                {"kpi_id": self.kpi_scrap.id, "value": 9.9, "external_id": "B-1"},
                {"kpi_id": self.kpi_scrap.id, "value": "nan", "date": "2020-01-01"},
                {"kpi_id": self.kpi_qa.id, "value": 90.0},
                {"kpi_id": self.kpi_scrap.id, "value": 1.0, "confidence": 3},
                {"key_result_id": self.kr_yield.id, "value": float("nan")},
            ]
        )
        self.assertEqual([answer["index"] for answer in answers], list(range(7)))
        self.assertEqual(
            [answer["status"] for answer in answers],
            [
                "created",
                "created",
                "duplicate",
                "refused",
                "refused",
                "refused",
                "refused",
            ],
        )
        self.assertEqual(answers[1]["kpi_value_id"], answers[2]["kpi_value_id"])
        # the same keys as a check-in's answer
        self.assertLessEqual(set(answers[0]), set(answers[1]))
        self.assertFalse(answers[1]["check_in_id"])
        self.assertIn("'nan'", answers[3]["error"])
        # a KPI the caller may not read is refused without its name
        self.assertIn("okr.kpi", answers[4]["error"])
        self.assertNotIn("First pass yield QA", answers[4]["error"])
        self.assertIn("confidence", answers[5]["error"])
        self.assertTrue(answers[0]["check_in_id"])
        self.assertEqual(self._values().value, 1.5)
        self.assertFalse(self._values(self.kpi_qa))


@tagged("post_install", "-at_install")
class TestOkrKpiTierBoard(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Department = cls.env["hr.department"]
        cls.dep_line = Department.create(
            {"name": "Line 9 Test", "parent_id": cls.dep_prod.id}
        )
        cls.dep_line_b = Department.create(
            {"name": "Line 8 Test", "parent_id": cls.dep_prod.id}
        )
        Kpi = cls.env["okr.kpi"]

        def kpi(name, tier, department, visibility="public"):
            return Kpi.create(
                {
                    "name": name,
                    "category": "delivery",
                    "tier": tier,
                    "department_id": department.id,
                    "user_id": cls.user_worker.id,
                    "band_min": 90.0,
                    "visibility": visibility,
                }
            )

        cls.kpi_line = kpi("On-time line 9", "1", cls.dep_line)
        cls.kpi_line_b = kpi("On-time line 8", "1", cls.dep_line_b)
        cls.kpi_hidden = kpi("Line 9 secret", "1", cls.dep_line, "department")
        cls.kpi_prod = kpi("On-time production", "2", cls.dep_prod)
        yesterday = cls.today - timedelta(days=1)
        cls.kpi_line.action_record(95.0, date=yesterday)
        cls.kpi_line.action_record(80.0)
        cls.kpi_line_b.action_record(99.0)
        cls.kpi_hidden.action_record(10.0)
        Share = cls.env["okr.board.share"].with_user(cls.user_manager)
        cls.share_1 = Share.create(
            {
                "name": "Line 9 screen",
                "scope": "tier",
                "tier": "1",
                "department_id": cls.dep_line.id,
            }
        )
        cls.share_2 = Share.create(
            {
                "name": "Production screen",
                "scope": "tier",
                "tier": "2",
                "department_id": cls.dep_prod.id,
            }
        )

    def test_tier_one_board_shows_public_kpis_with_their_month(self):
        data = self.share_1._get_board_data()
        self.assertEqual(data["kind"], "tier")
        self.assertEqual([tile["name"] for tile in data["kpis"]], ["On-time line 9"])
        tile = data["kpis"][0]
        self.assertEqual(tile["state"], "red")
        day_states = {day["day"]: day["state"] for day in tile["days"]}
        self.assertEqual(day_states[self.today.day], "red")
        if self.today.day > 1:
            self.assertEqual(day_states[self.today.day - 1], "green")
        self.assertTrue(tile["action_due"])
        self.assertEqual(len(data["actions"]), 1)
        self.assertEqual(data["rollup"], [])
        self.assertNotIn("secret", str(data))

    def test_tier_two_rolls_up_and_lists_escalated_actions(self):
        action = self.env["okr.kpi.action"].search([("kpi_id", "=", self.kpi_line.id)])
        data = self.share_2._get_board_data()
        self.assertEqual(
            [tile["name"] for tile in data["kpis"]], ["On-time production"]
        )
        # not escalated yet: on the line's board only
        self.assertEqual(data["actions"], [])
        action.sudo().date_due = self.today - timedelta(days=1)
        self.env["okr.kpi.action"]._cron_escalate_overdue()
        data = self.share_2._get_board_data()
        self.assertEqual([row["kpi"] for row in data["actions"]], ["On-time line 9"])
        self.assertTrue(data["actions"][0]["escalated"])
        rollup = {row["department"]: row for row in data["rollup"]}
        self.assertEqual(rollup["Line 9 Test"]["green_share"], 50)
        self.assertEqual(rollup["Line 9 Test"]["open_actions"], 1)
        self.assertEqual(rollup["Line 8 Test"]["green_share"], 100)
        self.assertEqual(rollup["Line 8 Test"]["open_actions"], 0)
        # closed, it leaves the board
        action.action_close()
        self.assertEqual(self.share_2._get_board_data()["actions"], [])

    def test_tier_board_queries_do_not_grow_with_kpis(self):
        def board_queries():
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.share_2.sudo()._get_board_data()
            return self.env.cr.sql_log_count - before

        # one red day on the board: its action's tile is drawn
        self.kpi_prod.action_record(50.0)
        board_queries()  # warm-up
        first = board_queries()
        for index in range(6):
            for tier, department in (("2", self.dep_prod), ("1", self.dep_line_b)):
                kpi = self.env["okr.kpi"].create(
                    {
                        "name": f"More {tier}-{index}",
                        "tier": tier,
                        "department_id": department.id,
                        "user_id": self.user_worker.id,
                        "band_min": 90.0,
                        "visibility": "public",
                    }
                )
                kpi.action_record(50.0)
        self.assertEqual(board_queries(), first)

    def test_web_roll_up_is_the_share_of_green_days(self):
        groups = self.env(user=self.user_lead)["okr.kpi.value"]._read_group(
            [("department_id", "child_of", self.dep_prod.id)],
            ["department_id"],
            ["green_share:avg"],
        )
        shares = {department.name: share for department, share in groups}
        # line 9: one green day of three (the lead reads its department's
        # KPIs too); line 8: its one day green
        self.assertAlmostEqual(shares["Line 9 Test"], 1 / 3)
        self.assertAlmostEqual(shares["Line 8 Test"], 1.0)

    def test_tier_board_needs_its_tier(self):
        with self.assertRaises(ValidationError):
            self.env["okr.board.share"].with_user(self.user_manager).create(
                {"name": "No tier", "scope": "tier"}
            )

    def test_kanban_card_calendar(self):
        kpi = self.kpi_line.with_user(self.user_lead)
        self.assertIn("o_okr_kpi_red", kpi.board_calendar)
        # the month's trend, once it has two days
        if self.today.day > 1:
            self.assertIn("<polyline", kpi.board_calendar)
        self.assertEqual(kpi.month_green_share, 50.0 if self.today.day > 1 else 0.0)
        self.assertEqual(kpi.open_action_count, 1)


@tagged("post_install", "-at_install")
class TestOkrKpiMeeting(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dep_line = cls.env["hr.department"].create(
            {"name": "Line 9 Test", "parent_id": cls.dep_prod.id}
        )
        Kpi = cls.env["okr.kpi"]
        cls.kpi_scrap = Kpi.create(
            {
                "name": "Scrap rate line 9",
                "category": "quality",
                "department_id": cls.dep_line.id,
                "user_id": cls.user_worker.id,
                "band_max": 2.0,
            }
        )
        cls.kpi_safety = Kpi.create(
            {
                "name": "Near misses line 9",
                "category": "safety",
                "department_id": cls.dep_line.id,
                "user_id": cls.user_worker.id,
                "band_max": 0.0,
            }
        )
        cls.kpi_scrap.action_record(3.0, date=cls.today - timedelta(days=1))
        cls.kr_fed = cls.env["okr.key.result"].create(
            {
                "name": "Scrap from the board",
                "objective_id": cls.objective.id,
                "direction": "decrease",
                "start_value": 4.0,
                "target_value": 1.0,
                "source": "kpi",
                "kpi_id": cls.kpi_scrap.id,
            }
        )

    def test_meeting_steps_through_kpis_and_key_results(self):
        self.env.invalidate_all()
        Kpi = self.env(user=self.user_lead)["okr.kpi"]
        data = Kpi.get_meeting_data("1", self.dep_line.id)
        kpi_slides = [slide for slide in data["slides"] if slide["type"] == "kpi"]
        self.assertEqual(
            [slide["name"] for slide in kpi_slides],
            ["Scrap rate line 9", "Near misses line 9"],
        )
        scrap = kpi_slides[0]
        self.assertEqual(scrap["yesterday"], {"value": 3.0, "state": "red"})
        self.assertIsNone(scrap["today"])
        self.assertEqual(scrap["owner"], "Operator")
        self.assertEqual(len(scrap["actions"]), 1)
        key_results = [s["name"] for s in data["slides"] if s["type"] == "key_result"]
        self.assertIn("Scrap from the board", key_results)
        # another department sees none of it
        self.env.invalidate_all()
        other = self.env(user=self.user_qa)["okr.kpi"].get_meeting_data(
            "1", self.dep_line.id
        )
        self.assertEqual(other["slides"], [])
        with self.assertRaises(UserError):
            Kpi.get_meeting_data("4")
        with self.assertRaises(UserError):
            Kpi.get_meeting_data("1", "line 9")

    def test_entry_list_records_the_typed_values_only(self):
        self.env.invalidate_all()
        env = self.env(user=self.user_lead)
        form = Form(env["okr.kpi.entry"])
        form.tier = "1"
        form.department_id = env["hr.department"].browse(self.dep_line.id)
        self.assertEqual(len(form.line_ids), 2)
        with form.line_ids.edit(0) as line:
            line.value = 1.2
        entry = form.save()
        entry.action_confirm()
        values = self.env["okr.kpi.value"].search(
            [("date", "=", self.today), ("kpi_id.department_id", "=", self.dep_line.id)]
        )
        self.assertEqual(len(values), 1)
        self.assertEqual(values.value, 1.2)
        self.assertEqual(values.user_id, self.user_lead)
        # someone outside the owner chain gets no line to type in
        self.env.invalidate_all()
        form = Form(self.env(user=self.user_qa)["okr.kpi.entry"])
        form.tier = "1"
        self.assertEqual(len(form.line_ids), 0)


@tagged("post_install", "-at_install")
class TestOkrKpiMeetingBrowser(OkrTestCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Kpi = cls.env["okr.kpi"]
        for name in ("Scrap rate line 9", "Near misses line 9"):
            kpi = Kpi.create(
                {
                    "name": name,
                    "department_id": cls.dep_prod.id,
                    "user_id": cls.user_worker.id,
                    "band_max": 2.0,
                }
            )
            kpi.action_record(3.0, date=cls.today - timedelta(days=1))

    def test_meeting_steps_forward_with_the_keyboard(self):
        code = """
        const counter = () => document.querySelector('.o_okr_meeting_counter')
            .textContent.replace(/\\s+/g, ' ').trim();
        const first = counter();
        const name = document.querySelector('.o_okr_meeting_slide h2').textContent;
        document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight'}));
        setTimeout(() => {
            const second = counter();
            if (first.startsWith('1 /') && second.startsWith('2 /') && name) {
                console.log('test successful');
            } else {
                console.error(`meeting: ${first} -> ${second}, ${name}`);
            }
        }, 500);
        """
        self.browser_js(
            "/odoo/action-okr_management.okr_kpi_action_meeting",
            code,
            ready="!!document.querySelector('.o_okr_meeting_slide')",
            login=self.user_lead.login,
            timeout=90,
        )


@tagged("post_install", "-at_install")
class TestOkrKpiDemo(TransactionCase):
    def test_three_tiers_with_a_month_of_days(self):
        kpis = self.env["okr.kpi"].search([])
        external_ids = kpis.get_external_id()
        kpis = kpis.filtered(
            lambda kpi: external_ids[kpi.id].startswith("okr_management.kpi_")
        )
        self.assertEqual(set(kpis.mapped("tier")), {"1", "2", "3"})
        self.assertEqual(
            set(kpis.mapped("category")),
            {"safety", "quality", "delivery", "cost", "people"},
        )
        values = self.env["okr.kpi.value"].search([("kpi_id", "in", kpis.ids)])
        self.assertEqual(len(set(values.mapped("date"))), 31)
        self.assertEqual(set(values.mapped("state")), {"green", "red"})
        actions = self.env["okr.kpi.action"].search([("kpi_id", "in", kpis.ids)])
        self.assertEqual(set(actions.mapped("state")), {"open", "closed"})
        escalated = actions.filtered("is_escalated")
        self.assertEqual(set(escalated.mapped("escalation_tier")), {"2", "3"})
        fed = self.env.ref("okr_management.kr_company_on_time_kpi")
        self.assertTrue(fed.is_computed)
        self.assertTrue(fed.check_in_ids)
