from datetime import timedelta

from odoo.tests import tagged

from .common import OkrAppraisalCommon

# completing appraisals together: sync their lines, settle the score, read
# the check-in regularity, one write of the frozen reference
FREEZE_QUERIES = 15
# reopening them: the lines kept as a version, one batch of notes, the
# reference thawed, the lines listed again
THAW_QUERIES = 22
# the uninstall hook's notes: the lines, one batch of notes
POST_REFERENCE_QUERIES = 7
# the default period given back to an appraisee creating appraisals
DEFAULT_PERIOD_QUERIES = 1


@tagged("post_install", "-at_install")
class TestOkrAppraisalQueries(OkrAppraisalCommon):
    """Completing, reopening and the uninstall notes of many appraisals cost
    the same queries as for a few: no query per appraisal or per line."""

    def _appraisals(self, count):
        """``count`` open appraisals, each of an employee with key results
        checked in a different number of times (their regularity differs)."""
        employees = self.env["hr.employee"].create(
            [
                {"name": f"Queried {count}-{index}", "parent_id": self.emp_boss.id}
                for index in range(count)
            ]
        )
        for index, employee in enumerate(employees):
            objective = self._create_objective(
                f"Objective {count}-{index}", self.cycle_running, owner=employee
            )
            key_result = self._create_key_result(objective, "KR", 10 * index)
            # checked in during 1, 2 or 3 of the last weeks
            self.env["okr.check.in"].create(
                [
                    {
                        "key_result_id": key_result.id,
                        "value": 5 * index,
                        "date": self.today - timedelta(weeks=week),
                    }
                    for week in range(1, index % 3 + 1)
                ]
            )
        return self.env["hr.appraisal"].create(
            [
                {"employee_id": employee.id, "date_close": self.today + timedelta(10)}
                for employee in employees
            ]
        )

    def _queries(self, method, appraisals):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        method(appraisals)
        self.env.flush_all()
        return self.cr.sql_log_count - start

    def _cycle(self, appraisals):
        """(freeze, thaw, uninstall notes) queries of ``appraisals``."""
        freeze = self._queries(lambda records: records._okr_freeze(), appraisals)
        self.assertTrue(all(appraisals.mapped("okr_score_frozen")))
        regularities = set(appraisals.mapped("okr_frozen_check_in_regularity"))
        thaw = self._queries(lambda records: records._okr_thaw(), appraisals)
        self.assertFalse(any(appraisals.mapped("okr_score_frozen")))
        self.assertTrue(appraisals.okr_version_line_ids)
        appraisals._okr_freeze()
        post = self._queries(lambda records: records._okr_post_reference(), appraisals)
        return (freeze, thaw, post), regularities

    def test_freeze_thaw_queries_do_not_grow_with_appraisals(self):
        self._cycle(self._appraisals(2))  # warm-up
        small, _regularities = self._cycle(self._appraisals(2))
        large_appraisals = self._appraisals(6)
        messages = {a: a.message_ids for a in large_appraisals}
        large, regularities = self._cycle(large_appraisals)
        self.assertGreater(len(regularities), 1, "values differ per appraisal")
        self.assertEqual(small, (FREEZE_QUERIES, THAW_QUERIES, POST_REFERENCE_QUERIES))
        self.assertEqual(large, small)
        # each appraisal got its own reopening note and its reference note
        for appraisal in large_appraisals:
            notes = appraisal.message_ids - messages[appraisal]
            self.assertEqual(len(notes), 2)
            self.assertTrue(
                any("Previous OKR References" in note.body for note in notes)
            )
            self.assertTrue(
                any("OKR reference frozen on" in note.body for note in notes)
            )

    def test_owner_syncs_appraisal_with_own_rights(self):
        """An OKR user adding and moving a key result of their own
        objective keeps their open appraisal's lines in step, without any
        wider rights for reading the owners."""
        appraisal = self._create_appraisal()
        KeyResult = self.env(user=self.user_staff)["okr.key.result"]
        key_result = KeyResult.create(
            {"name": "Own KR", "objective_id": self.obj_public.id, "target_value": 10}
        )
        self.assertIn(key_result, appraisal.sudo().okr_line_ids.key_result_id)
        key_result.write({"objective_id": self.obj_private.id})
        line = appraisal.sudo().okr_line_ids.filtered(
            lambda line: line.key_result_id == key_result
        )
        self.assertEqual(line.objective_id, self.obj_private)

    def test_default_period_on_create_in_fixed_queries(self):
        """An appraisee creating 2 or 6 appraisals with a period of her own
        gets the default period, computed for all at once: the creation with
        the period, less the same creation without, costs the same."""
        as_staff = self.env(user=self.user_staff)["hr.appraisal"]
        sent_start = self.today - timedelta(days=20)
        created = []

        def create(size, period):
            vals = {"employee_id": self.emp_staff.id}
            if period:
                vals.update(
                    okr_period_start=sent_start,
                    okr_period_end=self.today + timedelta(days=200),
                )
            vals_list = [
                dict(vals, date_close=self.today + timedelta(days=100 + index))
                for index in range(size)
            ]
            return self._queries(
                lambda _appraisals: created.append(as_staff.create(vals_list)),
                None,
            )

        create(2, True)  # warm-up
        costs = {}
        for size in (2, 6):
            with_period = create(size, True)
            appraisals = created[-1]
            costs[size] = with_period - create(size, False)
            self.assertNotIn(sent_start, appraisals.sudo().mapped("okr_period_start"))
        self.assertEqual(costs, {2: DEFAULT_PERIOD_QUERIES, 6: DEFAULT_PERIOD_QUERIES})
