from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..hooks import uninstall_hook
from .common import APPRAISAL_OFFICER, APPRAISAL_USER, OkrAppraisalCommon

REFERENCE_REFUSED = "cannot be written by hand"
LINE_REFUSED = "cannot be created, changed or deleted by hand"
SNAPSHOT_FIELDS = [
    "key_result_id",
    "objective_id",
    "key_result_name",
    "objective_name",
    "cycle_name",
    "weight",
    "value",
    "target_value",
    "progress",
    "score",
    "reopened_on",
    "frozen_on",
]


@tagged("post_install", "-at_install")
class TestOkrAppraisalTrust(OkrAppraisalCommon):
    """The OKR reference of an appraisal is written by our freeze, thaw and
    sync code only: hr_appraisal_oca lets every internal user write
    appraisals, so each refusal is tried as the users who can write them, in
    a fresh environment as an RPC call would be."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_all = new_test_user(
            cls.env,
            login="okra_all_groups",
            groups=(
                f"base.group_system,{APPRAISAL_USER},{APPRAISAL_OFFICER},"
                "okr_management.group_okr_admin"
            ),
            name="All Groups",
        )
        # the peer is set as a manager of the appraisal: she may write it
        cls.appraisal = cls._create_appraisal(
            cls, manager_ids=[Command.set([cls.emp_boss.id, cls.emp_peer.id])]
        )

    def _as(self, user, records):
        """``records`` as ``user`` in a fresh environment (an RPC call)."""
        self.env.invalidate_all()
        return records.with_env(self.env(user=user))

    def _reference(self, appraisal):
        """Everything of the reference, read as superuser from the database."""
        self.env.invalidate_all()
        appraisal = appraisal.sudo()
        lines = (
            self.env["okr.appraisal.line"]
            .sudo()
            .search([("appraisal_id", "=", appraisal.id)], order="id")
        )
        return (
            appraisal.read(
                [
                    "okr_score",
                    "okr_score_frozen",
                    "okr_frozen_date",
                    "okr_frozen_check_in_regularity",
                    "okr_key_result_count",
                    "okr_weight_total",
                    "okr_period_start",
                    "okr_period_end",
                ]
            ),
            lines.read(SNAPSHOT_FIELDS),
        )

    def _complete(self, appraisal):
        as_boss = self._as(self.user_boss, appraisal)
        if as_boss.state == "1_new":
            as_boss.action_confirm()
        as_boss.action_done()
        self.assertTrue(appraisal.sudo().okr_score_frozen)

    def _writers(self):
        """Who can write the appraisal under hr_appraisal_oca's rules."""
        return {
            "appraisee": self.user_staff,
            "colleague set as manager": self.user_peer,
            "HR officer": self.user_hr,
            "user with every group": self.user_all,
        }

    def test_reference_fields_refused_to_every_writer(self):
        for frozen in (False, True):
            if frozen:
                self._complete(self.appraisal)
            line = self.appraisal.sudo().okr_line_ids[:1]
            attempts = {
                "okr_score": 1.0,
                "okr_score_frozen": not frozen,
                "okr_frozen_date": "2020-01-01 00:00:00",
                "okr_frozen_check_in_regularity": 1.0,
                "okr_key_result_count": 99,
                "okr_weight_total": 99.0,
                "okr_line_ids": [Command.update(line.id, {"score": 1.0})],
            }
            before = self._reference(self.appraisal)
            for who, user in self._writers().items():
                for field_name, value in attempts.items():
                    with self.subTest(frozen=frozen, who=who, field=field_name):
                        appraisal = self._as(user, self.appraisal)
                        with self.assertRaisesRegex(AccessError, REFERENCE_REFUSED):
                            appraisal.write({field_name: value})
                        self.assertEqual(self._reference(self.appraisal), before)

    def test_line_commands_through_the_appraisal_refused(self):
        line = self.appraisal.sudo().okr_line_ids[:1]
        before = self._reference(self.appraisal)
        commands = [
            [Command.create({"key_result_id": self.kr_public.id, "score": 1.0})],
            [Command.delete(line.id)],
            [Command.unlink(line.id)],
            [Command.clear()],
            [Command.set([])],
        ]
        for command in commands:
            with self.subTest(command=command):
                appraisal = self._as(self.user_hr, self.appraisal)
                with self.assertRaisesRegex(AccessError, REFERENCE_REFUSED):
                    appraisal.write({"okr_line_ids": command})
                with self.assertRaisesRegex(AccessError, REFERENCE_REFUSED):
                    appraisal.write({"okr_version_line_ids": command})
        self.assertEqual(self._reference(self.appraisal), before)

    def test_create_with_a_forged_reference_refused(self):
        Appraisal = self.env["hr.appraisal"]
        count = Appraisal.sudo().search_count([])
        forged = {
            "employee_id": self.emp_staff.id,
            "date_close": self.today + timedelta(days=20),
        }
        for field_name, value in (
            ("okr_score", 1.0),
            ("okr_score_frozen", True),
            ("okr_key_result_count", 7),
            (
                "okr_line_ids",
                [Command.create({"key_result_name": "Fake", "score": 1.0})],
            ),
        ):
            for who, user in self._writers().items():
                with self.subTest(who=who, field=field_name):
                    with self.assertRaisesRegex(AccessError, REFERENCE_REFUSED):
                        self._as(user, Appraisal).create({**forged, field_name: value})
        self.assertEqual(Appraisal.sudo().search_count([]), count)
        self.assertFalse(
            self.env["okr.appraisal.line"]
            .sudo()
            .search([("key_result_name", "=", "Fake")])
        )

    def test_lines_refused_to_every_writer(self):
        """Whatever ACL a later module might add, only our code writes lines."""
        self._complete(self.appraisal)
        line = self.appraisal.sudo().okr_line_ids.filtered(
            lambda line: line.key_result_id == self.kr_public
        )
        before = self._reference(self.appraisal)
        for who, user in self._writers().items():
            with self.subTest(who=who):
                Line = self._as(user, self.env["okr.appraisal.line"])
                with self.assertRaises(AccessError):
                    Line.browse(line.id).write({"score": 1.0, "key_result_name": "X"})
                with self.assertRaises(AccessError):
                    Line.browse(line.id).unlink()
                with self.assertRaises(AccessError):
                    Line.create(
                        {
                            "appraisal_id": self.appraisal.id,
                            "key_result_id": self.kr_public.id,
                        }
                    )
        self.assertEqual(self._reference(self.appraisal), before)
        # the refusal is ours, not an ACL's: the same for a user with every group
        Line = self._as(self.user_all, self.env["okr.appraisal.line"])
        with self.assertRaisesRegex(AccessError, LINE_REFUSED):
            Line.browse(line.id).write({"score": 1.0})
        with self.assertRaisesRegex(AccessError, LINE_REFUSED):
            Line.browse(line.id).unlink()

    def test_period_chosen_by_managers_only(self):
        before = self._reference(self.appraisal)
        new_start = self.appraisal.okr_period_start - timedelta(days=300)
        # the appraisee, even listed among the managers (hr_appraisal_oca
        # lets her), does not choose the period that rates her
        self.appraisal.sudo().manager_ids = [Command.link(self.emp_staff.id)]
        for user in (self.user_staff, self.user_outsider):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self._as(user, self.appraisal).write(
                        {"okr_period_start": new_start}
                    )
        self.assertEqual(self._reference(self.appraisal), before)
        self.assertFalse(self._as(self.user_staff, self.appraisal).okr_period_editable)
        as_boss = self._as(self.user_boss, self.appraisal)
        self.assertTrue(as_boss.okr_period_editable)
        as_boss.okr_period_start = new_start
        self.assertEqual(self.appraisal.sudo().okr_period_start, new_start)
        self._as(self.user_hr, self.appraisal).okr_period_start = new_start + timedelta(
            days=1
        )
        self.assertEqual(
            self.appraisal.sudo().okr_period_start, new_start + timedelta(days=1)
        )

    def test_appraisee_creating_gets_the_default_period(self):
        as_staff = self._as(self.user_staff, self.env["hr.appraisal"])
        appraisal = as_staff.create(
            {
                "employee_id": self.emp_staff.id,
                "date_close": self.today + timedelta(days=60),
                "okr_period_start": self.today - timedelta(days=20),
                "okr_period_end": self.today + timedelta(days=60),
            }
        )
        self.assertEqual(
            appraisal.sudo().okr_period_start,
            self.today + timedelta(days=10),
            "the default: the date of her previous appraisal",
        )

    def test_snapshot_survives_deleting_key_result_and_objective(self):
        """Key results without check-ins, so nothing archives them instead."""
        objective = self._create_objective("Temporary objective", self.cycle_running)
        private = self._create_objective(
            "Secret objective", self.cycle_running, visibility="private"
        )
        Kr = self.env["okr.key.result"]
        kr = Kr.create(
            {
                "name": "Temporary KR",
                "objective_id": objective.id,
                "start_value": 0,
                "target_value": 40,
                "weight": 3,
            }
        )
        secret_kr = Kr.create(
            {"name": "Secret KR", "objective_id": private.id, "target_value": 8}
        )
        appraisal = self._create_appraisal(
            manager_ids=[Command.set([self.emp_boss.id, self.emp_peer.id])]
        )
        self._complete(appraisal)
        Line = self.env["okr.appraisal.line"].sudo()
        line = Line.search(
            [("appraisal_id", "=", appraisal.id), ("key_result_id", "=", kr.id)]
        )
        secret = Line.search(
            [("appraisal_id", "=", appraisal.id), ("key_result_id", "=", secret_kr.id)]
        )
        score = appraisal.okr_score
        (kr | secret_kr).sudo().unlink()
        (objective | private).sudo().unlink()
        self.env.invalidate_all()
        self.assertTrue(line.exists() and secret.exists())
        self.assertRecordValues(
            line,
            [
                {
                    "key_result_id": False,
                    "objective_id": False,
                    "key_result_name": "Temporary KR",
                    "objective_name": "Temporary objective",
                    "cycle_name": "Running Cycle",
                    "weight": 3.0,
                    "value": 0.0,
                    "target_value": 40.0,
                    "progress": 0.0,
                    "score": 0.0,
                }
            ],
        )
        self.assertEqual(secret.objective_visibility, "private")
        self.assertAlmostEqual(appraisal.okr_score, score)
        # still readable by the appraisal's readers; the private one by the
        # appraisee only (its owner), not by the colleague managing the appraisal
        for user, expected in (
            (self.user_hr, {"Temporary KR"}),
            (self.user_peer, {"Temporary KR"}),
            (self.user_staff, {"Temporary KR", "Secret KR"}),
        ):
            with self.subTest(user=user.login):
                names = set(
                    self._as(user, appraisal).okr_line_ids.mapped("key_result_name")
                )
                self.assertEqual(names & {"Temporary KR", "Secret KR"}, expected)
        with self.assertRaises(AccessError):
            self._as(self.user_peer, secret).read(["key_result_name"])

    def test_reopen_keeps_previous_version(self):
        self._complete(self.appraisal)
        frozen = self.appraisal.sudo()
        frozen_date = frozen.okr_frozen_date
        old = {
            line.key_result_id.id: (line.key_result_name, line.score)
            for line in frozen.okr_line_ids
        }
        old_score = frozen.okr_score
        messages = frozen.message_ids
        self._as(self.user_boss, self.appraisal).action_back()
        self.kr_public.action_check_in(100)

        appraisal = self.appraisal.sudo()
        self.env.invalidate_all()
        self.assertFalse(appraisal.okr_score_frozen)
        versions = appraisal.okr_version_line_ids
        self.assertEqual(
            {
                line.key_result_id.id: (line.key_result_name, line.score)
                for line in versions
            },
            old,
        )
        self.assertEqual(set(versions.mapped("frozen_on")), {frozen_date})
        self.assertTrue(all(versions.mapped("reopened_on")))
        # the live lines follow the key results again, the version does not
        live = appraisal.okr_line_ids.filtered(
            lambda line: line.key_result_id == self.kr_public
        )
        self.assertAlmostEqual(live.score, 1.0)
        self.assertNotEqual(appraisal.okr_score, old_score)
        self.assertAlmostEqual(
            versions.filtered(lambda line: line.key_result_id == self.kr_public).score,
            0.5,
        )
        note = appraisal.message_ids - messages
        self.assertEqual(len(note), 1)
        self.assertIn("Previous OKR References", note.body)
        self.assertIn(f"{old_score:.2f}", note.body)
        # the version is protected and follows the objective rules like the lines
        with self.assertRaisesRegex(AccessError, LINE_REFUSED):
            self._as(self.user_all, versions[:1]).write({"score": 1.0})
        peer_names = self._as(
            self.user_peer, self.appraisal
        ).okr_version_line_ids.mapped("key_result_name")
        self.assertNotIn("Private KR", peer_names)
        self.assertIn("Output", peer_names)

        # a second completion and reopening keep both versions
        self._complete(self.appraisal)
        self._as(self.user_boss, self.appraisal).action_back()
        self.env.invalidate_all()
        self.assertEqual(len(appraisal.okr_version_line_ids), 2 * len(versions))

    def test_uninstall_hook_posts_frozen_reference(self):
        done = self.appraisal
        self._complete(done)
        reopened = self._create_appraisal(date_close=self.today + timedelta(days=30))
        self._complete(reopened)
        self._as(self.user_boss, reopened).action_back()
        still_open = self._create_appraisal(date_close=self.today + timedelta(days=40))
        before = {
            record: record.sudo().message_ids for record in (done, reopened, still_open)
        }
        uninstall_hook(self.env)

        posted = done.sudo().message_ids - before[done]
        self.assertEqual(len(posted), 1)
        body = posted.body
        self.assertIn("<table", body)
        for text in (
            "Output",
            "Closed KR",
            "Public objective",
            f"{done.okr_score:.2f}",
        ):
            self.assertIn(text, body)
        # the chatter has no objective rules: no private name in it
        self.assertNotIn("Private KR", body)
        self.assertIn("<td>-</td>", body)
        self.assertIn(
            "Previous OKR reference",
            (reopened.sudo().message_ids - before[reopened]).body,
        )
        self.assertFalse(still_open.sudo().message_ids - before[still_open])

    def test_report_rows_follow_appraisal_rules(self):
        """The report's SQL view reads hr_appraisal directly: a rule hiding an
        appraisal from the reader hides its row and its export."""
        other = self._create_appraisal(employee=self.emp_boss)
        Report = self.env["okr.appraisal.report"]
        self.assertIn(
            self.appraisal, self._as(self.user_hr, Report).search([]).appraisal_id
        )
        self.env["ir.rule"].create(
            {
                "name": "No appraisal of Staff",
                "model_id": self.env.ref("hr_appraisal_oca.model_hr_appraisal").id,
                "domain_force": f"[('employee_id', '!=', {self.emp_staff.id})]",
            }
        )
        rows = self._as(self.user_hr, Report).search([])
        self.assertNotIn(self.appraisal, rows.sudo().appraisal_id)
        self.assertIn(other, rows.sudo().appraisal_id)
        self.assertFalse(
            self._as(self.user_hr, Report).search_count(
                [("employee_id", "=", self.emp_staff.id)]
            )
        )
