from datetime import timedelta

from odoo import fields

from .common import OkrTestCommon


class TestOkrForecast(OkrTestCommon):
    def _check_in(self, key_result, value, days_after_start):
        return self.env["okr.check.in"].create(
            {
                "key_result_id": key_result.id,
                "value": value,
                "date": self.cycle.date_start + timedelta(days=days_after_start),
            }
        )

    def test_forecast_least_squares_to_cycle_end(self):
        """Start 92 at day 0, 92.5 at day 15, 93.5 at day 45 of a 90-day cycle:
        the line reaches 95.0 at day 90, i.e. 3 of the 4 points to gain."""
        self._check_in(self.kr_yield, 92.5, 15)
        self._check_in(self.kr_yield, 93.5, 45)
        kr = self.kr_yield.with_user(self.user_lead)
        self.assertAlmostEqual(kr.forecast_progress, 0.75)
        self.assertAlmostEqual(kr.progress, 0.375)
        self.assertAlmostEqual(kr.objective_id.forecast_progress, 0.75)

    def test_forecast_clamped(self):
        self._check_in(self.kr_yield, 91, 30)
        self.assertEqual(self.kr_yield.forecast_progress, 0.0)
        self._check_in(self.kr_yield, 99, 40)
        self.assertEqual(self.kr_yield.forecast_progress, 1.0)

    def test_forecast_decrease(self):
        kr = self.env["okr.key.result"].create(
            {
                "name": "Scrap 4 to 2",
                "objective_id": self.objective.id,
                "direction": "decrease",
                "start_value": 4.0,
                "target_value": 2.0,
            }
        )
        # a straight line from 4.0 at day 0 through 3.5 at day 45: 3.0 at day 90
        self._check_in(kr, 3.5, 45)
        self.assertAlmostEqual(kr.forecast_progress, 0.5)

    def test_forecast_without_history_is_progress(self):
        self.assertEqual(self.kr_yield.forecast_progress, self.kr_yield.progress)
        self.assertEqual(self.objective.forecast_progress, 0.0)

    def test_objective_forecast_weighted(self):
        self.env["okr.key.result"].create(
            {
                "name": "OEE 60 to 70",
                "objective_id": self.objective.id,
                "start_value": 60,
                "target_value": 70,
                "weight": 3,
            }
        )
        self._check_in(self.kr_yield, 92.5, 15)
        self._check_in(self.kr_yield, 93.5, 45)
        objective = self.objective.with_user(self.user_manager)
        self.assertAlmostEqual(objective.forecast_progress, 0.75 / 4)

    def test_check_in_expected_progress(self):
        """The expected-pace line: the share of the cycle elapsed on the date."""
        halfway = self._check_in(self.kr_yield, 93, 45)
        start = self._check_in(self.kr_yield, 92, 0)
        self.assertAlmostEqual(halfway.expected_progress, 0.5)
        self.assertEqual(start.expected_progress, 0.0)
        self.cycle.date_end = self.cycle.date_start + timedelta(days=60)
        self.assertAlmostEqual(halfway.expected_progress, 0.75)

    def test_history_action_opens_pace_graph(self):
        """The stat button: one line graph, progress and expected pace."""
        self._check_in(self.kr_yield, 92.5, 15)
        self.kr_yield.with_user(self.user_lead).action_check_in(93)
        action = self.kr_yield.with_user(self.user_lead).action_open_check_in_history()
        self.assertEqual(action["res_model"], "okr.check.in.pace.report")
        self.assertEqual(action["domain"], [("key_result_id", "=", self.kr_yield.id)])
        graph = self.env.ref("okr_management.okr_check_in_pace_report_view_graph")
        self.assertEqual(tuple(action["views"][0]), (graph.id, "graph"))
        rows = (
            self.env["okr.check.in.pace.report"]
            .with_user(self.user_lead)
            ._read_group(action["domain"], ["date:day", "series"], ["progress:avg"])
        )
        start = self.cycle.date_start
        by_point = {
            (fields.Date.to_date(day), series): round(value, 6)
            for day, series, value in rows
        }
        self.assertEqual(
            by_point,
            {
                (start + timedelta(days=15), "progress"): 0.125,
                (start + timedelta(days=15), "expected"): round(15 / 90, 6),
                (self.today, "progress"): 0.25,
                (self.today, "expected"): 0.5,
            },
        )
