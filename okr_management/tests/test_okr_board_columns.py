from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import OkrTestCommon


@tagged("post_install", "-at_install")
class TestOkrBoardColumns(OkrTestCommon):
    """The board's columns read together answer what web_search_read answers
    column by column, with the same rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Objective = cls.env["okr.objective"]
        cls.public = Objective.create(
            [
                {
                    "name": f"Public {index}",
                    "cycle_id": cls.cycle.id,
                    "level": level,
                    "owner_id": cls.emp_lead.id,
                    "department_id": cls.dep_prod.id,
                    "visibility": "public",
                    "state": "active",
                }
                for index, level in enumerate(
                    ["company", "team", "team", "team", "individual"]
                )
            ]
        )
        # the QA engineer's private objective: not the operator's to see
        cls.private = Objective.create(
            {
                "name": "QA private",
                "cycle_id": cls.cycle.id,
                "level": "team",
                "owner_id": cls.emp_qa.id,
                "department_id": cls.dep_qa.id,
                "visibility": "private",
                "state": "active",
            }
        )
        cls.spec = {
            "name": {},
            "owner_id": {"fields": {"display_name": {}}},
            "department_id": {"fields": {"display_name": {}}},
            "activity_ids": {"fields": {}},
            "key_result_count": {},
            "manual_key_result_count": {},
            "key_result_overview": {},
            "focus_warning": {},
            "progress": {},
            "status": {},
        }

    def _columns(self, user, limit=2):
        Objective = self.env(user=user)["okr.objective"]
        groups = Objective.web_read_group(
            [("cycle_id", "=", self.cycle.id)], [], ["level"], lazy=True
        )["groups"]
        return Objective, [
            {"domain": group["__domain"], "limit": limit, "count_limit": 10001}
            for group in groups
        ]

    def test_columns_answer_as_web_search_read(self):
        for user in (self.user_worker, self.user_manager):
            Objective, requests = self._columns(user)
            together = Objective.web_search_read_columns(requests, self.spec)
            one_by_one = [
                Objective.web_search_read(
                    request["domain"],
                    self.spec,
                    limit=request["limit"],
                    count_limit=request["count_limit"],
                )
                for request in requests
            ]
            self.assertEqual(together, one_by_one)
            # full columns give the pager's length beyond the cards shown
            lengths = [page["length"] for page in together]
            self.assertEqual(
                sum(lengths),
                Objective.search_count([("cycle_id", "=", self.cycle.id)]),
            )
            self.assertTrue(
                any(page["length"] > len(page["records"]) == 2 for page in together)
            )

    def test_columns_keep_the_rules(self):
        Objective, requests = self._columns(self.user_worker, limit=40)
        # a column asking for the private objective by its id gets nothing
        requests.append({"domain": [("id", "=", self.private.id)], "limit": 40})
        pages = Objective.web_search_read_columns(requests, self.spec)
        shown = {values["id"] for page in pages for values in page["records"]}
        self.assertNotIn(self.private.id, shown)
        self.assertTrue(set(self.public.ids) <= shown)
        self.assertEqual(pages[-1], {"length": 0, "records": []})
        # the QA engineer sees their own
        Objective, requests = self._columns(self.user_qa, limit=40)
        pages = Objective.web_search_read_columns(requests, self.spec)
        shown = {values["id"] for page in pages for values in page["records"]}
        self.assertIn(self.private.id, shown)

    def test_bad_requests_are_refused(self):
        Objective = self.env(user=self.user_worker)["okr.objective"]
        good = {"domain": [], "limit": 40}
        for requests in (
            "all",
            {"domain": []},
            [good] * 101,
            [{"domain": [], "limit": -1}],
            [{"domain": [], "limit": True}],
            [{"domain": [], "limit": "40"}],
            [{"domain": [], "offset": 1.5}],
            [{"domain": "[]"}],
            [{"domain": [], "order": ["name"]}],
            [{"domain": [], "fields": ["name"]}],
            ["not a request"],
            [{"domain": "", "limit": 40}],
            [{"domain": [], "offset": 10**30}],
            [{"domain": [], "count_limit": 2**31}],
            # what the ORM refuses, refused naming the column
            [good, {"domain": ["|"]}],
            [{"domain": [1, 2]}],
            [{"domain": [("no_such_field", "=", 1)]}],
            [{"domain": [], "order": "no_such_field desc"}],
        ):
            with self.assertRaises(UserError, msg=repr(requests)[:60]):
                Objective.web_search_read_columns(requests, self.spec)
        with self.assertRaises(UserError):
            Objective.web_search_read_columns([good], ["name"])
        # no column, no card
        self.assertEqual(Objective.web_search_read_columns([], self.spec), [])
