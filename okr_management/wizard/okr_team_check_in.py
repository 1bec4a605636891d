from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context


class OkrTeamCheckIn(models.TransientModel):
    """Morning meeting: every key result of a team in one editable screen."""

    _name = "okr.team.check.in"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Team Check-in"

    team_type = fields.Selection(
        [("department", "Department"), ("reports", "My Reports")],
        string="Team",
        required=True,
        default="department",
        help="Department: the key results owned in the department and the "
        "departments below it, or of its objectives. My Reports: the key "
        "results owned by you and the people who report to you.",
    )
    department_id = fields.Many2one(
        "hr.department",
        default=lambda self: self.env.user.employee_id.department_id,
    )
    manager_id = fields.Many2one(
        "hr.employee",
        string="Team Lead",
        default=lambda self: self.env.user.employee_id,
    )
    cycle_id = fields.Many2one(
        "okr.cycle",
        required=True,
        domain="[('state', '=', 'running')]",
        default=lambda self: self.env["okr.cycle"].search(
            [("state", "=", "running"), ("company_id", "in", self.env.companies.ids)],
            limit=1,
        ),
    )
    line_ids = fields.One2many(
        "okr.team.check.in.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        compute_sudo=False,
        readonly=False,
        precompute=True,
    )

    @api.depends("team_type", "department_id", "manager_id", "cycle_id")
    def _compute_line_ids(self):
        for wizard in self:
            key_results = wizard._get_team_key_results()
            wizard.line_ids = [fields.Command.clear()] + [
                fields.Command.create(
                    {
                        "key_result_id": key_result.id,
                        "current_value": key_result.current_value,
                        "new_value": key_result.current_value,
                        "current_done": key_result.current_value >= 1.0,
                        "new_done": key_result.current_value >= 1.0,
                        "current_confidence": key_result._get_check_in_confidence(),
                        "confidence": key_result._get_check_in_confidence(),
                    }
                )
                for key_result in key_results
            ]

    def _get_team_key_results(self):
        """Key results of the team in the cycle that the user may check in on,
        of objectives still in progress."""
        self.ensure_one()
        if not self.cycle_id:
            return self.env["okr.key.result"]
        domain = [
            ("cycle_id", "=", self.cycle_id.id),
            ("objective_id.state", "in", ("draft", "active")),
        ]
        if self.team_type == "department":
            if not self.department_id:
                return self.env["okr.key.result"]
            domain += [
                "|",
                ("owner_id.department_id", "child_of", self.department_id.id),
                ("objective_id.department_id", "child_of", self.department_id.id),
            ]
        else:
            if not self.manager_id:
                return self.env["okr.key.result"]
            domain += [("owner_id", "child_of", self.manager_id.id)]
        key_results = self.env["okr.key.result"].search(
            domain, order="owner_id, objective_id, sequence, id"
        )
        return key_results._filter_checkable_by_hand()

    def action_confirm(self):
        """One check-in per line whose value, confidence or note changed."""
        self.ensure_one()
        count = 0
        # the wizard's default_* keys must not reach the check-ins
        context = clean_context(self.env.context)
        for line in self.line_ids:
            key_result = line.key_result_id.with_context(context)  # pylint: disable=context-overridden
            if key_result._check_in_if_changed(
                line._get_new_value(), line.confidence, line.note
            ):
                count += 1
        if not count:
            raise UserError(_("New Value: nothing changed, no check-in was recorded."))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%(count)s check-ins recorded.", count=count),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
