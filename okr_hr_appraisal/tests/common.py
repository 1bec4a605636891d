from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user

APPRAISAL_USER = "hr_appraisal_oca.group_appraisal_user"
APPRAISAL_OFFICER = "hr_appraisal_oca.group_appraisal_hr_officer"
OKR_USER = "okr_management.group_okr_user"


class OkrAppraisalCommon(TransactionCase):
    """An employee with key results in a closed, a running, an old and a
    draft cycle, her line manager, a peer set as appraisal manager, an HR
    officer and an outsider: every user as the apps would have them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "okr_hr_appraisal.hide_okr", False
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "okr_management.score_scale", "unit"
        )
        # one clock for the superuser and the test users (see OkrTestCommon)
        cls.env = cls.env(context=dict(cls.env.context, tz="UTC"))
        cls.today = fields.Date.today()
        department = cls.env["hr.department"].create(
            {"name": "Assembly Appraisal Test"}
        )
        cls.user_boss = new_test_user(
            cls.env,
            login="okra_boss",
            groups=f"{APPRAISAL_USER},{OKR_USER}",
            name="Boss",
        )
        cls.user_staff = new_test_user(
            cls.env,
            login="okra_staff",
            groups=f"{APPRAISAL_USER},{OKR_USER}",
            name="Staff",
        )
        cls.user_peer = new_test_user(
            cls.env,
            login="okra_peer",
            groups=f"{APPRAISAL_USER},{OKR_USER}",
            name="Peer",
        )
        cls.user_outsider = new_test_user(
            cls.env,
            login="okra_outsider",
            groups=f"{APPRAISAL_USER},{OKR_USER}",
            name="Outsider",
        )
        cls.user_hr = new_test_user(
            cls.env,
            login="okra_hr",
            groups=f"{APPRAISAL_OFFICER},{OKR_USER}",
            name="HR",
        )
        Employee = cls.env["hr.employee"]
        cls.emp_boss = Employee.create(
            {
                "name": "Boss",
                "user_id": cls.user_boss.id,
                "department_id": department.id,
            }
        )
        cls.emp_staff = Employee.create(
            {
                "name": "Staff",
                "user_id": cls.user_staff.id,
                "department_id": department.id,
                "parent_id": cls.emp_boss.id,
            }
        )
        cls.emp_peer = Employee.create({"name": "Peer", "user_id": cls.user_peer.id})
        cls.emp_outsider = Employee.create(
            {"name": "Outsider", "user_id": cls.user_outsider.id}
        )
        cls.emp_hr = Employee.create({"name": "HR", "user_id": cls.user_hr.id})
        cls.department = department

        Cycle = cls.env["okr.cycle"]
        cls.cycle_closed = Cycle.create(
            {
                "name": "Closed Cycle",
                "date_start": cls.today - timedelta(days=200),
                "date_end": cls.today - timedelta(days=110),
            }
        )
        cls.cycle_running = Cycle.create(
            {
                "name": "Running Cycle",
                "date_start": cls.today - timedelta(days=45),
                "date_end": cls.today + timedelta(days=45),
            }
        )
        cls.cycle_old = Cycle.create(
            {
                "name": "Old Cycle",
                "date_start": cls.today - timedelta(days=800),
                "date_end": cls.today - timedelta(days=700),
            }
        )
        cls.cycle_draft = Cycle.create(
            {
                "name": "Draft Cycle",
                "date_start": cls.today - timedelta(days=10),
                "date_end": cls.today + timedelta(days=80),
            }
        )
        (cls.cycle_closed | cls.cycle_running | cls.cycle_old).action_start()

        cls.obj_public = cls._create_objective("Public objective", cls.cycle_running)
        cls.obj_private = cls._create_objective(
            "Private objective", cls.cycle_running, visibility="private"
        )
        cls.obj_closed = cls._create_objective("Last cycle objective", cls.cycle_closed)
        cls.obj_old = cls._create_objective("Old objective", cls.cycle_old)
        cls.obj_draft = cls._create_objective("Draft objective", cls.cycle_draft)
        cls.obj_cancelled = cls._create_objective(
            "Cancelled objective", cls.cycle_running
        )
        cls.obj_cancelled.action_cancel()

        cls.kr_public = cls._create_key_result(cls.obj_public, "Output", 50, weight=2)
        cls.kr_private = cls._create_key_result(cls.obj_private, "Private KR", 25)
        cls.kr_closed = cls._create_key_result(cls.obj_closed, "Closed KR", 50)
        cls.kr_closed.action_grade(0.9)  # graded by a manager before the close
        cls._create_key_result(cls.obj_old, "Old KR", 100)
        cls._create_key_result(cls.obj_draft, "Draft KR", 100)
        cls._create_key_result(cls.obj_cancelled, "Cancelled KR", 100)
        cls.obj_boss = cls._create_objective(
            "Boss objective", cls.cycle_running, owner=cls.emp_boss
        )
        cls._create_key_result(cls.obj_boss, "Boss KR", 100)
        cls.cycle_closed.action_close()

    @classmethod
    def _create_objective(cls, name, cycle, visibility="public", owner=None):
        return cls.env["okr.objective"].create(
            {
                "name": name,
                "cycle_id": cycle.id,
                "level": "individual",
                "owner_id": (owner or cls.emp_staff).id,
                "visibility": visibility,
                "state": "active",
            }
        )

    @classmethod
    def _create_key_result(cls, objective, name, value, weight=1.0):
        """A 0-100 key result checked in at ``value`` (progress value / 100),
        on a date inside its cycle."""
        key_result = cls.env["okr.key.result"].create(
            {
                "name": name,
                "objective_id": objective.id,
                "start_value": 0,
                "target_value": 100,
                "weight": weight,
            }
        )
        cls.env["okr.check.in"].create(
            {
                "key_result_id": key_result.id,
                "value": value,
                "date": min(objective.cycle_id.date_end, cls.today),
            }
        )
        return key_result

    def _create_appraisal(self, employee=None, date_close=None, **vals):
        return (
            self.env["hr.appraisal"]
            .with_user(self.user_hr)
            .create(
                {
                    "employee_id": (employee or self.emp_staff).id,
                    "date_close": date_close or self.today + timedelta(days=10),
                    **vals,
                }
            )
        )
