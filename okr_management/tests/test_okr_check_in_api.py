"""The integrators' check-in API: idempotent references, dates, bad numbers
and the batch call, as a gateway user calls them over RPC (a fresh
environment of a non-admin user)."""

from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged, warmup

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrCheckInApi(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kr_scrap = cls.env["okr.key.result"].create(
            {
                "name": "Scrap 3.2 to 1.0",
                "objective_id": cls.objective.id,
                "direction": "decrease",
                "start_value": 3.2,
                "target_value": 1.0,
            }
        )
        cls.qa_objective = cls.env["okr.objective"].create(
            {
                "name": "Inspect every lot",
                "cycle_id": cls.cycle.id,
                "level": "individual",
                "owner_id": cls.emp_qa.id,
                "department_id": cls.dep_qa.id,
                "state": "active",
            }
        )
        cls.kr_qa = cls.env["okr.key.result"].create(
            {
                "name": "Lots inspected",
                "objective_id": cls.qa_objective.id,
                "start_value": 0,
                "target_value": 100,
            }
        )

    def _as(self, user):
        """The key result model as ``user`` in a fresh environment, as RPC is."""
        self.env.invalidate_all()
        return self.env(user=user)["okr.key.result"]

    def _check_in_count(self):
        return self.env["okr.check.in"].search_count([])

    # ------------------------------------------------------------------
    # action_check_in with an external reference
    # ------------------------------------------------------------------
    def test_retry_with_same_reference_returns_first_check_in(self):
        KeyResult = self._as(self.user_lead)
        first = KeyResult.browse(self.kr_yield.id).action_check_in(
            93.5, confidence=7, external_id="MES-42-0001"
        )
        count = self._check_in_count()
        again = KeyResult.browse(self.kr_yield.id).action_check_in(
            99.0, confidence=2, external_id="MES-42-0001"
        )
        self.assertEqual(again, first)
        self.assertEqual(self._check_in_count(), count)
        check_in = self.env["okr.check.in"].browse(first)
        self.assertEqual(check_in.external_id, "MES-42-0001")
        self.assertEqual(check_in.value, 93.5)
        self.kr_yield.invalidate_recordset()
        self.assertEqual(self.kr_yield.current_value, 93.5)
        self.assertEqual(self.kr_yield.confidence, 7)

    def test_confidence_left_out_keeps_the_last_one(self):
        KeyResult = self._as(self.user_lead)
        KeyResult.browse(self.kr_yield.id).action_check_in(93, confidence=8)
        check_in_id = KeyResult.browse(self.kr_yield.id).action_check_in(94)
        self.assertEqual(self.env["okr.check.in"].browse(check_in_id).confidence, 8)
        self.kr_yield.invalidate_recordset()
        self.assertEqual(self.kr_yield.confidence, 8)

    def test_reference_is_unique_per_key_result_only(self):
        KeyResult = self._as(self.user_lead)
        on_yield = KeyResult.browse(self.kr_yield.id).action_check_in(
            94, external_id="shift-7"
        )
        on_scrap = KeyResult.browse(self.kr_scrap.id).action_check_in(
            2.5, external_id="shift-7"
        )
        self.assertNotEqual(on_yield, on_scrap)
        self.assertEqual(
            self.env["okr.check.in"].search_count([("external_id", "=", "shift-7")]),
            2,
        )

    def test_reference_cannot_be_rewritten(self):
        check_in_id = (
            self._as(self.user_lead)
            .browse(self.kr_yield.id)
            .action_check_in(94, external_id="A-1")
        )
        CheckIn = self.env(user=self.user_lead)["okr.check.in"]
        with self.assertRaises(UserError):
            CheckIn.browse(check_in_id).write({"external_id": "A-2"})
        self.assertEqual(
            self.env["okr.check.in"].browse(check_in_id).external_id, "A-1"
        )

    def test_reference_is_not_revealed_to_outsiders(self):
        self._as(self.user_lead).browse(self.kr_yield.id).action_check_in(
            94, external_id="secret-1"
        )
        count = self._check_in_count()
        with self.assertRaises(AccessError):
            self._as(self.user_qa).browse(self.kr_yield.id).action_check_in(
                94, external_id="secret-1"
            )
        self.assertEqual(self._check_in_count(), count)

    def test_bad_reference_is_refused(self):
        KeyResult = self._as(self.user_lead)
        count = self._check_in_count()
        for bad in (["list"], 42, "   ", "x" * 256):
            with self.assertRaisesRegex(UserError, "External Reference"):
                KeyResult.browse(self.kr_yield.id).action_check_in(94, external_id=bad)
        self.assertEqual(self._check_in_count(), count)

    # ------------------------------------------------------------------
    # Dates and bad numbers
    # ------------------------------------------------------------------
    def test_check_in_with_a_past_date(self):
        day = self.today - timedelta(days=10)
        check_in_id = (
            self._as(self.user_lead)
            .browse(self.kr_yield.id)
            .action_check_in(93, date=day.isoformat())
        )
        self.assertEqual(self.env["okr.check.in"].browse(check_in_id).date, day)

    def test_dates_outside_the_cycle_or_in_the_future_are_refused(self):
        KeyResult = self._as(self.user_lead)
        count = self._check_in_count()
        for day in (
            self.today + timedelta(days=1),
            self.cycle.date_start - timedelta(days=1),
        ):
            # as over RPC, the refused call's transaction is rolled back
            with (
                self.assertRaisesRegex(ValidationError, "check-in Date"),
                self.env.cr.savepoint(),
            ):
                KeyResult.browse(self.kr_yield.id).action_check_in(93, date=day)
        with self.assertRaisesRegex(UserError, "Date: a date"):
            KeyResult.browse(self.kr_yield.id).action_check_in(93, date="yesterday")
        self.assertEqual(self._check_in_count(), count)
        self.kr_yield.invalidate_recordset()
        self.assertEqual(self.kr_yield.current_value, 92)

    def test_nan_infinity_and_absurd_numbers_are_refused(self):
        KeyResult = self._as(self.user_lead)
        count = self._check_in_count()
        for bad in ("nan", float("nan"), "inf", float("-inf"), 1e16, "-2e15"):
            with self.assertRaisesRegex(UserError, "Value: a finite number"):
                KeyResult.browse(self.kr_yield.id).action_check_in(bad)
        with self.assertRaisesRegex(UserError, "Confidence: a finite number"):
            KeyResult.browse(self.kr_yield.id).action_check_in(94, confidence="nan")
        self.assertEqual(self._check_in_count(), count)
        self.kr_yield.invalidate_recordset()
        self.assertEqual(self.kr_yield.current_value, 92)

    # ------------------------------------------------------------------
    # The batch call
    # ------------------------------------------------------------------
    def test_mixed_batch_reports_each_item(self):
        closed_cycle = self.env["okr.cycle"].create(
            {
                "name": "Closed Quarter",
                "date_start": self.today - timedelta(days=200),
                "date_end": self.today - timedelta(days=110),
            }
        )
        closed_cycle.action_start()
        closed_objective = self.env["okr.objective"].create(
            {
                "name": "Old objective",
                "cycle_id": closed_cycle.id,
                "owner_id": self.emp_lead.id,
                "state": "active",
            }
        )
        kr_closed = self.env["okr.key.result"].create(
            {"name": "Old KR", "objective_id": closed_objective.id, "target_value": 5}
        )
        closed_cycle.action_close()
        first = (
            self._as(self.user_lead)
            .browse(self.kr_yield.id)
            .action_check_in(93, external_id="lot-1")
        )
        count = self._check_in_count()
        items = [
            {"key_result_id": self.kr_yield.id, "value": 94, "external_id": "lot-2"},
            {"key_result_id": self.kr_yield.id, "value": 99, "external_id": "lot-1"},
            {"key_result_id": 999999999, "value": 1},
            {"key_result_id": self.kr_scrap.id, "value": "ninety"},
            {"key_result_id": kr_closed.id, "value": 3},
            {"key_result_id": self.kr_qa.id, "value": 10},
            {"key_result_id": self.kr_scrap.id, "value": 2.0, "colour": "red"},
            "not a dict",
            {"key_result_id": self.kr_scrap.id, "value": 2.5, "confidence": 9},
        ]
        results = self._as(self.user_lead).action_check_in_batch(items)
        self.assertEqual([r["index"] for r in results], list(range(len(items))))
        self.assertEqual(
            [r["status"] for r in results],
            [
                "created",
                "duplicate",
                "refused",
                "refused",
                "refused",
                "refused",
                "refused",
                "refused",
                "created",
            ],
        )
        self.assertEqual(results[1]["check_in_id"], first)
        errors = [r["error"] for r in results]
        self.assertIn("does not exist", errors[2])
        self.assertIn("Value: a number is required", errors[3])
        self.assertIn("is closed", errors[4])
        self.assertIn("you can only check in on key results you own", errors[5])
        self.assertIn("unknown keys colour", errors[6])
        self.assertIn("must be a dict", errors[7])
        self.assertFalse(results[0]["error"] or results[8]["error"])
        # two check-ins created, nothing else
        self.assertEqual(self._check_in_count(), count + 2)
        self.env.invalidate_all()
        self.assertEqual(self.kr_yield.current_value, 94)
        self.assertEqual(self.kr_scrap.current_value, 2.5)
        self.assertEqual(self.kr_scrap.confidence, 9)
        self.assertFalse(self.kr_qa.check_in_ids)
        self.assertFalse(kr_closed.check_in_ids)
        created = self.env["okr.check.in"].browse(results[0]["check_in_id"])
        self.assertEqual(created.user_id, self.user_lead)

    def test_batch_refuses_a_non_list_and_too_many_items(self):
        KeyResult = self._as(self.user_lead)
        count = self._check_in_count()
        with self.assertRaisesRegex(UserError, "a list of items is required"):
            KeyResult.action_check_in_batch({"key_result_id": self.kr_yield.id})
        with self.assertRaisesRegex(UserError, "at most 1000 items"):
            KeyResult.action_check_in_batch(
                [{"key_result_id": self.kr_yield.id, "value": 93}] * 1001
            )
        self.assertEqual(self._check_in_count(), count)

    def _batch_items(self, count, tag):
        return [
            {
                "key_result_id": self.kr_yield.id,
                "value": 94.5 + index % 2 / 2,
                "external_id": f"{tag}-{index}",
                "note": "line 2",
            }
            for index in range(count)
        ]

    @warmup
    def test_batch_queries_constant_per_batch(self):
        """A batch costs the same number of queries whatever its size: every
        item is validated in memory, the valid ones created together."""
        user = new_test_user(
            self.env, login="okr_gateway", groups="okr_management.group_okr_manager"
        )
        KeyResult = self.env(user=user)["okr.key.result"]
        KeyResult.action_check_in_batch(self._batch_items(2, "warm"))
        for size in (10, 40):
            self.env.invalidate_all()
            with self.assertQueryCount(BATCH_QUERIES):
                results = KeyResult.action_check_in_batch(
                    self._batch_items(size, f"n{size}")
                )
                self.env.flush_all()
                self.env.cr.flush()
            self.assertEqual(
                [result["status"] for result in results], ["created"] * size
            )


# Queries of one batch call, commit-time tracking included, whatever its
# size. Measured with the three modules installed, as an OKR manager, the
# value changing and the status holding.
BATCH_QUERIES = 14
