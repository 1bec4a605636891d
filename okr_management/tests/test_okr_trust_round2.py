"""Trust, second round: wizards, generated files, milestones and numbers.

Each test acts as a non-admin user in a fresh environment, as a JSON-RPC call
does, and asserts both the refusal and that nothing changed.
"""

from contextlib import contextmanager
from datetime import timedelta

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrTrustRound2(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_outsider = new_test_user(
            cls.env,
            login="okr_outsider",
            groups="okr_management.group_okr_user",
            name="Outsider",
        )
        cls.emp_outsider = cls.env["hr.employee"].create(
            {
                "name": "Outsider",
                "user_id": cls.user_outsider.id,
                "department_id": cls.dep_qa.id,
            }
        )
        KeyResult = cls.env["okr.key.result"]
        # a private objective nobody of the line may read
        cls.secret_objective = cls.env["okr.objective"].create(
            {
                "name": "Secret plan",
                "cycle_id": cls.cycle.id,
                "level": "individual",
                "owner_id": cls.emp_outsider.id,
                "department_id": cls.dep_qa.id,
                "visibility": "private",
                "state": "active",
            }
        )
        cls.kr_secret = KeyResult.create(
            {
                "name": "Secret figure",
                "objective_id": cls.secret_objective.id,
                "start_value": 0,
                "target_value": 100,
            }
        )
        cls.secret_check_in = cls.env["okr.check.in"].browse(
            cls.kr_secret.with_user(cls.user_outsider).action_check_in(42)
        )
        cls.kr_secret_steps = KeyResult.create(
            {
                "name": "Secret steps",
                "objective_id": cls.secret_objective.id,
                "metric_type": "milestone",
            }
        )
        Milestone = cls.env["okr.key.result.milestone"]
        cls.ms_secret = Milestone.create(
            {
                "key_result_id": cls.kr_secret_steps.id,
                "name": "Secret step",
                "date_deadline": cls.today + timedelta(days=5),
            }
        )
        # the line lead's own milestone key result
        cls.kr_launch = KeyResult.create(
            {
                "name": "Line 3 launched",
                "objective_id": cls.objective.id,
                "metric_type": "milestone",
            }
        )
        cls.ms_own = Milestone.create(
            {
                "key_result_id": cls.kr_launch.id,
                "name": "Machines installed",
                "weight": 1,
                "date_deadline": cls.today + timedelta(days=10),
            }
        )
        cls.ms_own.action_done()
        # another company's key result
        company_b = cls.env["res.company"].create({"name": "Plant B Trust"})
        employee_b = cls.env["hr.employee"].create(
            {"name": "Plant B Lead", "company_id": company_b.id}
        )
        cycle_b = cls.env["okr.cycle"].create(
            {
                "name": "Plant B Quarter",
                "date_start": cls.cycle.date_start,
                "date_end": cls.cycle.date_end,
                "company_id": company_b.id,
            }
        )
        objective_b = cls.env["okr.objective"].create(
            {
                "name": "Plant B output",
                "cycle_id": cycle_b.id,
                "level": "company",
                "owner_id": employee_b.id,
                "visibility": "public",
            }
        )
        cls.kr_other_company = KeyResult.create(
            {
                "name": "Plant B units",
                "objective_id": objective_b.id,
                "start_value": 0,
                "target_value": 100,
            }
        )

    @contextmanager
    def assertRefused(self, exception, regex=""):
        """The call raises ``exception`` and changes nothing (rolled back as
        the RPC layer does)."""
        with self.assertRaisesRegex(exception, regex), self.env.cr.savepoint():
            yield

    def _as(self, user):
        """A fresh environment of ``user``, as an RPC call would get."""
        self.env.flush_all()
        self.env.invalidate_all()
        return self.env(user=user)

    def _count(self, model, domain=None):
        self.env.flush_all()
        return self.env[model].sudo().search_count(domain or [])

    # ------------------------------------------------------------------
    # 1. Wizards show only what their user may read
    # ------------------------------------------------------------------
    def test_quick_check_in_wizard_refuses_unreadable_key_results(self):
        before = self._count("okr.check.in.wizard")
        for user, key_result in (
            (self.user_lead, self.kr_secret),
            (self.user_manager, self.kr_secret),
            (self.user_lead, self.kr_other_company),
        ):
            Wizard = self._as(user)["okr.check.in.wizard"]
            with self.assertRefused(AccessError):
                Wizard.create({"key_result_id": key_result.id})
            with self.assertRefused(AccessError):
                Wizard.create({"objective_id": key_result.objective_id.id})
            # opened from the key result: default_get reads the context
            with self.assertRefused(AccessError):
                Wizard.with_context(
                    active_model="okr.key.result", active_id=key_result.id
                ).default_get(["key_result_id", "current_value", "target_value"])
            with self.assertRefused(AccessError):
                Wizard.onchange(
                    {"key_result_id": key_result.id},
                    ["key_result_id"],
                    {"key_result_id": {}, "current_value": {}, "value": {}},
                )
        self.assertEqual(self._count("okr.check.in.wizard"), before)
        # a readable key result still opens the wizard with its figures
        wizard = self._as(self.user_lead)["okr.check.in.wizard"].create(
            {"key_result_id": self.kr_yield.id}
        )
        self.assertEqual(wizard.target_value, 96)

    def test_team_check_in_line_refuses_unreadable_key_results(self):
        env = self._as(self.user_lead)
        wizard = env["okr.team.check.in"].create(
            {"cycle_id": self.cycle.id, "department_id": self.dep_prod.id}
        )
        self.assertNotIn(self.kr_secret, wizard.line_ids.key_result_id)
        for key_result in (self.kr_secret, self.kr_other_company):
            with self.assertRefused(AccessError):
                env["okr.team.check.in.line"].create(
                    {"wizard_id": wizard.id, "key_result_id": key_result.id}
                )
            with self.assertRefused(AccessError):
                wizard.write(
                    {"line_ids": [Command.create({"key_result_id": key_result.id})]}
                )
            with self.assertRefused(AccessError):
                wizard.line_ids[:1].write({"key_result_id": key_result.id})
        self.assertFalse(
            self.env["okr.team.check.in.line"]
            .sudo()
            .search_count(
                [
                    (
                        "key_result_id",
                        "in",
                        (self.kr_secret | self.kr_other_company).ids,
                    )
                ]
            )
        )
        self.assertEqual(self.kr_secret.current_value, 42)

    def test_grade_and_carry_over_refuse_unreadable_key_results(self):
        env = self._as(self.user_manager)
        grades_before = self._count("okr.key.result.grade")
        for key_result in (self.kr_secret, self.kr_other_company):
            with self.assertRefused(AccessError):
                env["okr.key.result.grade"].create(
                    {"key_result_id": key_result.id, "grade": 1.0}
                )
            with self.assertRefused(AccessError):
                env["okr.key.result.grade"].with_context(
                    default_key_result_id=key_result.id
                ).default_get(["key_result_id", "grade", "progress"])
        self.assertEqual(self._count("okr.key.result.grade"), grades_before)
        # the carry-over lists only the key results the manager may read
        (self.objective | self.secret_objective).sudo().write(
            {"retro_decision": "keep"}
        )
        next_cycle = self.env["okr.cycle"].create(
            {
                "name": "Next Quarter",
                "date_start": self.cycle.date_end + timedelta(days=1),
                "date_end": self.cycle.date_end + timedelta(days=90),
            }
        )
        wizard = env["okr.carry.over"].create(
            {"source_cycle_id": self.cycle.id, "target_cycle_id": next_cycle.id}
        )
        self.assertIn(self.kr_yield, wizard.line_ids.key_result_id)
        self.assertNotIn(self.kr_secret, wizard.line_ids.key_result_id)
        self.assertNotIn(self.secret_objective, wizard.objective_ids)
        lines_before = self._count("okr.carry.over.line")
        with self.assertRefused(AccessError):
            env["okr.carry.over.line"].create(
                {"wizard_id": wizard.id, "key_result_id": self.kr_secret.id}
            )
        with self.assertRefused(AccessError):
            wizard.line_ids[:1].write({"key_result_id": self.kr_secret.id})
        self.assertEqual(self._count("okr.carry.over.line"), lines_before)

    def test_other_wizards_refuse_unreadable_records(self):
        env = self._as(self.user_lead)
        with self.assertRefused(AccessError):
            env["okr.check.in.acknowledge"].create(
                {"check_in_ids": [Command.set(self.secret_check_in.ids)]}
            )
        template = self.env["okr.objective.template"].search([], limit=1)
        if template:
            with self.assertRefused(AccessError):
                env["okr.template.apply"].create(
                    {
                        "template_id": template.id,
                        "cycle_id": self.cycle.id,
                        "owner_id": self.emp_lead.id,
                        "parent_id": self.secret_objective.id,
                    }
                )
        self.assertFalse(self.secret_check_in.acknowledged_by_id)
        self.assertFalse(
            self.env["okr.objective"].search_count(
                [("parent_id", "=", self.secret_objective.id)]
            )
        )

    # ------------------------------------------------------------------
    # 2. Generated files belong to who asked for them
    # ------------------------------------------------------------------
    def test_cycle_workbook_belongs_to_its_user(self):
        action = (
            self._as(self.user_manager)["okr.cycle"]
            .browse(self.cycle.id)
            .action_export_xlsx()
        )
        attachment_id = int(action["url"].split("/web/content/")[1].split("?")[0])
        attachment = self.env["ir.attachment"].sudo().browse(attachment_id)
        self.assertFalse(attachment.res_model)
        self.assertFalse(attachment.res_id)
        self.assertFalse(attachment.public)
        self.assertEqual(attachment.create_uid, self.user_manager)
        # its user reads it
        self.assertTrue(
            self._as(self.user_manager)["ir.attachment"]
            .browse(attachment_id)
            .read(["datas"])[0]["datas"]
        )
        # nobody else finds or reads it, an OKR Administrator included
        for user in (self.user_lead, self.user_admin):
            Attachment = self._as(user)["ir.attachment"]
            self.assertFalse(
                Attachment.search(
                    [
                        "|",
                        ("id", "=", attachment_id),
                        "&",
                        ("res_model", "=", "okr.cycle"),
                        ("res_id", "=", self.cycle.id),
                    ]
                )
            )
            with self.assertRefused(AccessError):
                Attachment.browse(attachment_id).read(["datas"])

    # ------------------------------------------------------------------
    # 3. Milestones follow their key result as check-ins do
    # ------------------------------------------------------------------
    def test_milestone_stays_on_its_key_result(self):
        milestone = self._as(self.user_lead)["okr.key.result.milestone"].browse(
            self.ms_own.id
        )
        own_other = self.env["okr.key.result"].create(
            {
                "name": "Line 4 launched",
                "objective_id": self.objective.id,
                "metric_type": "milestone",
            }
        )
        for key_result in (self.kr_secret_steps, own_other):
            with self.assertRefused(AccessError, "cannot be written"):
                milestone.write({"key_result_id": key_result.id})
        self.env.invalidate_all()
        self.assertEqual(self.ms_own.key_result_id, self.kr_launch)
        self.assertEqual(self.kr_launch.current_value, 100)
        self.assertEqual(self.kr_secret_steps.current_value, 0)
        self.assertFalse(self.kr_secret_steps.check_in_ids)

    def test_milestones_of_others_refused(self):
        # the operator neither owns nor manages the line lead's key result
        env = self._as(self.user_worker)
        with self.assertRefused(AccessError):
            env["okr.key.result.milestone"].create(
                {
                    "key_result_id": self.kr_launch.id,
                    "name": "Sneaked in",
                    "weight": 100,
                    "date_deadline": self.today,
                }
            )
        env = self._as(self.user_lead)
        with self.assertRefused(AccessError):
            env["okr.key.result.milestone"].create(
                {
                    "key_result_id": self.kr_secret_steps.id,
                    "name": "Sneaked in",
                    "date_deadline": self.today,
                }
            )
        self.assertEqual(len(self.kr_launch.milestone_ids), 1)
        self.assertEqual(len(self.kr_secret_steps.milestone_ids), 1)
        self.assertEqual(self.kr_launch.current_value, 100)

    def test_milestones_of_a_closed_cycle_are_locked(self):
        self.cycle.sudo().write({"state": "closed"})
        env = self._as(self.user_lead)
        Milestone = env["okr.key.result.milestone"]
        with self.assertRefused(UserError, "is closed"):
            Milestone.create(
                {
                    "key_result_id": self.kr_launch.id,
                    "name": "Late step",
                    "date_deadline": self.today,
                }
            )
        milestone = Milestone.browse(self.ms_own.id)
        with self.assertRefused(UserError, "is closed"):
            milestone.write({"weight": 5, "name": "Renamed"})
        with self.assertRefused(UserError, "is closed"):
            milestone.unlink()
        self.env.invalidate_all()
        self.assertEqual(self.kr_launch.milestone_ids, self.ms_own)
        self.assertEqual(self.ms_own.weight, 1)
        self.assertEqual(self.ms_own.name, "Machines installed")
        self.assertEqual(self.kr_launch.current_value, 100)

    def test_milestone_weight_is_bounded(self):
        milestone = self._as(self.user_lead)["okr.key.result.milestone"].browse(
            self.ms_own.id
        )
        for weight in (1001, 1e308, float("inf"), "abc", "nan", [1]):
            with self.assertRefused(ValidationError, "Weight"):
                milestone.write({"weight": weight})
        self.env.invalidate_all()
        self.assertEqual(self.ms_own.weight, 1)
        # the database refuses it too
        with (
            self.assertRaises(psycopg2.errors.CheckViolation),
            self.env.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self.env.cr.execute(
                "UPDATE okr_key_result_milestone SET weight = 1e300 WHERE id = %s",
                [self.ms_own.id],
            )
        # a valid weight: the running cycle keeps the weights as they are
        with self.assertRefused(UserError, "running cycle"):
            milestone.write({"weight": 1000})
        self.ms_own.write({"weight": 1000})  # the bound itself holds
        self.assertEqual(self.ms_own.weight, 1000)

    # ------------------------------------------------------------------
    # 4. Numbers are numbers
    # ------------------------------------------------------------------
    def test_numeric_fields_refuse_bad_values(self):
        key_result = self._as(self.user_lead)["okr.key.result"].browse(self.kr_yield.id)
        for value in (
            "abc",
            float("nan"),
            float("inf"),
            -1e300,
            "1e400",
            10**400,
            [5],
            True,
        ):
            with self.assertRefused(ValidationError, "Target Value"):
                key_result.write({"target_value": value})
        with self.assertRefused(ValidationError, "Sequence"):
            key_result.write({"sequence": 2**40})
        with self.assertRefused(ValidationError, "Sequence"):
            key_result.write({"sequence": "ten"})
        objective = self._as(self.user_lead)["okr.objective"]
        with self.assertRefused(ValidationError, "Color"):
            objective.browse(self.objective.id).write({"color": "red"})
        with self.assertRefused(ValidationError, "Target Value"):
            objective.browse(self.objective.id).write(
                {
                    "key_result_ids": [
                        Command.create({"name": "Bad", "target_value": "abc"})
                    ]
                }
            )
        self.env.invalidate_all()
        self.assertEqual(self.kr_yield.target_value, 96)
        self.assertEqual(self.kr_yield.sequence, 10)
        self.assertEqual(len(self.objective.key_result_ids), 2)
        # a number given as text is still a number; a running cycle's target
        # changes through an approved request
        change_id = key_result.action_request_change({"target_value": "97.5"}, "die")
        self._as(self.user_manager)["okr.key.result.change"].browse(
            change_id
        ).action_approve()
        self.assertEqual(self.kr_yield.target_value, 97.5)

    def test_numbers_of_wizards_templates_and_imports(self):
        env = self._as(self.user_lead)
        with self.assertRefused(ValidationError, "Value"):
            env["okr.check.in.wizard"].create(
                {"key_result_id": self.kr_yield.id, "value": "abc"}
            )
        with self.assertRefused(ValidationError, "Confidence"):
            env["okr.check.in.wizard"].create(
                {"key_result_id": self.kr_yield.id, "confidence": 2**40}
            )
        admin_env = self._as(self.user_admin)
        template = admin_env["okr.key.result.template"].search([], limit=1)
        if template:
            weight = template.weight
            with self.assertRefused(ValidationError, "Weight"):
                template.write({"weight": "heavy"})
            self.assertEqual(template.weight, weight)
        # an import reports the field instead of a traceback
        result = env["okr.key.result"].load(
            ["name", "objective_id/.id", "target_value"],
            [["Imported", str(self.objective.id), "nan"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("Target Value", str(result["messages"]))
        self.assertFalse(
            self.env["okr.key.result"].search_count([("name", "=", "Imported")])
        )
        self.assertFalse(self.kr_yield.check_in_ids)

    # ------------------------------------------------------------------
    # 5. Side doors: alignment to what one may not read
    # ------------------------------------------------------------------
    def test_alignment_only_to_readable_objectives(self):
        env = self._as(self.user_lead)
        objective = env["okr.objective"].browse(self.objective.id)
        with self.assertRefused(AccessError, "Aligned To"):
            objective.write({"parent_id": self.secret_objective.id})
        with self.assertRefused(AccessError, "Aligned To"):
            objective.write(
                {
                    "parent_id": self.secret_objective.id,
                    "parent_key_result_id": self.kr_secret.id,
                }
            )
        with self.assertRefused(AccessError, "Aligned To"):
            env["okr.objective"].create(
                {
                    "name": "Under the secret plan",
                    "cycle_id": self.cycle.id,
                    "level": "individual",
                    "owner_id": self.emp_lead.id,
                    "parent_id": self.secret_objective.id,
                }
            )
        self.env.invalidate_all()
        self.assertFalse(self.objective.parent_id)
        self.assertFalse(self.secret_objective.child_ids)
        self.assertEqual(self.kr_secret.current_value, 42)

    def test_forms_never_show_unreadable_records(self):
        """The objective form's defaults and onchanges refuse a private
        objective or key result of someone else (their names would show)."""
        Objective = self._as(self.user_lead)["okr.objective"]
        spec = {"parent_id": {"fields": {"display_name": {}}}, "name": {}}
        with self.assertRefused(AccessError):
            Objective.with_context(
                default_parent_id=self.secret_objective.id
            ).default_get(["parent_id", "name"])
        with self.assertRefused(AccessError):
            Objective.onchange({"parent_id": self.secret_objective.id}, [], spec)
        with self.assertRefused(AccessError):
            Objective.browse(self.objective.id).onchange(
                {"parent_id": self.secret_objective.id}, ["parent_id"], spec
            )
        # a readable parent still works
        result = Objective.browse(self.objective.id).onchange(
            {"name": "Raise line capacity again"}, ["name"], spec
        )
        self.assertIn("value", result)
        self.assertFalse(self.objective.parent_id)

    def test_wizards_are_their_users_own(self):
        """A team check-in keeps the figures it showed its user: another
        OKR user neither finds nor reads it."""
        wizard = self._as(self.user_lead)["okr.team.check.in"].create(
            {"cycle_id": self.cycle.id, "department_id": self.dep_prod.id}
        )
        line_ids = wizard.line_ids.ids
        self.assertTrue(line_ids)
        for user in (self.user_worker, self.user_manager, self.user_outsider):
            env = self._as(user)
            self.assertFalse(env["okr.team.check.in"].search([("id", "=", wizard.id)]))
            self.assertFalse(
                env["okr.team.check.in.line"].search([("id", "in", line_ids)])
            )
            with self.assertRefused(AccessError):
                env["okr.team.check.in.line"].browse(line_ids).read(["current_value"])
            with self.assertRefused(AccessError):
                env["okr.team.check.in"].browse(wizard.id).write(
                    {"team_type": "reports"}
                )
        # its user still works with it
        env = self._as(self.user_lead)
        self.assertEqual(
            env["okr.team.check.in.line"].search([("id", "in", line_ids)]).ids, line_ids
        )
        self.assertEqual(wizard.team_type, "department")

    def test_legacy_workbooks_detached_from_their_cycle(self):
        """Workbooks exported before the fix were attached to the cycle: the
        migration makes them their exporter's alone, and leaves a workbook
        posted in the cycle's chatter where it is."""
        Attachment = self.env["ir.attachment"]
        xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        legacy = (
            Attachment.with_user(self.user_manager)
            .sudo()
            .create(
                {
                    "name": "OKR Test Quarter.xlsx",
                    "raw": b"PK",
                    "res_model": "okr.cycle",
                    "res_id": self.cycle.id,
                    "mimetype": xlsx,
                }
            )
        )
        posted = Attachment.create(
            {
                "name": "Shared plan.xlsx",
                "raw": b"PK",
                "res_model": "okr.cycle",
                "res_id": self.cycle.id,
                "mimetype": xlsx,
            }
        )
        self.cycle.message_post(body="Plan", attachment_ids=posted.ids)
        # before: any OKR user reads the legacy workbook through the cycle
        self.assertTrue(
            self._as(self.user_lead)["ir.attachment"]
            .browse(legacy.id)
            .read(["datas"])[0]["datas"]
        )
        detached = self.env["okr.cycle.export"]._detach_legacy_workbooks()
        self.assertEqual(detached, legacy)
        self.assertFalse(legacy.res_model)
        self.assertEqual(legacy.create_uid, self.user_manager)
        with self.assertRefused(AccessError):
            self._as(self.user_lead)["ir.attachment"].browse(legacy.id).read(["datas"])
        self.assertTrue(
            self._as(self.user_manager)["ir.attachment"]
            .browse(legacy.id)
            .read(["datas"])[0]["datas"]
        )
        self.assertEqual(posted.res_model, "okr.cycle")
        self.assertEqual(posted.res_id, self.cycle.id)
