from .common import OkrAppraisalCommon


class TestOkrAppraisalTargetChange(OkrAppraisalCommon):
    """The reference lines tell that a key result's target moved during the
    period, and keep telling it once the appraisal is completed."""

    def _approve_change(self, key_result, vals, reason):
        change_id = key_result.with_user(self.user_staff).action_request_change(
            vals, reason
        )
        change = self.env["okr.key.result.change"].browse(change_id)
        change.with_user(self.user_boss).action_approve()
        return change

    def test_changed_target_flagged_and_frozen(self):
        appraisal = self._create_appraisal()
        lines = appraisal.sudo().okr_line_ids
        self.assertFalse(any(lines.mapped("target_changed")))

        change = self._approve_change(
            self.kr_public, {"target_value": 80}, "Line 3 closed for a month"
        )
        line = lines.filtered(lambda line: line.key_result_id == self.kr_public)
        other = lines - line
        self.assertTrue(line.target_changed)
        self.assertIn(change.summary, line.target_change_note)
        self.assertIn("Boss", line.target_change_note)
        self.assertEqual(line.target_value, 80)
        self.assertFalse(any(other.mapped("target_changed")))

        as_boss = appraisal.with_user(self.user_boss)
        as_boss.action_confirm()
        as_boss.action_done()
        note = line.target_change_note
        # a later change does not touch the completed reference
        self._approve_change(self.kr_public, {"target_value": 60}, "Again")
        self.assertTrue(line.target_changed)
        self.assertEqual(line.target_change_note, note)
        self.assertEqual(line.target_value, 80)
        self.assertEqual(self.kr_public.target_value, 60)

    def test_change_outside_the_period_not_flagged(self):
        appraisal = self._create_appraisal()
        self._approve_change(self.kr_public, {"weight": 3}, "Priority moved")
        line = appraisal.sudo().okr_line_ids.filtered(
            lambda line: line.key_result_id == self.kr_public
        )
        self.assertTrue(line.target_changed)
        # the period ends before the change took effect
        appraisal.with_user(self.user_hr).write(
            {
                "okr_period_start": self.cycle_running.date_start,
                "okr_period_end": self.today - self.today.resolution,
            }
        )
        line = appraisal.sudo().okr_line_ids.filtered(
            lambda line: line.key_result_id == self.kr_public
        )
        self.assertFalse(line.target_changed)
        self.assertFalse(line.target_change_note)
