from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from ..hooks import uninstall_hook
from ..sources import REGISTRY, get_family, get_source_keys
from .common import OkrMrpTestCommon

# what each family's note says it counted: the drill-down opens these records
COUNTED = {
    "workorder": "{count} finished work orders",
    "productivity": "{count} productivity logs",
    "production": "{count} manufacturing orders done",
    "inspection": "of {count} inspections",
    "unbuild": "{count} unbuild orders",
}


@tagged("post_install", "-at_install")
class TestSourceRegistry(OkrMrpTestCommon):
    def _production_data(self):
        """Two orders of the product with scrap and deadlines, one of the
        other product, losses and concluded inspections."""
        self._enable_quality_trigger()
        now = fields.Datetime.now()
        first = self._confirm_production(6, deadline=now + timedelta(days=1))
        self._scrap(first.workorder_ids[0], 1)
        self._finish_workorders(first.workorder_ids)
        first.button_mark_done()
        second = self._produce(4, deadline=now - timedelta(days=1))
        other = self._produce(3, product=self.other_product)
        self._log_time(self.wc_assembly, self.loss_equipment, 30, end_hours_ago=3)
        self._log_time(self.wc_drill, self.loss_speed, 10, end_hours_ago=2)
        self._conclude_inspection(first.qc_inspections_ids, passed=True)
        self._conclude_inspection(second.qc_inspections_ids, passed=False)
        return first, second, other

    def test_every_source_figure_equals_its_drill_down(self):
        first, second, _other = self._production_data()
        scopes = {
            "work center": {"workcenter_ids": [Command.set(self.wc_assembly.ids)]},
            "product": {"product_ids": [Command.set(self.product.ids)]},
            "all": {},
            "linked order": {"production_ids": [Command.set(second.ids)]},
            "linked work order": {
                "workorder_ids": [Command.set(first.workorder_ids[:1].ids)]
            },
        }
        key_results = {}
        for source in get_source_keys():
            for label, scope in scopes.items():
                key_results[source, label] = self._create_key_result(
                    source, name=f"{source} {label}", **scope
                )
        self.assertEqual(len(get_source_keys()), 9)
        checked = 0
        for (source, label), key_result in key_results.items():
            family = get_family(source)
            action = key_result.with_user(
                self.user_planner
            ).action_view_source_records()
            self.assertEqual(action["res_model"], family.model)
            records = self.env[family.model].search(action["domain"])
            counted = COUNTED[family.family].format(count=len(records))
            with self.subTest(source=source, scope=label):
                if key_result.source_note == "No data in the period yet.":
                    continue
                self.assertIn(counted, key_result.source_note)
                if key_result.check_in_ids:
                    self.assertIn(counted, key_result.check_in_ids[:1].note)
                # the button's counter, as the planner reads it (the
                # inspections need quality rights: the administrator's)
                reader = self.user_planner
                if not self.env[family.model].with_user(reader).has_access("read"):
                    reader = self.env.user
                self.assertEqual(
                    key_result.with_user(reader)[family.count_field], len(records)
                )
                checked += 1
        # every source produced a figure on at least one scope
        figured = {
            source
            for (source, _label), kr in key_results.items()
            if kr.source_note != "No data in the period yet."
        }

        self.assertEqual(figured, set(get_source_keys()))
        self.assertGreaterEqual(checked, 30)

    def test_registry_declares_each_family_once(self):
        keys = get_source_keys()
        self.assertEqual(len(keys), len(set(keys)))
        self.assertEqual(
            set(REGISTRY),
            {"workorder", "productivity", "production", "inspection", "unbuild"},
        )
        for family in REGISTRY.values():
            self.assertIn(family.model, self.env)
            for model_name, field_names in family.triggers.items():
                for field_name in field_names:
                    self.assertIn(field_name, self.env[model_name]._fields)
            for path in family.paths.values():
                # every path is searchable: the domain is valid
                self.env[family.model].search_count([(path, "!=", False)])
        selection = dict(self.env["okr.check.in"]._fields["source"].selection)
        self.assertEqual(selection["mrp_oee"], "Manufacturing: OEE (%)")

    def test_orders_in_dozens_are_converted_into_units(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        production = self.env["mrp.production"].create(
            {
                "product_id": self.product.id,
                "bom_id": self.bom.id,
                "product_qty": 2,
                "product_uom_id": dozen.id,
            }
        )
        production.action_confirm()
        self._finish_workorders(production.workorder_ids)
        self.assertEqual(production.workorder_ids[0].product_uom_id, dozen)
        self._produce(6)
        kr = self._create_key_result(
            "mrp_produced_qty", product_ids=[Command.set(self.product.ids)]
        )
        self.assertEqual(kr.uom_id, self.env.ref("uom.product_uom_unit"))
        self.assertEqual(kr.current_value, 30.0)
        self.assertIn("Finished quantity 30.0 Units", kr.source_note)
        kr.uom_id = dozen
        self.assertEqual(kr.current_value, 2.5)

    def test_units_of_another_category_are_refused_naming_the_key_result(self):
        self._produce(5)
        kr = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        self.assertEqual(kr.current_value, 5)
        with self.assertRaisesRegex(UserError, "Key result 'KR mrp_produced_qty'.*kg"):
            kr.uom_id = self.env.ref("uom.product_uom_kgm")
        self.assertEqual(kr.current_value, 5)
        self.assertEqual(len(kr.check_in_ids), 1)

    def test_scope_changes_refresh_in_the_same_transaction(self):
        with freeze_time(fields.Datetime.now() - timedelta(days=10)):
            self._produce(10)
        other = self._produce(4, product=self.other_product)
        kr = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        self.assertEqual(kr.current_value, 14, "created: refreshed at once")
        kr.product_ids = [Command.set(self.product.ids)]
        self.assertEqual(kr.current_value, 10, "products")
        kr.write(
            {
                "product_ids": [Command.clear()],
                "workcenter_ids": [Command.set(self.wc_drill.ids)],
            }
        )
        self.assertEqual(kr.current_value, 14, "work centers")
        kr.production_ids = [Command.set(other.ids)]
        self.assertEqual(kr.current_value, 4, "linked orders")
        kr.production_ids = [Command.clear()]
        # the planner links a work order to it from the work order
        other.workorder_ids[0].with_user(self.user_planner).key_result_ids = [
            Command.link(kr.id)
        ]
        self.assertEqual(kr.current_value, 4, "linked work orders")
        other.workorder_ids[0].with_user(self.user_planner).key_result_ids = [
            Command.unlink(kr.id)
        ]
        self.assertEqual(kr.current_value, 14, "unlinked from the work order")
        self.cycle.date_start = fields.Date.today() - timedelta(days=5)
        self.assertEqual(kr.current_value, 4, "cycle dates")
        kr.source = "mrp_yield"
        self.assertEqual(kr.current_value, 100.0, "source")

    def test_user_without_manufacturing_rights_cannot_feed_production_figures(self):
        self._produce(5)
        self.env.invalidate_all()
        lead_env = self.env(user=self.user_lead)
        KeyResult = lead_env["okr.key.result"]
        with self.assertRaises(AccessError):
            KeyResult.create(
                {
                    "name": "Company-wide output",
                    "objective_id": self.objective.id,
                    "source": "mrp_produced_qty",
                    "target_value": 100,
                }
            )
        with self.assertRaises(AccessError):
            KeyResult.browse(self.kr_yield.id).write({"source": "mrp_produced_qty"})
        self.env.invalidate_all()
        self.assertEqual(self.kr_yield.source, "manual")
        self.assertFalse(self.kr_yield.check_in_ids)
        self.assertFalse(
            self.env["okr.key.result"].search([("name", "=", "Company-wide output")])
        )

    def test_links_to_another_company_are_refused(self):
        company_b = self.env["res.company"].create({"name": "Plant B Test"})
        self.env.user.company_ids |= company_b
        workcenter_b = self.env["mrp.workcenter"].create(
            {
                "name": "WC Plant B",
                "company_id": company_b.id,
                "resource_calendar_id": False,
            }
        )
        production_b = (
            self.env["mrp.production"]
            .with_company(company_b)
            .create({"product_id": self.product.id, "product_qty": 1})
        )
        self.assertEqual(production_b.company_id, company_b)
        kr = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        with (
            self.assertRaisesRegex(ValidationError, "Plant B Test"),
            self.env.cr.savepoint(),
        ):
            kr.production_ids = [Command.link(production_b.id)]
        with (
            self.assertRaisesRegex(ValidationError, "Plant B Test"),
            self.env.cr.savepoint(),
        ):
            kr.workcenter_ids = [Command.link(workcenter_b.id)]
        with (
            self.assertRaisesRegex(ValidationError, "Plant B Test"),
            self.env.cr.savepoint(),
        ):
            production_b.key_result_ids = [Command.link(kr.id)]
        self.env.invalidate_all()
        self.assertFalse(kr.production_ids)
        self.assertEqual(kr.workcenter_ids, self.wc_assembly)

    def test_work_center_goals_follow_the_objective_visibility(self):
        department_objective = self.env["okr.objective"].create(
            {
                "name": "QA line goals",
                "cycle_id": self.cycle.id,
                "level": "department",
                "owner_id": self.emp_qa.id,
                "department_id": self.dep_qa.id,
                "visibility": "department",
                "state": "active",
            }
        )
        public_kr = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        department_kr = self._create_key_result(
            "mrp_oee",
            objective=department_objective,
            name="QA department OEE",
            workcenter_ids=[Command.set(self.wc_assembly.ids)],
        )
        self.env.invalidate_all()
        Goal = self.env(user=self.user_operator)["okr.workcenter.goal"]
        goals = Goal.search([("workcenter_id", "=", self.wc_assembly.id)])
        self.assertEqual(goals.key_result_id.ids, public_kr.ids)
        summary = self.wc_assembly.with_user(self.user_operator).okr_goal_summary
        self.assertNotIn("QA department OEE", summary)
        # the QA engineer with manufacturing rights reads both
        self.user_qa.groups_id |= self.env.ref("mrp.group_mrp_user")
        self.env.invalidate_all()
        goals = self.env(user=self.user_qa)["okr.workcenter.goal"].search(
            [("workcenter_id", "=", self.wc_assembly.id)]
        )
        self.assertEqual(goals.key_result_id, public_kr | department_kr)

    def test_cron_logs_and_skips_a_failing_key_result_and_is_idempotent(self):
        self._produce(5)
        good = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        bad = self._create_key_result(
            "mrp_produced_qty",
            name="KR in kilograms",
            product_ids=[Command.set(self.product.ids)],
        )
        # a unit set in the database by an earlier version: the key result
        # cannot be computed any more
        self.env.cr.execute(
            "UPDATE okr_key_result SET uom_id = %s WHERE id = %s",
            [self.env.ref("uom.product_uom_kgm").id, bad.id],
        )
        self.env.invalidate_all()
        self._produce(3)
        good.invalidate_recordset()
        with self.assertLogs(
            "odoo.addons.okr_mrp_bridge.models.okr_key_result", level="WARNING"
        ) as logs:
            self.env["okr.key.result"]._cron_refresh_from_source()
        self.assertTrue(
            any(f"okr.key.result {bad.id} skipped" in line for line in logs.output)
        )
        self.assertIn("KR in kilograms", "\n".join(logs.output))
        self.assertEqual(good.current_value, 8)
        self.assertEqual(bad.current_value, 5, "skipped: keeps its last value")
        notes = {kr.id: (kr.source_note, kr.source_refresh_date) for kr in good | bad}
        check_ins = self.env["okr.check.in"].search_count([])
        with self.assertLogs(
            "odoo.addons.okr_mrp_bridge.models.okr_key_result", level="WARNING"
        ):
            self.env["okr.key.result"]._cron_refresh_from_source()
        self.assertEqual(self.env["okr.check.in"].search_count([]), check_ins)
        self.assertEqual(
            {kr.id: (kr.source_note, kr.source_refresh_date) for kr in good | bad},
            notes,
        )

    def test_production_risk_follows_the_alert_activity(self):
        kr = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        self._log_time(self.wc_assembly, self.loss_equipment, 20)
        self.assertTrue(kr.production_risk)
        activity = kr.production_alert_ids.activity_id
        activity.unlink()
        self.assertFalse(kr.production_risk)
        self.assertEqual(len(kr.production_alert_ids), 1, "the alert stays")

    def test_uninstall_keeps_the_provenance_of_check_ins(self):
        self._produce(5)
        kr = self._create_key_result(
            "mrp_produced_qty", workcenter_ids=[Command.set(self.wc_assembly.ids)]
        )
        check_in = kr.check_in_ids
        note = check_in.note
        self.assertEqual(check_in.source, "mrp_produced_qty")
        uninstall_hook(self.env)
        self.assertEqual(check_in.source, "import")
        self.assertEqual(check_in.note, f"[Manufacturing: Finished Quantity] {note}")
        self.assertEqual(check_in.value, 5)
        self.assertEqual(
            self.env["okr.check.in"].search_count(
                [("source", "in", get_source_keys())]
            ),
            0,
        )
