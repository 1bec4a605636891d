"""Daily KPIs fed by manufacturing: the day's figure of a registry family over
the KPI's work center, recorded as the KPI's value by the system (red days
open the owner's action), replaced when computed again, refused by hand, and
computed by the daily job in a fixed number of queries."""

from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.okr_management.models.okr_kpi import OkrKpi

from .common import OkrMrpTestCommon


@tagged("post_install", "-at_install")
class TestKpiSources(OkrMrpTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.kpi_assembly = cls._create_kpi("Scrap rate assembly", cls.wc_assembly)
        cls.kpi_drill = cls._create_kpi("Scrap rate drill", cls.wc_drill)
        cls.kpi_manual = cls.env["okr.kpi"].create(
            {
                "name": "Near misses",
                "category": "safety",
                "department_id": cls.dep_prod.id,
                "user_id": cls.user_worker.id,
                "visibility": "public",
                "band_max": 0,
            }
        )

    @classmethod
    def _create_kpi(cls, name, workcenter=None, source="mrp_scrap_rate", **vals):
        values = {
            "name": name,
            "category": "quality",
            "tier": "1",
            "department_id": cls.dep_prod.id,
            "user_id": cls.user_worker.id,
            "visibility": "public",
            "source": source,
            "workcenter_id": workcenter.id if workcenter else False,
            "band_max": 5.0,
            "unit": "%",
        }
        values.update(vals)
        return cls.env["okr.kpi"].create(values)

    def _as(self, user, model="okr.kpi"):
        """``model`` as ``user`` in a fresh environment, as RPC is."""
        self.env.invalidate_all()
        return self.env(user=user)[model]

    def _produce_with_scrap(self, scrap_qty, qty=10.0):
        """A manufacturing order whose assembly work order scraps
        ``scrap_qty`` components; both work orders finish now."""
        production = self._confirm_production(qty)
        assembly = production.workorder_ids.filtered(
            lambda wo: wo.workcenter_id == self.wc_assembly
        )
        if scrap_qty:
            self._scrap(assembly, scrap_qty)
        self._finish_workorders(production.workorder_ids)
        return production

    def _values(self, kpi):
        return self.env["okr.kpi.value"].search([("kpi_id", "=", kpi.id)])

    def test_day_figure_of_the_work_center_red_and_replaced(self):
        self._produce_with_scrap(2)
        self._produce_with_scrap(0)
        self.env["okr.kpi"]._cron_update_from_production()
        # assembly: 20 good, 2 scrapped; nothing was made yesterday
        value = self._values(self.kpi_assembly)
        self.assertEqual(value.date, self.today)
        self.assertAlmostEqual(value.value, round(200 / 22, 2))
        self.assertEqual(value.state, "red")
        self.assertEqual(value.source, "production")
        self.assertEqual(value.user_id, self.env.ref("base.user_root"))
        self.assertIn("on WC WC Assembly Test, ", value.note)
        # the red day opened the owner's action
        action = self.kpi_assembly.action_ids
        self.assertEqual(len(action), 1)
        self.assertEqual(action.state, "open")
        self.assertEqual(action.user_id, self.user_worker)
        self.assertEqual(value.action_id, action)
        # the other work center's KPI counts its own work only: no scrap
        drill = self._values(self.kpi_drill)
        self.assertEqual(
            (drill.date, drill.value, drill.state), (self.today, 0, "green")
        )
        self.assertFalse(self.kpi_drill.action_ids)
        self.assertFalse(self._values(self.kpi_manual))

        # more work the same day: the day is computed again and replaced
        self._produce_with_scrap(0, qty=10.0)
        self.env["okr.kpi"]._cron_update_from_production()
        value_again = self._values(self.kpi_assembly)
        self.assertEqual(value_again, value)
        self.assertAlmostEqual(value_again.value, round(200 / 32, 2))
        self.assertEqual(self.kpi_assembly.last_value, value_again.value)
        self.assertEqual(self.kpi_assembly.action_ids, action)
        self.assertEqual(self._values(self.kpi_drill), drill)
        # run again with nothing new: nothing changes
        messages = self.kpi_assembly.message_ids
        self.env["okr.kpi"]._cron_update_from_production()
        self.assertEqual(self.kpi_assembly.message_ids, messages)
        self.assertEqual(self._values(self.kpi_assembly), value)

    def test_green_inside_the_band_and_other_families(self):
        self._produce_with_scrap(0)
        produced = self._create_kpi(
            "Finished today",
            self.wc_assembly,
            source="mrp_produced_qty",
            band_max=False,
        )
        produced.band_min = 5
        company_wide = self._create_kpi("Scrap rate plant", band_max=1.0)
        self.env["okr.kpi"]._cron_update_from_production()
        # a quantity is 0 on a day without work; a rate has no value then
        yesterday = self.today - timedelta(days=1)
        self.assertEqual(
            self._values(produced).mapped(lambda v: (v.date, v.value, v.state)),
            [(self.today, 10.0, "green"), (yesterday, 0.0, "red")],
        )
        self.assertEqual(produced.action_ids.value_ids.date, yesterday)
        # no work center: every work center of the company counts
        self.assertEqual(self._values(company_wide).date, self.today)
        self.assertIn("on all work centers", self._values(company_wide).note)

    def test_recording_by_hand_is_refused(self):
        self._produce_with_scrap(2)
        # the owner, without manufacturing rights, over RPC
        kpi = self._as(self.user_worker).browse(self.kpi_assembly.id)
        with self.assertRaisesRegex(UserError, r"Manufacturing: Scrap Rate \(%\)"):
            kpi.action_record(1.0)
        with self.assertRaisesRegex(UserError, "cannot be recorded by hand"):
            self._as(self.user_worker, "okr.kpi.value").create(
                {"kpi_id": self.kpi_assembly.id, "value": 1.0}
            )
        # someone outside the owner's chain learns nothing of the source
        with self.assertRaises(AccessError):
            self._as(self.user_qa).browse(self.kpi_assembly.id).action_record(1.0)
        with self.assertRaises(AccessError):
            self._as(self.user_qa).browse(
                self.kpi_assembly.id
            ).action_update_from_production()
        self.env.invalidate_all()
        self.assertFalse(self._values(self.kpi_assembly))
        # the owner updates it from production instead
        kpi = self._as(self.user_worker).browse(self.kpi_assembly.id)
        self.assertIs(kpi.action_update_from_production(), True)
        self.assertAlmostEqual(self._values(self.kpi_assembly).value, 16.67)
        # a manual KPI has nothing to update from
        manual = self._as(self.user_worker).browse(self.kpi_manual.id)
        with self.assertRaisesRegex(UserError, "not fed by manufacturing"):
            manual.action_update_from_production()
        # its manual recording still works
        manual.action_record(0.0)
        self.assertEqual(self._values(self.kpi_manual).value, 0.0)

    def test_days_are_utc_days_whatever_the_caller_s_clock(self):
        # 05:00 UTC: still yesterday in Honolulu, where the owner clicks
        self.user_worker.tz = "Pacific/Honolulu"
        with freeze_time(f"{self.today} 05:00:00"):
            self._produce_with_scrap(2)
            kpi = self._as(self.user_worker).browse(self.kpi_assembly.id)
            kpi.with_context(tz="Pacific/Honolulu").action_update_from_production()
        value = self._values(self.kpi_assembly)
        self.assertEqual(value.date, self.today)
        self.assertAlmostEqual(value.value, 16.67)

    def test_job_skips_a_failing_kpi(self):
        self._produce_with_scrap(2)
        original = OkrKpi._record_value

        def record_value(kpi, *args, **kwargs):
            if kpi == self.kpi_assembly:
                raise RuntimeError("broken")
            return original(kpi, *args, **kwargs)

        with (
            patch.object(OkrKpi, "_record_value", record_value),
            mute_logger("odoo.addons.okr_management.tools.cron"),
        ):
            failed = self.env["okr.kpi"]._cron_update_from_production()
        self.assertEqual(failed, self.kpi_assembly)
        self.assertFalse(self._values(self.kpi_assembly))
        self.assertEqual(self._values(self.kpi_drill).value, 0.0)

    def test_job_queries_do_not_grow_with_kpis(self):
        self._produce_with_scrap(2)
        self._log_time(self.wc_assembly, self.loss_productive, 60)
        self._log_time(self.wc_drill, self.loss_equipment, 30)
        yesterday = self.today - timedelta(days=1)
        Kpi = self.env["okr.kpi"]
        # two KPIs of two families, then six
        self.kpi_drill.active = False
        kpis = self.kpi_assembly
        kpis |= self._create_kpi("OEE assembly", self.wc_assembly, source="mrp_oee")

        def steady_run():
            Kpi._cron_update_from_production()  # records what changed
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            Kpi._cron_update_from_production()
            return self.cr.sql_log_count - start

        few = steady_run()
        for index, workcenter in enumerate([self.wc_drill, False]):
            kpis |= self._create_kpi(f"OEE {index}", workcenter, source="mrp_oee")
            kpis |= self._create_kpi(f"Scrap rate {index}", workcenter)
        self.assertEqual(len(kpis), 6)
        many = steady_run()
        self.assertEqual(few, many)
        self.assertEqual(
            len(self.env["okr.kpi.value"].search([("kpi_id", "in", kpis.ids)])), 6
        )
        self.assertFalse(
            self.env["okr.kpi.value"].search(
                [("kpi_id", "in", kpis.ids), ("date", "=", yesterday)]
            )
        )
