import io
from contextlib import contextmanager
from datetime import timedelta

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import OkrTestCommon


class OkrKeyResultTypesCommon(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        KeyResult = cls.env["okr.key.result"]
        cls.kr_audit = KeyResult.create(
            {
                "name": "Safety audit passed",
                "objective_id": cls.objective.id,
                "metric_type": "boolean",
                # whatever the caller sends, the server sets 0 to 1
                "start_value": 5,
                "target_value": 50,
                "unit": "audits",
            }
        )
        cls.kr_launch = KeyResult.create(
            {
                "name": "Line 3 launched",
                "objective_id": cls.objective.id,
                "metric_type": "milestone",
                "target_value": 3,
            }
        )
        Milestone = cls.env["okr.key.result.milestone"]
        cls.ms_install = Milestone.create(
            {
                "key_result_id": cls.kr_launch.id,
                "name": "Machines installed",
                "weight": 1,
                "date_deadline": cls.today + timedelta(days=10),
                "user_id": cls.user_qa.id,
            }
        )
        cls.ms_trial = Milestone.create(
            {
                "key_result_id": cls.kr_launch.id,
                "name": "Trial run",
                "weight": 3,
                "date_deadline": cls.today + timedelta(days=20),
            }
        )

    @contextmanager
    def assertRefused(self, exception, regex):
        """The call raises ``exception`` and changes nothing (rolled back as
        the RPC layer does)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _as(self, user):
        """A fresh environment of ``user``, as an RPC call would get."""
        self.env.flush_all()
        self.env.invalidate_all()
        return self.env(user=user)

    def _activities(self, record, xmlid):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )


@tagged("post_install", "-at_install")
class TestOkrDoneNotDone(OkrKeyResultTypesCommon):
    def test_fixed_start_target_and_unit(self):
        self.assertEqual(
            (self.kr_audit.start_value, self.kr_audit.target_value), (0.0, 1.0)
        )
        self.assertFalse(self.kr_audit.unit)
        self.assertEqual(self.kr_audit.direction, "increase")
        kr = self._as(self.user_lead)["okr.key.result"].browse(self.kr_audit.id)
        kr.write({"target_value": 7, "direction": "decrease"})
        self.assertEqual((kr.target_value, kr.direction), (1.0, "increase"))
        self.assertEqual(self.kr_audit.value_display, "Not done")

    def test_check_in_done_and_not_done(self):
        kr = self._as(self.user_lead)["okr.key.result"].browse(self.kr_audit.id)
        kr.action_check_in(True)
        self.assertEqual(kr.current_value, 1.0)
        self.assertEqual(kr.progress, 1.0)
        self.assertEqual(kr.value_display, "Done")
        kr.action_check_in(False)
        self.assertEqual(kr.progress, 0.0)
        self.assertEqual(kr.value_display, "Not done")
        kr.action_check_in(1)
        self.assertEqual(kr.progress, 1.0)

    def test_other_numbers_and_booleans_refused(self):
        kr = self._as(self.user_lead)["okr.key.result"].browse(self.kr_audit.id)
        with self.assertRefused(UserError, "Value: key result 'Safety audit"):
            kr.action_check_in(0.5)
        with self.assertRefused(UserError, "Value: a number is required"):
            self.kr_yield.with_env(kr.env).action_check_in(True)
        with self.assertRefused(ValidationError, "must be 1 \\(done\\) or 0"):
            kr.env["okr.check.in"].create({"key_result_id": kr.id, "value": 2})
        self.assertFalse(self.kr_audit.check_in_ids)
        self.assertFalse(self.kr_yield.check_in_ids)

    def test_quick_check_in_toggle(self):
        env = self._as(self.user_lead)
        form = Form(
            env["okr.check.in.wizard"].with_context(
                default_key_result_id=self.kr_audit.id
            )
        )
        self.assertFalse(form.value_done)
        form.value_done = True
        form.save().action_confirm()
        self.assertEqual(self.kr_audit.progress, 1.0)

    def test_team_check_in_toggle(self):
        env = self._as(self.user_lead)
        wizard = env["okr.team.check.in"].create(
            {
                "team_type": "department",
                "department_id": self.dep_prod.id,
                "cycle_id": self.cycle.id,
            }
        )
        line = wizard.line_ids.filtered(lambda li: li.key_result_id == self.kr_audit)
        self.assertTrue(line)
        self.assertFalse(
            wizard.line_ids.filtered(lambda li: li.key_result_id == self.kr_launch),
            "a milestone key result moves with its milestones",
        )
        line.new_done = True
        wizard.action_confirm()
        self.assertEqual(self.kr_audit.current_value, 1.0)
        self.assertFalse(self.kr_yield.check_in_ids, "unchanged lines skipped")

    def test_export_reads_done(self):
        self.kr_audit.action_check_in(True)
        content = self.env["okr.cycle.export"]._generate_xlsx(self.cycle)
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        row = next(
            row
            for row in workbook["Key Results"].iter_rows(min_row=2, values_only=True)
            if row[1] == "Safety audit passed"
        )
        self.assertEqual(row[5], "Done")
        self.assertEqual(row[16], "Done / Not Done")
        check_in = next(
            row
            for row in workbook["Check-ins"].iter_rows(min_row=2, values_only=True)
            if row[1] == "Safety audit passed"
        )
        self.assertEqual(check_in[3], "Done")


@tagged("post_install", "-at_install")
class TestOkrMilestones(OkrKeyResultTypesCommon):
    def test_fixed_range_and_share(self):
        self.assertEqual(
            (self.kr_launch.start_value, self.kr_launch.target_value), (0.0, 100.0)
        )
        self.assertEqual(self.kr_launch.unit, "%")
        self.assertEqual(self.kr_launch.current_value, 0.0)
        self.assertFalse(self.kr_launch.check_in_ids, "nothing done: no check-in")

    def test_responsible_marks_done_and_reopens(self):
        """QA is neither the owner nor above it: as responsible person of the
        milestone, they may mark it done; each move records a check-in."""
        env = self._as(self.user_qa)
        milestone = env["okr.key.result.milestone"].browse(self.ms_install.id)
        milestone.action_done()
        self.assertEqual(self.ms_install.state, "done")
        self.assertEqual(self.ms_install.date_done, self.today)
        self.assertEqual(self.kr_launch.current_value, 25.0)  # weight 1 of 4
        self.assertAlmostEqual(self.kr_launch.progress, 0.25)
        check_in = self.kr_launch.check_in_ids
        self.assertEqual(len(check_in), 1)
        self.assertEqual(check_in.source, "milestone")
        self.assertEqual(check_in.user_id, self.user_qa)
        milestone.action_reopen()
        self.assertEqual(self.ms_install.state, "open")
        self.assertFalse(self.ms_install.date_done)
        self.assertEqual(self.kr_launch.current_value, 0.0)
        self.assertEqual(len(self.kr_launch.check_in_ids), 2)

    def test_owner_chain_marks_done(self):
        env = self._as(self.user_manager)
        env["okr.key.result.milestone"].browse(self.ms_trial.id).action_done()
        self.assertEqual(self.kr_launch.current_value, 75.0)

    def test_others_refused(self):
        env = self._as(self.user_worker)
        milestone = env["okr.key.result.milestone"].browse(self.ms_trial.id)
        with self.assertRaises(AccessError):
            milestone.action_done()
        with self.assertRaises(AccessError):
            milestone.write({"name": "Mine"})
        self.assertEqual(self.ms_trial.state, "open")
        self.assertFalse(self.kr_launch.check_in_ids)

    def test_state_written_only_by_the_actions(self):
        env = self._as(self.user_lead)
        milestone = env["okr.key.result.milestone"].browse(self.ms_trial.id)
        with self.assertRaises(AccessError):
            milestone.write({"state": "done"})
        with self.assertRaises(AccessError):
            env["okr.key.result.milestone"].create(
                {
                    "key_result_id": self.kr_launch.id,
                    "name": "Already done",
                    "date_deadline": self.today,
                    "state": "done",
                }
            )
        self.assertEqual(self.ms_trial.state, "open")
        self.assertEqual(len(self.kr_launch.milestone_ids), 2)

    def test_hand_check_in_refused(self):
        env = self._as(self.user_lead)
        kr = env["okr.key.result"].browse(self.kr_launch.id)
        with self.assertRefused(UserError, "Value: key result 'Line 3 launched'"):
            kr.action_check_in(50)
        with self.assertRefused(UserError, "comes from its milestones"):
            env["okr.check.in"].create({"key_result_id": kr.id, "value": 50})
        self.assertFalse(self.kr_launch.check_in_ids)

    def test_bad_milestones_refused(self):
        env = self._as(self.user_lead)
        Milestone = env["okr.key.result.milestone"]
        base = {"key_result_id": self.kr_launch.id, "date_deadline": self.today}
        for weight in (0, -1, float("nan"), float("inf")):
            with self.assertRefused(ValidationError, "the Weight must be"):
                Milestone.create(dict(base, name=f"W {weight}", weight=weight))
        with self.assertRefused(ValidationError, "the Deadline .* must lie inside"):
            Milestone.create(
                dict(
                    base,
                    name="Too late",
                    date_deadline=self.cycle.date_end + timedelta(days=1),
                )
            )
        with self.assertRefused(ValidationError, "not a Milestone key result"):
            Milestone.create(dict(base, name="Wrong", key_result_id=self.kr_yield.id))
        self.assertEqual(len(self.kr_launch.milestone_ids), 2)

    def test_weights_and_deletion_move_the_value(self):
        self.ms_install.action_done()
        self.assertEqual(self.kr_launch.current_value, 25.0)
        self.ms_trial.weight = 1
        self.assertEqual(self.kr_launch.current_value, 50.0)
        self.ms_trial.unlink()
        self.assertEqual(self.kr_launch.current_value, 100.0)

    def test_overdue_milestone_at_risk_and_one_activity(self):
        self.ms_trial.action_done()  # 75 % against a 50 % pace: on track
        self.assertEqual(self.kr_launch.status, "on_track")
        self.env.cr.execute(
            "UPDATE okr_key_result_milestone SET date_deadline = %s WHERE id = %s",
            [self.today - timedelta(days=2), self.ms_install.id],
        )
        self.env.invalidate_all()
        self.assertTrue(self.ms_install.is_overdue)
        cron = self.env["okr.cycle"]
        cron._cron_update_status()
        self.assertEqual(self.kr_launch.status, "at_risk")
        self.assertEqual(self.objective.overdue_milestone_count, 1)
        cron._cron_update_status()
        activities = self._activities(
            self.kr_launch, "okr_management.mail_activity_type_okr_milestone_overdue"
        )
        self.assertEqual(len(activities), 1, "no pile-up across cron runs")
        self.assertEqual(activities.user_id, self.user_qa)
        notes = self.kr_launch.message_ids.filtered(
            lambda m: "Machines installed' is overdue" in str(m.body)
        )
        self.assertEqual(len(notes), 1)
        self.assertIn(self.user_lead.partner_id, notes.partner_ids)
        # done: the activity is closed, the status follows
        self.ms_install.with_user(self.user_qa).action_done()
        self.assertFalse(activities.exists())
        self.assertEqual(self.kr_launch.status, "on_track")

    def test_board_counts_in_one_query(self):
        self.env.cr.execute(
            "UPDATE okr_key_result_milestone SET date_deadline = %s",
            [self.today - timedelta(days=1)],
        )
        env = self._as(self.user_manager)
        objective = env["okr.objective"].browse(self.objective.id)
        # what the board has read before: the card's stored fields, the names
        # the focus warnings may quote, the user's time zone, rules and settings
        objective.fetch(["name", "owner_id", "cycle_id", "state"])
        self.assertTrue(objective.owner_id.name and objective.cycle_id.name)
        self.assertFalse(env.user.tz == "?")
        env["okr.key.result"].search([], limit=1)
        env["okr.objective"]._get_focus_limits()
        key_result_count = len(self.objective.key_result_ids)
        # the card's counts and key results: the key results the user reads
        # with what the card shows (one query), the overdue milestones and
        # commitments and the owner's objectives in the cycle (one query),
        # and the key results' values (their milestones, their currency)
        with self.assertQueryCount(4):
            self.assertEqual(objective.overdue_milestone_count, 2)
            self.assertEqual(objective.overdue_commitment_count, 0)
            self.assertEqual(objective.key_result_count, key_result_count)
            self.assertEqual(objective.manual_key_result_count, 2)
            self.assertFalse(objective.focus_warning)
            self.assertEqual(
                len(objective.key_result_overview.splitlines()), key_result_count
            )


@tagged("post_install", "-at_install")
class TestOkrDeadlines(OkrKeyResultTypesCommon):
    def test_deadline_inside_the_cycle(self):
        kr = self._as(self.user_lead)["okr.key.result"].browse(self.kr_yield.id)
        with self.assertRefused(ValidationError, "the Deadline .* must lie inside"):
            # a running cycle's deadline changes through a request
            kr.action_request_change(
                {"deadline": self.cycle.date_end + timedelta(days=1)}, "later"
            )
        self.assertFalse(self.kr_yield.deadline)

    def test_pace_runs_to_the_deadline(self):
        self.assertAlmostEqual(self.kr_yield.expected_progress, 0.5)
        self.kr_yield.deadline = self.today + timedelta(days=5)  # 45 of 50 days
        self.assertAlmostEqual(self.kr_yield.expected_progress, 0.9)
        self.kr_yield.action_check_in(94)  # progress 0.5: off track by 0.9
        self.assertEqual(self.kr_yield.status, "off_track")
        check_in = self.kr_yield.check_in_ids
        self.assertAlmostEqual(check_in.expected_progress, 0.9)
        # forecast judged at the deadline: the line through 92 (45 days ago)
        # and 94 (today) reaches 94.22 in 5 days
        self.assertAlmostEqual(self.kr_yield.forecast_progress, 0.5556, places=3)

    def test_past_deadline_off_track_one_activity(self):
        self.kr_yield.action_check_in(95.5)  # 0.875, on track for the cycle
        self.assertEqual(self.kr_yield.status, "on_track")
        self.kr_yield.deadline = self.today - timedelta(days=1)
        self.assertEqual(self.kr_yield.status, "off_track")
        Cycle = self.env["okr.cycle"]
        Cycle._cron_update_status()
        Cycle._cron_update_status()
        activities = self._activities(
            self.kr_yield, "okr_management.mail_activity_type_okr_deadline_missed"
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.user_lead)
        self.kr_yield.action_check_in(96)  # reached: no longer off track
        self.assertEqual(self.kr_yield.status, "on_track")


@tagged("post_install", "-at_install")
class TestOkrResultsAndBands(OkrKeyResultTypesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        KeyResult = cls.env["okr.key.result"]
        cls.kr_stretch = KeyResult.create(
            {
                "name": "OEE 70 to 80",
                "objective_id": cls.objective.id,
                "kr_type": "aspirational",
                "start_value": 70,
                "target_value": 80,
            }
        )
        cls.kr_small = KeyResult.create(
            {
                "name": "Kaizen ideas 0 to 10",
                "objective_id": cls.objective.id,
                "start_value": 0,
                "target_value": 10,
            }
        )

    def _close(self):
        self.kr_yield.action_check_in(96)  # committed 1.0: achieved
        self.kr_stretch.action_check_in(77)  # aspirational 0.7: achieved
        self.kr_small.action_check_in(5)  # committed 0.5: partial
        self.kr_audit.action_check_in(False)  # committed 0.0: missed
        self.cycle.with_user(self.user_manager).action_close()

    def test_results_at_close(self):
        self._close()
        self.assertEqual(self.kr_yield.result, "achieved")
        self.assertEqual(self.kr_stretch.result, "achieved")
        self.assertEqual(self.kr_small.result, "partial")
        self.assertEqual(self.kr_audit.result, "missed")
        self.assertEqual(self.kr_launch.result, "missed")
        self.assertEqual(self.objective.achieved_key_result_count, 2)
        retro = self.objective.retro_key_result_ids
        self.assertEqual(
            set(retro[:2].mapped("name")), {"Safety audit passed", "Line 3 launched"}
        )
        self.assertIn("Committed and missed", retro[0].retro_flag)

    def test_thresholds_from_settings(self):
        self.env["res.config.settings"].create(
            {"okr_aspirational_threshold": 0.8, "okr_missed_below": 0.6}
        ).execute()
        self._close()
        self.assertEqual(self.kr_stretch.result, "partial")
        self.assertEqual(self.kr_small.result, "missed")

    def test_result_written_only_by_the_close(self):
        env = self._as(self.user_manager)
        with self.assertRaises(AccessError):
            env["okr.key.result"].browse(self.kr_yield.id).write({"result": "achieved"})
        self.assertFalse(self.kr_yield.result)

    def test_bad_thresholds_refused(self):
        Settings = self.env["res.config.settings"]
        with self.assertRefused(ValidationError, "Committed: achieved from"):
            Settings.create({"okr_committed_threshold": 1.5})
        with self.assertRefused(ValidationError, "the band must run upwards"):
            Settings.create({"okr_band_unit_low": 0.8, "okr_band_unit_high": 0.6})
        with self.assertRefused(ValidationError, "the band must run upwards"):
            Settings.create({"okr_band_five_low": float("nan")})

    def test_bands_and_flags(self):
        self.kr_yield.action_check_in(96)  # 1.0: above 0.6-0.7
        self.kr_stretch.action_check_in(76.5)  # 0.65: inside
        self.kr_small.action_check_in(3)  # 0.3: below
        self.assertFalse(self.kr_yield.score_band, "not graded yet")
        self.cycle.action_close()
        self.assertEqual(self.kr_yield.score_band, "above")
        self.assertIn("too easy", self.kr_yield.retro_flag)
        self.assertEqual(self.kr_stretch.score_band, "inside")
        self.assertFalse(self.kr_stretch.retro_flag)
        self.assertEqual(self.kr_small.score_band, "below")
        self.assertIn("below the band", self.kr_small.retro_flag)

    def test_five_scale_band(self):
        self.env["ir.config_parameter"].set_param("okr_management.score_scale", "five")
        self.kr_stretch.action_check_in(75)  # 0.5 is 3.0 / 5: inside 2.5-3.5
        self.kr_yield.action_check_in(95)  # 0.75 is 4.0 / 5: above
        self.cycle.action_close()
        self.assertEqual(self.kr_stretch.score_band, "inside")
        self.assertEqual(self.kr_yield.score_band, "above")

    def test_adoption_report_share_inside_the_band(self):
        self.kr_yield.action_check_in(96)  # above
        self.kr_stretch.action_check_in(76.5)  # inside
        self.cycle.action_close()
        self.env.flush_all()
        row = (
            self.env["okr.adoption.report"]
            .with_user(self.user_manager)
            .search(
                [
                    ("cycle_id", "=", self.cycle.id),
                    ("department_id", "=", self.dep_prod.id),
                ]
            )
        )
        # five graded key results, one inside the band
        self.assertEqual(row.graded_key_result_count, 5)
        self.assertEqual(row.in_band_key_result_count, 1)
        self.assertAlmostEqual(row.in_band_rate, 20.0)

    def test_export_colours_scores(self):
        self.kr_stretch.action_check_in(76.5)
        self.cycle.action_close()
        content = self.env["okr.cycle.export"]._generate_xlsx(self.cycle)
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Key Results"]
        rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
        stretch = rows["OEE 70 to 80"]
        self.assertEqual(stretch[20].value, "Inside the Band")
        self.assertEqual(stretch[19].value, "Partial")  # 0.65, aspirational 0.7
        self.assertEqual(stretch[12].fill.fgColor.rgb[-6:], "C6EFCE")


@tagged("post_install", "-at_install")
class TestOkrTypesCarriedOver(OkrKeyResultTypesCommon):
    def test_template_keeps_types_milestones_and_deadlines(self):
        template = self.env["okr.objective.template"].create(
            {
                "name": "Launch a line",
                "key_result_template_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Line launched",
                            "kr_type": "aspirational",
                            "metric_type": "milestone",
                            "deadline_days": 60,
                            "milestone_template_ids": [
                                (0, 0, {"name": "Installed", "deadline_days": 10}),
                                (
                                    0,
                                    0,
                                    {
                                        "name": "Approved",
                                        "weight": 2,
                                        "deadline_days": 500,
                                    },
                                ),
                            ],
                        },
                    )
                ],
            }
        )
        env = self._as(self.user_lead)
        wizard = Form(env["okr.template.apply"])
        wizard.template_id = env["okr.objective.template"].browse(template.id)
        wizard.cycle_id = env["okr.cycle"].browse(self.cycle.id)
        action = wizard.save().action_apply()
        kr = self.env["okr.objective"].browse(action["res_id"]).key_result_ids
        self.assertEqual((kr.kr_type, kr.metric_type), ("aspirational", "milestone"))
        self.assertEqual(kr.deadline, self.cycle.date_start + timedelta(days=60))
        self.assertEqual(
            kr.milestone_ids.mapped("date_deadline"),
            [self.cycle.date_start + timedelta(days=10), self.cycle.date_end],
        )
        self.assertEqual(kr.target_value, 100.0)

    def test_carry_over_keeps_types_and_shifts_dates(self):
        self.kr_launch.deadline = self.today + timedelta(days=30)
        self.ms_install.action_done()
        self.kr_audit.action_check_in(False)
        self.objective.retro_decision = "keep"
        self.cycle.action_close()
        next_cycle = self.env["okr.cycle"].create(
            {
                "name": "Next Quarter",
                "date_start": self.cycle.date_end + timedelta(days=1),
                "date_end": self.cycle.date_end + timedelta(days=91),
            }
        )
        shift = next_cycle.date_start - self.cycle.date_start
        wizard = (
            self.env["okr.carry.over"]
            .with_user(self.user_manager)
            .create(
                {"source_cycle_id": self.cycle.id, "target_cycle_id": next_cycle.id}
            )
        )
        wizard.line_ids.filtered(
            lambda line: line.key_result_id == self.kr_yield
        ).selected = True
        wizard.action_carry_over()
        copies = next_cycle.objective_ids.key_result_ids
        launch = copies.filtered(lambda kr: kr.name == "Line 3 launched")
        audit = copies.filtered(lambda kr: kr.name == "Safety audit passed")
        self.assertEqual(launch.metric_type, "milestone")
        self.assertEqual(launch.deadline, self.kr_launch.deadline + shift)
        self.assertEqual(
            launch.milestone_ids.mapped("date_deadline"),
            [m.date_deadline + shift for m in self.kr_launch.milestone_ids],
        )
        self.assertEqual(set(launch.milestone_ids.mapped("state")), {"open"})
        self.assertFalse(any(launch.milestone_ids.mapped("date_done")))
        self.assertEqual(launch.current_value, 0.0)
        self.assertEqual((audit.metric_type, audit.target_value), ("boolean", 1.0))
        self.assertFalse(launch.result)
