from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


class OkrTestCommon(TransactionCase):
    """Fixtures shared by the OKR tests: a running cycle, a small org chart and
    users for each OKR group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # "today" is the user's day (fields.Date.context_today): the demo's
        # superuser lives in Brussels, the test users in UTC; one clock for all
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.today = fields.Date.today()
        cls.company = cls.env.company
        Department = cls.env["hr.department"]
        cls.dep_ops = Department.create({"name": "Ops Test"})
        cls.dep_prod = Department.create(
            {"name": "Production Test", "parent_id": cls.dep_ops.id}
        )
        cls.dep_qa = Department.create(
            {"name": "Quality Test", "parent_id": cls.dep_ops.id}
        )

        cls.user_admin = new_test_user(
            cls.env,
            login="okr_admin",
            groups="okr_management.group_okr_admin",
            name="OKR Admin",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="okr_manager",
            groups="okr_management.group_okr_manager",
            name="Plant Manager",
        )
        cls.user_lead = new_test_user(
            cls.env,
            login="okr_lead",
            groups="okr_management.group_okr_user",
            name="Line Lead",
        )
        cls.user_worker = new_test_user(
            cls.env,
            login="okr_worker",
            groups="okr_management.group_okr_user",
            name="Operator",
        )
        cls.user_qa = new_test_user(
            cls.env,
            login="okr_qa",
            groups="okr_management.group_okr_user",
            name="QA Engineer",
        )
        Employee = cls.env["hr.employee"]
        cls.emp_manager = Employee.create(
            {
                "name": "Plant Manager",
                "user_id": cls.user_manager.id,
                "department_id": cls.dep_ops.id,
            }
        )
        cls.emp_lead = Employee.create(
            {
                "name": "Line Lead",
                "user_id": cls.user_lead.id,
                "department_id": cls.dep_prod.id,
                "parent_id": cls.emp_manager.id,
            }
        )
        cls.emp_worker = Employee.create(
            {
                "name": "Operator",
                "user_id": cls.user_worker.id,
                "department_id": cls.dep_prod.id,
                "parent_id": cls.emp_lead.id,
            }
        )
        cls.emp_qa = Employee.create(
            {
                "name": "QA Engineer",
                "user_id": cls.user_qa.id,
                "department_id": cls.dep_qa.id,
                "parent_id": cls.emp_manager.id,
            }
        )
        cls.cycle = cls.env["okr.cycle"].create(
            {
                "name": "Test Quarter",
                "date_start": cls.today - timedelta(days=45),
                "date_end": cls.today + timedelta(days=45),
            }
        )
        cls.cycle.action_start()
        cls.objective = cls.env["okr.objective"].create(
            {
                "name": "Raise line capacity",
                "cycle_id": cls.cycle.id,
                "level": "department",
                "owner_id": cls.emp_lead.id,
                "department_id": cls.dep_prod.id,
                "state": "active",
            }
        )
        cls.kr_yield = cls.env["okr.key.result"].create(
            {
                "name": "Yield 92 to 96",
                "objective_id": cls.objective.id,
                "start_value": 92,
                "target_value": 96,
                "unit": "%",
            }
        )
