from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form

from .common import OkrTestCommon


class TestOkrTemplates(OkrTestCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = (
            cls.env["okr.objective.template"]
            .with_user(cls.user_manager)
            .create(
                {
                    "name": "Cut scrap",
                    "level": "team",
                    "category": "Quality",
                    "key_result_template_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Scrap 3.2% to 1.0%",
                                "direction": "decrease",
                                "start_value": 3.2,
                                "target_value": 1.0,
                                "unit": "%",
                                "weight": 2,
                            },
                        ),
                        (
                            0,
                            0,
                            {
                                "name": "First-pass yield 92% to 96%",
                                "start_value": 92,
                                "target_value": 96,
                                "unit": "%",
                            },
                        ),
                    ],
                }
            )
        )

    def test_user_reads_but_cannot_change_templates(self):
        template = self.template.with_user(self.user_lead)
        self.assertEqual(template.key_result_count, 2)
        with self.assertRaises(AccessError):
            template.write({"name": "Mine now"})
        with self.assertRaises(AccessError):
            self.env["okr.objective.template"].with_user(self.user_lead).create(
                {"name": "New"}
            )
        with self.assertRaises(AccessError):
            template.key_result_template_ids[0].unlink()

    def test_create_from_template(self):
        wizard_form = Form(
            self.env["okr.template.apply"]
            .with_user(self.user_lead)
            .with_context(default_template_id=self.template.id)
        )
        wizard_form.cycle_id = self.cycle
        self.assertEqual(wizard_form.owner_id, self.emp_lead)
        self.assertEqual(wizard_form.level, "team")
        self.assertEqual(wizard_form.department_id, self.dep_prod)
        wizard_form.parent_id = self.objective
        action = wizard_form.save().action_apply()

        objective = self.env["okr.objective"].browse(action["res_id"])
        self.assertEqual(objective.name, "Cut scrap")
        self.assertEqual(objective.cycle_id, self.cycle)
        self.assertEqual(objective.owner_id, self.emp_lead)
        self.assertEqual(objective.level, "team")
        self.assertEqual(objective.parent_id, self.objective)
        scrap, fpy = objective.key_result_ids.sorted("id")
        self.assertEqual(
            (scrap.direction, scrap.start_value, scrap.target_value, scrap.weight),
            ("decrease", 3.2, 1.0, 2),
        )
        self.assertEqual(scrap.owner_id, self.emp_lead)
        self.assertEqual(fpy.target_value, 96)
        self.assertFalse(objective.key_result_ids.check_in_ids)

    def test_user_cannot_create_for_someone_they_do_not_manage(self):
        wizard = (
            self.env["okr.template.apply"]
            .with_user(self.user_lead)
            .create(
                {
                    "template_id": self.template.id,
                    "cycle_id": self.cycle.id,
                    "owner_id": self.emp_qa.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            wizard.action_apply()
        self.assertFalse(self.env["okr.objective"].search([("name", "=", "Cut scrap")]))

    def test_closed_cycle_refused(self):
        self.cycle.action_close()
        wizard = (
            self.env["okr.template.apply"]
            .with_user(self.user_manager)
            .create(
                {
                    "template_id": self.template.id,
                    "cycle_id": self.cycle.id,
                    "owner_id": self.emp_manager.id,
                }
            )
        )
        with self.assertRaisesRegex(UserError, "Cycle: 'Test Quarter' is closed"):
            wizard.action_apply()

    def test_template_target_on_wrong_side_refused(self):
        with self.assertRaisesRegex(ValidationError, "Target Value"):
            self.template.write(
                {
                    "key_result_template_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Bad",
                                "direction": "increase",
                                "start_value": 10,
                                "target_value": 5,
                            },
                        )
                    ]
                }
            )

    def test_demo_templates_loaded(self):
        # the CI installs the demo data
        oee = self.env.ref("okr_management.template_oee")
        self.assertEqual(len(oee.key_result_template_ids), 3)
        self.assertEqual(oee.with_user(self.user_worker).key_result_count, 3)
