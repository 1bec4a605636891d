from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo.exceptions import AccessError
from odoo.sql_db import Cursor

from .common import OkrTestCommon


class TestOkrBoard(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.objective_qa = cls.env["okr.objective"].create(
            {
                "name": "Fewer complaints",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_qa.id,
                "state": "active",
            }
        )

    def _arch(self, user, model, view_type, view_xmlid=None):
        view_id = self.env.ref(view_xmlid).id if view_xmlid else False
        result = self.env[model].with_user(user).get_views([(view_id, view_type)])
        return etree.fromstring(result["views"][view_type]["arch"])

    def test_views_open_for_every_okr_group(self):
        views = {
            "okr.objective": ("kanban", "list", "form", "hierarchy", "search", "pivot"),
            "okr.key.result": ("list", "form", "search"),
            "okr.check.in": ("list", "form", "graph", "search"),
            "okr.check.in.wizard": ("form",),
            "okr.team.check.in": ("form",),
        }
        for user in (self.user_worker, self.user_manager, self.user_admin):
            for model, view_types in views.items():
                for view_type in view_types:
                    self.assertIsNotNone(self._arch(user, model, view_type))
        self._arch(
            self.user_worker,
            "okr.check.in.pace.report",
            "graph",
            "okr_management.okr_check_in_pace_report_view_graph",
        )

    def test_kanban_card(self):
        arch = self._arch(self.user_manager, "okr.objective", "kanban")
        # one column per level of the cascade, all of them, not draggable
        self.assertEqual(arch.get("default_group_by"), "level")
        self.assertEqual(arch.get("records_draggable"), "false")
        self.assertTrue(self.env["okr.objective"]._fields["level"].group_expand)
        progressbar = arch.find("progressbar")
        self.assertEqual(progressbar.get("field"), "status")
        names = {node.get("name") for node in arch.iter("field")}
        for name in (
            "owner_id",
            "progress",
            "status",
            "key_result_count",
            "days_since_check_in",
            "forecast_progress",
            "expected_progress",
            "focus_warning",
        ):
            self.assertIn(name, names)
        buttons = arch.xpath("//a[@name='action_open_check_in_wizard']")
        self.assertEqual(len(buttons), 1, "quick check-in on the card")

    def test_board_groupings(self):
        """The board switches between department, status, owner and level."""
        Objective = self.env["okr.objective"].with_user(self.user_manager)
        domain = [("cycle_id", "=", self.cycle.id)]
        search = self._arch(self.user_manager, "okr.objective", "search")
        group_bys = {
            node.get("name"): node.get("context")
            for node in search.iter("filter")
            if "group_by" in (node.get("context") or "")
        }
        for name in ("group_department", "group_status", "group_owner", "group_level"):
            self.assertIn(name, group_bys)
        by_department = dict(
            Objective._read_group(domain, ["department_id"], ["__count"])
        )
        self.assertEqual(by_department[self.dep_prod], 1)
        self.assertEqual(by_department[self.dep_qa], 1)
        by_owner = dict(Objective._read_group(domain, ["owner_id"], ["__count"]))
        self.assertEqual(by_owner[self.emp_qa], 1)
        by_level = dict(Objective._read_group(domain, ["level"], ["__count"]))
        self.assertEqual(by_level, {"department": 1, "team": 1})
        result = Objective.web_read_group(domain, ["status"], ["status"])
        self.assertEqual(sum(group["status_count"] for group in result["groups"]), 2)

    def test_days_since_check_in(self):
        self.env["okr.check.in"].create(
            {
                "key_result_id": self.kr_yield.id,
                "value": 93,
                "date": self.today - timedelta(days=10),
            }
        )
        objective = self.objective.with_user(self.user_worker)
        self.assertEqual(objective.days_since_check_in, 10)
        self.kr_yield.with_user(self.user_lead).action_check_in(94)
        objective.invalidate_recordset()
        self.assertEqual(objective.days_since_check_in, 0)

    def test_my_okrs_board(self):
        action = self.env.ref("okr_management.okr_objective_action_my")
        self.assertIn("search_default_mine", action.context)
        self.assertTrue(action.view_mode.startswith("kanban"))
        search = self._arch(self.user_qa, "okr.objective", "search")
        mine = search.xpath("//filter[@name='mine']")[0].get("domain")
        self.assertEqual(mine, "[('user_id', '=', uid)]")
        mine_objectives = (
            self.env["okr.objective"]
            .with_user(self.user_qa)
            .search([("user_id", "=", self.user_qa.id)])
        )
        self.assertEqual(mine_objectives, self.objective_qa)

    def test_form_shows_forecast_focus_and_quick_check_in(self):
        arch = self._arch(self.user_worker, "okr.objective", "form")
        names = {node.get("name") for node in arch.iter("field")}
        for name in ("parent_id", "child_ids", "forecast_progress", "focus_warning"):
            self.assertIn(name, names)
        self.assertTrue(arch.xpath("//button[@name='action_open_check_in_wizard']"))
        kr_arch = self._arch(self.user_worker, "okr.key.result", "form")
        self.assertTrue(kr_arch.xpath("//button[@name='action_open_check_in_history']"))
        self.assertTrue(kr_arch.xpath("//button[@name='action_open_check_in_wizard']"))
        self.assertTrue(kr_arch.xpath("//field[@name='forecast_progress']"))

    def test_hierarchy_view(self):
        arch = self._arch(self.user_worker, "okr.objective", "hierarchy")
        self.assertEqual(arch.get("parent_field"), "parent_id")
        self.assertEqual(arch.get("child_field"), "child_ids")
        action = self.env.ref("okr_management.okr_objective_action_alignment")
        self.assertTrue(action.view_mode.startswith("hierarchy"))


class TestOkrBoardOwnerName(OkrTestCommon):
    """The card's owner is named from the objective's own row."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.objective_qa = cls.env["okr.objective"].create(
            {
                "name": "Fewer complaints",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_qa.id,
                "state": "active",
                "visibility": "public",
            }
        )

    def _read_owner(self, user, owner_spec):
        objective = self.env(user=user)["okr.objective"].browse(self.objective_qa.id)
        return objective.web_read({"name": {}, "owner_id": owner_spec})[0]

    def _employee_queries(self, func):
        statements = []
        execute = Cursor.execute

        def spy(cursor, query, params=None, log_exceptions=True):
            statements.append(str(query))
            return execute(cursor, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            result = func()
        return result, [q for q in statements if "hr_employee" in q]

    def test_owner_display_name_from_the_objective(self):
        # warm-up: the reader's rules and groups, read once per process
        self._read_owner(self.user_worker, {"fields": {"display_name": {}}})
        self.env.invalidate_all()
        values, employee_queries = self._employee_queries(
            lambda: self._read_owner(self.user_worker, {"fields": {"display_name": {}}})
        )
        # what the standard read gives (the display name, read as sudo),
        # without reading the employee
        self.assertEqual(
            values["owner_id"],
            {"id": self.emp_qa.id, "display_name": self.emp_qa.sudo().display_name},
        )
        self.assertNotIn("owner_name", values)
        self.assertEqual(employee_queries, [])
        # the stored name follows the employee
        self.emp_qa.name = "Quality Lead Renamed"
        self.env.invalidate_all()
        values = self._read_owner(self.user_worker, {"fields": {"display_name": {}}})
        self.assertEqual(values["owner_id"]["display_name"], "Quality Lead Renamed")
        self.assertEqual(self.objective_qa.owner_name, "Quality Lead Renamed")

    def test_other_owner_specifications_read_the_employee(self):
        # asked for more than the name, the owner is read as usual, with the
        # reader's rights on employees
        values = self._read_owner(
            self.user_worker,
            {"fields": {"display_name": {}, "work_email": {}}},
        )
        self.assertEqual(values["owner_id"]["id"], self.emp_qa.id)
        self.assertIn("work_email", values["owner_id"])
        # asked for the id alone, the id alone
        values = self._read_owner(self.user_worker, {})
        self.assertEqual(values["owner_id"], self.emp_qa.id)

    def test_owner_name_is_not_written_by_hand(self):
        # the owner's user may change the objective, not the name it shows
        objective = self.env(user=self.user_qa)["okr.objective"].browse(
            self.objective_qa.id
        )
        name = self.objective_qa.owner_name
        with self.assertRaises(AccessError):
            objective.write({"owner_name": "Someone else"})
        self.env.invalidate_all()
        self.assertEqual(self.objective_qa.owner_name, name)
