"""The core rebuilt by concern: what each concern does, observed through
the records (status tracking, the badge at the check-in, grading through a
tracked write, one Settings table, values formatted by their kind, plain
parsing functions), and the shape rules the code keeps."""

import ast
import math
from datetime import timedelta
from pathlib import Path

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..tools import (
    MAX_MAGNITUDE,
    SETTINGS,
    get_setting,
    parse_date,
    parse_external_id,
    parse_number,
    setting_key,
)
from .common import OkrTestCommon

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("okr_management", "okr_mrp_bridge", "okr_hr_appraisal")
# Odoo's own methods of that name that the suite extends: web_tour's field
# compute, the digest's actions of its KPIs
ODOO_COMPUTE_HOOKS = {"_compute_tour_enabled", "_compute_kpis_actions"}


@tagged("post_install", "-at_install")
class TestOkrCoreShape(OkrTestCommon):
    def _commit_hooks(self):
        """What a commit runs: flush, then the precommit hooks (tracking)."""
        self.env.flush_all()
        self.env.cr.flush()

    # ------------------------------------------------------------------
    # Status: announced by tracking, never from the compute
    # ------------------------------------------------------------------
    def test_status_change_is_tracked_and_the_manager_told_once(self):
        self.kr_yield.action_check_in(95)
        self._commit_hooks()
        self.assertEqual(self.kr_yield.status, "on_track")
        before = self.kr_yield.message_ids
        # back to the start value, half-way through the cycle: off track
        self.kr_yield.action_check_in(92)
        self._commit_hooks()
        self.assertEqual(self.kr_yield.status, "off_track")
        new = self.kr_yield.message_ids - before
        tracked = new.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "status"
        )
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.old_value_char, "On Track")
        self.assertEqual(tracked.new_value_char, "Off Track")
        notices = new.filtered(
            lambda m: (
                self.user_manager.partner_id in m.partner_ids
                and "went off track" in str(m.body)
            )
        )
        self.assertEqual(len(notices), 1, "the owner's manager is told")
        # staying off track tells nobody again
        self.kr_yield.action_check_in(92.5)
        self._commit_hooks()
        again = self.kr_yield.message_ids - before - new
        self.assertFalse(
            again.filtered(lambda m: "went off track" in str(m.body)),
        )

    # ------------------------------------------------------------------
    # The badge: granted with the check-in that reaches the target
    # ------------------------------------------------------------------
    def test_badge_with_the_check_in_that_reaches_the_target(self):
        self.kr_yield.with_user(self.user_lead).action_check_in(96)
        # no commit needed: the check-in itself grants it
        self.assertEqual(self.kr_yield.target_reached_date, self.today)
        badge = self.env.ref("okr_management.badge_okr_target_reached")
        owners = (
            self.env["gamification.badge.user"]
            .search([("badge_id", "=", badge.id)])
            .user_id
        )
        self.assertIn(self.kr_yield.user_id, owners)

    # ------------------------------------------------------------------
    # Grading at the close: one query, tracked explicitly
    # ------------------------------------------------------------------
    def test_close_grades_and_tracks_each_score(self):
        self.kr_yield.action_check_in(95)
        self.cycle.with_user(self.user_manager).action_close()
        self.assertAlmostEqual(self.kr_yield.score, 0.75)
        self.assertEqual(self.kr_yield.result, "partial")
        tracked = self.kr_yield.message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "score"
        )
        self.assertEqual(len(tracked), 1)
        self.assertAlmostEqual(tracked.old_value_float, 0.0)
        self.assertAlmostEqual(tracked.new_value_float, 0.75)

    def test_result_thresholds_come_from_the_settings_table(self):
        self.env["ir.config_parameter"].sudo().set_param(
            setting_key("committed_threshold"), "0.7"
        )
        self.kr_yield.action_check_in(95)  # 0.75
        self.cycle.with_user(self.user_manager).action_close()
        self.assertEqual(self.kr_yield.result, "achieved")

    # ------------------------------------------------------------------
    # One Settings table
    # ------------------------------------------------------------------
    def test_settings_defaults_are_the_table(self):
        settings = self.env["res.config.settings"].create({})
        for name, (_kind, default) in SETTINGS.items():
            self.assertEqual(settings[f"okr_{name}"], default, name)
            self.assertEqual(get_setting(self.env, name), default, name)

    def test_settings_not_a_number_falls_back_to_the_default(self):
        params = self.env["ir.config_parameter"].sudo()
        for value in ("abc", "nan", "inf"):
            params.set_param(setting_key("on_track_ratio"), value)
            self.assertEqual(get_setting(self.env, "on_track_ratio"), 0.9, value)

    # ------------------------------------------------------------------
    # Values read as their kind
    # ------------------------------------------------------------------
    def test_currency_and_percentage_formatting(self):
        euro = self.env.ref("base.EUR")
        euro.active = True
        amount = self.env["okr.key.result"].create(
            {
                "name": "Scrap cost down",
                "objective_id": self.objective.id,
                "metric_type": "currency",
                "currency_id": euro.id,
                "start_value": 12000,
                "target_value": 8000,
                "direction": "decrease",
            }
        )
        self.assertIn("€", amount.value_display)
        self.assertIn("12,000.00", amount.value_display)
        share = self.env["okr.key.result"].create(
            {
                "name": "OEE up",
                "objective_id": self.objective.id,
                "metric_type": "percentage",
                "start_value": 61.5,
                "target_value": 75,
            }
        )
        self.assertEqual(share.value_display, "61.5 %")
        with self.assertRaisesRegex(ValidationError, "needs its Currency"):
            amount.currency_id = False
            amount.flush_recordset()

    # ------------------------------------------------------------------
    # Plain parsing functions
    # ------------------------------------------------------------------
    def test_parsing_functions(self):
        self.assertEqual(parse_number(self.env, "12.5", "Value"), 12.5)
        for bad in ("abc", None, True, math.nan, math.inf, MAX_MAGNITUDE * 10):
            with self.assertRaisesRegex(UserError, "^Value: "):
                parse_number(self.env, bad, "Value")
        self.assertEqual(
            parse_date(self.env, "2026-01-31", "Date"),
            self.today.replace(2026, 1, 31),
        )
        with self.assertRaisesRegex(UserError, "^Date: "):
            parse_date(self.env, "31/01/2026", "Date")
        with self.assertRaisesRegex(UserError, "^External Reference: "):
            parse_external_id(self.env, "x" * 256)
        self.assertEqual(parse_external_id(self.env, "mes-1"), "mes-1")

    # ------------------------------------------------------------------
    # Notify once, in the reader's language
    # ------------------------------------------------------------------
    def test_missed_deadline_notified_once_per_deadline(self):
        KeyResult = self.env["okr.key.result"]
        self.kr_yield.deadline = self.today - timedelta(days=1)
        KeyResult._cron_notify_missed_deadlines()
        KeyResult._cron_notify_missed_deadlines()
        activity_type = self.env.ref(
            "okr_management.mail_activity_type_okr_deadline_missed"
        )
        activities = self.kr_yield.activity_ids.filtered(
            lambda a: a.activity_type_id == activity_type
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.kr_yield.user_id)
        self.assertEqual(self.kr_yield.notified_deadline, self.kr_yield.deadline)
        # a new deadline is a new occasion
        self.kr_yield.deadline = self.today - timedelta(days=2)
        KeyResult._cron_notify_missed_deadlines()
        self.assertEqual(
            len(
                self.kr_yield.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                )
            ),
            2,
        )

    # ------------------------------------------------------------------
    # Shape
    # ------------------------------------------------------------------
    def _python_files(self, folder):
        for module in MODULES:
            yield from sorted((ROOT / module / folder).glob("*.py"))

    def test_no_model_file_over_700_lines(self):
        for path in self._python_files("models"):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            self.assertLessEqual(lines, 700, f"{path.name}: {lines} lines")

    def test_no_orm_internals(self):
        for folder in ("models", "wizard", "report", "sources", "controllers"):
            for path in self._python_files(folder):
                text = path.read_text(encoding="utf-8")
                for internal in ("env.cache", ".tocompute", "cr.precommit"):
                    self.assertNotIn(internal, text, f"{path.name}: {internal}")

    def test_computes_are_field_computes(self):
        """Every ``_compute_*`` method of a model is some field's compute."""
        sources = {
            path: path.read_text(encoding="utf-8")
            for folder in ("models", "wizard", "report")
            for path in self._python_files(folder)
        }
        everything = "\n".join(sources.values())
        for path, text in sources.items():
            for node in ast.walk(ast.parse(text)):
                if isinstance(node, ast.FunctionDef) and node.name.startswith(
                    "_compute_"
                ):
                    self.assertTrue(
                        f'compute="{node.name}"' in everything
                        or node.name in ODOO_COMPUTE_HOOKS,
                        f"{path.name}: {node.name} computes no field",
                    )


