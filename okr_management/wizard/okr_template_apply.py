from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.okr_objective import LEVEL_SELECTION


class OkrTemplateApply(models.TransientModel):
    _name = "okr.template.apply"
    _inherit = ["okr.system.fields.mixin"]
    _description = "Create an Objective from a Template"

    template_id = fields.Many2one("okr.objective.template", required=True)
    cycle_id = fields.Many2one(
        "okr.cycle",
        required=True,
        domain="[('state', '!=', 'closed')]",
    )
    owner_id = fields.Many2one(
        "hr.employee",
        required=True,
        default=lambda self: self.env.user.employee_id,
    )
    level = fields.Selection(
        LEVEL_SELECTION,
        compute="_compute_level",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    department_id = fields.Many2one(
        "hr.department",
        compute="_compute_department_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    parent_id = fields.Many2one(
        "okr.objective",
        string="Aligned To",
        domain="[('cycle_id.state', '!=', 'closed')]",
    )
    key_result_template_ids = fields.One2many(
        related="template_id.key_result_template_ids",
        compute_sudo=False,
        string="Key Results",
    )

    @api.depends("template_id")
    def _compute_level(self):
        for wizard in self:
            wizard.level = wizard.template_id.level or wizard.level or "department"

    @api.depends("owner_id")
    def _compute_department_id(self):
        for wizard in self:
            wizard.department_id = wizard.owner_id.department_id

    def action_apply(self):
        """Create the objective with its key results and open it."""
        self.ensure_one()
        if self.cycle_id.state == "closed":
            raise UserError(
                _(
                    "Cycle: '%(cycle)s' is closed; choose a draft or running cycle.",
                    cycle=self.cycle_id.name,
                )
            )
        objective = self.env["okr.objective"].create(
            self.template_id._prepare_objective_vals(
                self.cycle_id,
                self.owner_id,
                self.level,
                self.department_id,
                self.parent_id,
            )
        )
        objective.message_post(
            body=_(
                "Created from template '%(template)s'.", template=self.template_id.name
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "okr.objective",
            "res_id": objective.id,
            "view_mode": "form",
            "target": "current",
        }
