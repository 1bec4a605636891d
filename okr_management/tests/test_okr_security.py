from odoo.exceptions import AccessError
from odoo.models import BaseModel
from odoo.tests import new_test_user

from .common import OkrTestCommon


class TestOkrSecurity(OkrTestCommon):
    """Who sees which objective, key result and check-in, and who may check in.

    The operator owns three objectives in Production, one per visibility. His
    reporting line: Line Lead, then Plant Manager.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.dep_line = cls.env["hr.department"].create(
            {"name": "Line 2 Test", "parent_id": cls.dep_prod.id}
        )

        def user_with_employee(login, name, department, groups, parent=False):
            user = new_test_user(cls.env, login=login, groups=groups, name=name)
            Employee.create(
                {
                    "name": name,
                    "user_id": user.id,
                    "department_id": department.id,
                    "parent_id": parent and parent.id,
                }
            )
            return user

        user_group = "okr_management.group_okr_user"
        cls.user_peer = user_with_employee(
            "okr_peer", "Peer", cls.dep_prod, user_group, cls.emp_manager
        )
        cls.user_ops = user_with_employee(
            "okr_ops", "Ops Clerk", cls.dep_ops, user_group
        )
        cls.user_sub = user_with_employee(
            "okr_sub", "Line 2 Operator", cls.dep_line, user_group
        )
        cls.user_manager_other = user_with_employee(
            "okr_manager_qa",
            "Quality Manager",
            cls.dep_qa,
            "okr_management.group_okr_manager",
        )

        cls.objectives = {}
        cls.key_results = {}
        cls.check_ins = {}
        for visibility in ("private", "department", "public"):
            objective = cls.env["okr.objective"].create(
                {
                    "name": f"Operator {visibility}",
                    "cycle_id": cls.cycle.id,
                    "level": "individual",
                    "owner_id": cls.emp_worker.id,
                    "department_id": cls.dep_prod.id,
                    "visibility": visibility,
                    "state": "active",
                }
            )
            key_result = cls.env["okr.key.result"].create(
                {
                    "name": f"KR {visibility}",
                    "objective_id": objective.id,
                    "start_value": 0,
                    "target_value": 10,
                }
            )
            check_in = cls.env["okr.check.in"].browse(key_result.action_check_in(2))
            cls.objectives[visibility] = objective
            cls.key_results[visibility] = key_result
            cls.check_ins[visibility] = check_in

    def assertSees(self, user, visible):
        """``user`` sees exactly the objectives (key results, check-ins) of
        the visibilities in ``visible``."""
        for records, label in (
            (self.objectives, "objectives"),
            (self.key_results, "key results"),
            (self.check_ins, "check-ins"),
        ):
            model = next(iter(records.values()))._name
            all_ids = [record.id for record in records.values()]
            found = self.env[model].with_user(user).search([("id", "in", all_ids)])
            expected = {records[visibility].id for visibility in visible}
            self.assertEqual(
                set(found.ids), expected, f"{user.name} sees the wrong {label}"
            )
            for visibility, record in records.items():
                if visibility in visible:
                    record.with_user(user).read(["display_name"])
                else:
                    with self.assertRaises(AccessError, msg=f"{user.name} {label}"):
                        record.with_user(user).read(["display_name"])

    def test_owner_sees_all_own(self):
        self.assertSees(self.user_worker, {"private", "department", "public"})

    def test_owners_managers_see_private(self):
        self.assertSees(self.user_lead, {"private", "department", "public"})
        self.assertSees(self.user_manager, {"private", "department", "public"})

    def test_department_member(self):
        self.assertSees(self.user_peer, {"department", "public"})

    def test_parent_department_member(self):
        self.assertSees(self.user_ops, {"department", "public"})

    def test_sub_department_member_only_public(self):
        self.assertSees(self.user_sub, {"public"})

    def test_other_department_only_public(self):
        self.assertSees(self.user_qa, {"public"})

    def test_okr_manager_outside_the_line(self):
        self.assertSees(self.user_manager_other, {"department", "public"})

    def test_okr_admin_sees_all(self):
        self.assertSees(self.user_admin, {"private", "department", "public"})

    def test_support_department_member(self):
        # a department supports an objective by committing to it
        commitment = self.env["okr.commitment"].create(
            {
                "name": "Inspection plan",
                "objective_id": self.objectives["department"].id,
                "department_id": self.dep_qa.id,
                "user_id": self.user_qa.id,
                "date_deadline": self.today,
            }
        )
        objective = self.objectives["department"]
        self.assertEqual(objective.support_department_ids, self.dep_qa)
        self.assertSees(self.user_qa, {"department", "public"})
        commitment.action_cancel()
        self.assertFalse(self.objectives["department"].support_department_ids)
        self.assertSees(self.user_qa, {"public"})

    def test_pace_report_follows_visibility(self):
        Report = self.env["okr.check.in.pace.report"]
        private_kr = self.key_results["private"]
        domain = [("key_result_id", "=", private_kr.id)]
        self.assertEqual(Report.with_user(self.user_worker).search_count(domain), 2)
        self.assertEqual(Report.with_user(self.user_lead).search_count(domain), 2)
        self.assertEqual(Report.with_user(self.user_qa).search_count(domain), 0)
        self.assertEqual(
            Report.with_user(self.user_manager_other).search_count(domain), 0
        )
        public_domain = [("key_result_id", "=", self.key_results["public"].id)]
        self.assertEqual(Report.with_user(self.user_qa).search_count(public_domain), 2)

    def test_check_in_only_on_own_or_managed(self):
        public_kr = self.key_results["public"]
        for user in (self.user_qa, self.user_peer, self.user_ops):
            with self.assertRaises(AccessError, msg=user.name):
                public_kr.with_user(user).action_check_in(5)
            with self.assertRaises(AccessError, msg=user.name):
                self.env["okr.check.in"].with_user(user).create(
                    {"key_result_id": public_kr.id, "value": 5}
                )
        self.assertEqual(len(public_kr.check_in_ids), 1)
        public_kr.with_user(self.user_worker).action_check_in(3)
        public_kr.with_user(self.user_lead).action_check_in(4)
        public_kr.with_user(self.user_manager_other).action_check_in(5)
        self.assertEqual(public_kr.current_value, 5)
        with self.assertRaises(AccessError):
            self.key_results["private"].with_user(
                self.user_manager_other
            ).action_check_in(5)

    def test_cannot_change_foreign_check_in(self):
        check_in = self.check_ins["public"].with_user(self.user_qa)
        with self.assertRaises(AccessError):
            check_in.write({"value": 9})
        with self.assertRaises(AccessError):
            check_in.unlink()
        self.assertEqual(self.check_ins["public"].value, 2)

    def test_user_cannot_change_foreign_objective(self):
        with self.assertRaises(AccessError):
            self.objectives["public"].with_user(self.user_qa).write(
                {"name": "Mine now"}
            )
        with self.assertRaises(AccessError):
            self.key_results["public"].with_user(self.user_qa).write(
                {"target_value": 1}
            )
        self.objectives["public"].with_user(self.user_lead).write({"name": "Renamed"})

    def test_okr_user_cannot_create_cycles(self):
        with self.assertRaises(AccessError):
            self.env["okr.cycle"].with_user(self.user_lead).create(
                {
                    "name": "Rogue quarter",
                    "date_start": self.today,
                    "date_end": self.today,
                }
            )
        with self.assertRaises(AccessError):
            self.cycle.with_user(self.user_lead).write({"name": "Renamed"})
        cycle = (
            self.env["okr.cycle"]
            .with_user(self.user_manager)
            .create(
                {
                    "name": "Next quarter",
                    "date_start": self.today,
                    "date_end": self.today,
                }
            )
        )
        self.assertEqual(cycle.company_id, self.company)

    def test_multi_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Plant B"})
        employee_b = self.env["hr.employee"].create(
            {"name": "Plant B Manager", "company_id": company_b.id}
        )
        cycle_b = self.env["okr.cycle"].create(
            {
                "name": "Plant B Quarter",
                "date_start": self.cycle.date_start,
                "date_end": self.cycle.date_end,
                "company_id": company_b.id,
            }
        )
        objective_b = self.env["okr.objective"].create(
            {
                "name": "Plant B output",
                "cycle_id": cycle_b.id,
                "level": "company",
                "owner_id": employee_b.id,
                "visibility": "public",
            }
        )
        kr_b = self.env["okr.key.result"].create(
            {
                "name": "Plant B units",
                "objective_id": objective_b.id,
                "start_value": 0,
                "target_value": 100,
            }
        )
        self.assertEqual(objective_b.company_id, company_b)
        for user in (self.user_qa, self.user_manager_other, self.user_admin):
            for record in (cycle_b, objective_b, kr_b):
                self.assertFalse(
                    record.with_user(user).search([("id", "=", record.id)]),
                    f"{user.name} sees {record.display_name}",
                )
                with self.assertRaises(AccessError):
                    record.with_user(user).read(["display_name"])
        # a user of both companies sees it once Plant B is selected
        self.user_admin.company_ids |= company_b
        objective_admin = objective_b.with_user(self.user_admin).with_context(
            allowed_company_ids=[self.company.id, company_b.id]
        )
        self.assertEqual(
            objective_admin.search([("id", "=", objective_b.id)]), objective_b
        )


class TestOkrReadCheck(OkrTestCommon):
    """The read rules of objectives are checked in one query (the board's
    columns); they allow exactly what Odoo's own record-by-record check
    allows, for every user, visibility and archived record."""

    def test_read_check_matches_the_standard_check(self):
        Objective = self.env["okr.objective"]

        def objective(name, owner, department, visibility, **vals):
            return Objective.create(
                {
                    "name": name,
                    "cycle_id": self.cycle.id,
                    "owner_id": owner.id,
                    "department_id": department.id,
                    "visibility": visibility,
                    **vals,
                }
            )

        objectives = (
            objective("QA public", self.emp_qa, self.dep_qa, "public")
            | objective("Production only", self.emp_lead, self.dep_prod, "department")
            | objective("QA only", self.emp_qa, self.dep_qa, "department")
            | objective("QA private", self.emp_qa, self.dep_qa, "private")
            | objective("Archived public", self.emp_qa, self.dep_qa, "public")
        )
        kr_owned, kr_archived = (
            objective(name, self.emp_qa, self.dep_qa, "department")
            for name in ("QA, a key result of the operator", "QA, an archived one")
        )
        for parent in (kr_owned, kr_archived):
            self.env["okr.key.result"].create(
                {
                    "name": f"Operator's part of {parent.name}",
                    "objective_id": parent.id,
                    "owner_id": self.emp_worker.id,
                    "target_value": 1,
                }
            )
        kr_archived.key_result_ids.active = False
        objectives |= kr_owned | kr_archived
        objectives.filtered(lambda o: o.name == "Archived public").active = False
        self.env.flush_all()
        expected = {
            self.user_worker: {
                "QA public",
                "Production only",
                "Archived public",
                "QA, a key result of the operator",
            },
            self.user_qa: {
                "QA public",
                "QA only",
                "QA private",
                "Archived public",
                "QA, a key result of the operator",
                "QA, an archived one",
            },
        }
        for user in (
            self.user_worker,
            self.user_lead,
            self.user_qa,
            self.user_manager,
            self.user_admin,
        ):
            records = objectives.with_user(user).with_env(
                objectives.env(user=user, context={"active_test": True})
            )
            records.env.invalidate_all()
            ours = records._filtered_access("read")
            refused = BaseModel._check_access(records, "read")
            standard = records - refused[0] if refused else records
            self.assertEqual(ours, standard, user.login)
            if user in expected:
                self.assertEqual(set(ours.mapped("name")), expected[user], user.login)
        # a refusal reads nothing, and says so
        private = objectives.filtered(lambda o: o.name == "QA private")
        with self.assertRaises(AccessError):
            private.with_user(self.user_worker).read(["name"])