@tagged("post_install", "-at_install")
class TestOkrWorkbookFormats(OkrTestCommon):
    def test_workbook_reads_amounts_in_their_currency_and_percentages(self):
        import io

        import openpyxl

        euro = self.env.ref("base.EUR")
        euro.active = True
        amount = self.env["okr.key.result"].create(
            {
                "name": "Scrap cost down",
                "objective_id": self.objective.id,
                "metric_type": "currency",
                "currency_id": euro.id,
                "start_value": 12000,
                "target_value": 8000,
                "direction": "decrease",
            }
        )
        amount.action_check_in(11000)
        share = self.env["okr.key.result"].create(
            {
                "name": "OEE up",
                "objective_id": self.objective.id,
                "metric_type": "percentage",
                "start_value": 61.5,
                "target_value": 75,
            }
        )
        content = (
            self.env["okr.cycle.export"]
            .with_user(self.user_manager)
            ._generate_xlsx(self.cycle.with_user(self.user_manager))
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        key_results = {
            row[1].value: row for row in book.worksheets[1].iter_rows(min_row=2)
        }
        self.assertIn("€", key_results[amount.name][4].number_format)
        self.assertIn("%", key_results[share.name][4].number_format)
        self.assertNotIn("€", key_results[self.kr_yield.name][4].number_format)
        check_ins = [
            row
            for row in book.worksheets[2].iter_rows(min_row=2)
            if row[1].value == amount.name
        ]
        self.assertEqual(check_ins[0][3].value, 11000)
        self.assertIn("€", check_ins[0][3].number_format)


@tagged("post_install", "-at_install")
class TestOkrQueuedRollUp(OkrTestCommon):
    def test_objective_rolled_up_from_the_committed_key_results(self):
        """What a queued check-in does once it holds its objective: the
        objective's figures come from its key results as the database has
        them now, not from values read before another check-in committed."""
        sibling = self.env["okr.key.result"].create(
            {
                "name": "Scrap 3 to 1",
                "objective_id": self.objective.id,
                "start_value": 3,
                "target_value": 1,
                "direction": "decrease",
            }
        )
        self.env.flush_all()
        self.assertEqual(sibling.progress, 0.0)  # read, so now in cache
        # another transaction's check-in on the sibling, committed meanwhile
        self.env.cr.execute(
            "UPDATE okr_key_result SET progress = 0.5 WHERE id = %s", [sibling.id]
        )
        self.kr_yield.action_check_in(94)  # progress 0.5
        self.kr_yield._queue_objective_roll_up()
        self.env.flush_all()
        self.assertAlmostEqual(self.objective.progress, 0.5)
        self.env.cr.execute(
            "SELECT progress FROM okr_objective WHERE id = %s", [self.objective.id]
        )
        self.assertAlmostEqual(self.env.cr.fetchone()[0], 0.5)

    def test_no_queue_inside_a_started_transaction(self):
        """Inside a transaction that has already read (the web client, a
        cron, a test), check-ins keep the default isolation."""
        self.assertFalse(self.env["okr.key.result"]._queue_check_ins(self.kr_yield.ids))
        self.env.cr.execute("SHOW transaction_isolation")
        self.assertEqual(self.env.cr.fetchone()[0], "repeatable read")
