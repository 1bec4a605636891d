from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context


class OkrCheckInWizard(models.TransientModel):
    """One-minute check-in from a kanban card or a key result."""

    _name = "okr.check.in.wizard"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Quick Check-in"

    objective_id = fields.Many2one("okr.objective", readonly=True)
    key_result_id = fields.Many2one(
        "okr.key.result",
        required=True,
        compute="_compute_key_result_id",
        store=True,
        compute_sudo=False,
        readonly=False,
        precompute=True,
        domain="[('objective_id', '=', objective_id), ('cycle_state', '!=', 'closed'), "
        "('metric_type', '!=', 'milestone'), ('is_computed', '=', False)]",
    )
    metric_type = fields.Selection(
        related="key_result_id.metric_type", compute_sudo=False
    )
    value_display = fields.Char(
        related="key_result_id.value_display",
        compute_sudo=False,
        string="Current Reading",
    )
    value_done = fields.Boolean(
        string="Done",
        compute="_compute_value",
        compute_sudo=False,
        store=True,
        readonly=False,
        precompute=True,
        help="For a Done / Not Done key result: tick when it is done.",
    )
    unit = fields.Char(related="key_result_id.unit", compute_sudo=False)
    current_value = fields.Float(
        related="key_result_id.current_value", compute_sudo=False
    )
    target_value = fields.Float(
        related="key_result_id.target_value", compute_sudo=False
    )
    value = fields.Float(
        compute="_compute_value",
        compute_sudo=False,
        store=True,
        readonly=False,
        precompute=True,
    )
    confidence = fields.Integer(
        compute="_compute_value",
        compute_sudo=False,
        store=True,
        readonly=False,
        precompute=True,
        help="From 0 (no chance) to 10 (certain).",
    )
    note = fields.Text()
    check_in_id = fields.Many2one("okr.check.in", readonly=True)

    @api.depends("objective_id")
    def _compute_key_result_id(self):
        for wizard in self:
            if wizard.key_result_id.objective_id == wizard.objective_id and (
                wizard.key_result_id
            ):
                continue
            # never a key result computed from its source or its milestones
            key_results = wizard.objective_id.key_result_ids.filtered(
                lambda kr: (
                    kr.cycle_state != "closed"
                    and not kr.is_computed
                    and kr.metric_type != "milestone"
                )
            )
            allowed = key_results._filter_checkable_by_hand()
            wizard.key_result_id = (allowed or key_results)[:1]

    @api.depends("key_result_id")
    def _compute_value(self):
        for wizard in self:
            key_result = wizard.key_result_id
            wizard.value = key_result.current_value
            wizard.value_done = key_result.current_value >= 1.0
            wizard.confidence = (
                key_result._get_check_in_confidence() if key_result else 5
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        active_id = context.get("active_id")
        if context.get("active_model") == "okr.key.result" and active_id:
            values.setdefault("key_result_id", active_id)
        elif context.get("active_model") == "okr.objective" and active_id:
            values.setdefault("objective_id", active_id)
        if values.get("key_result_id") and not values.get("objective_id"):
            key_result = self.env["okr.key.result"].browse(values["key_result_id"])
            values["objective_id"] = key_result.objective_id.id
        # the active record comes from the caller's context: never show a key
        # result or objective they may not read
        self._check_referred_readable(values)
        return values

    def action_confirm(self):
        """Check in through ``okr.key.result.action_check_in``."""
        self.ensure_one()
        if not self.key_result_id:
            raise UserError(_("Key Result: choose the key result to check in on."))
        # the wizard's default_* keys must not reach the check-in
        context = clean_context(self.env.context)
        key_result = self.key_result_id.with_context(context)  # pylint: disable=context-overridden
        value = self.value_done if self.metric_type == "boolean" else self.value
        check_in_id = key_result.action_check_in(
            value, confidence=self.confidence, note=self.note
        )
        self.check_in_id = check_in_id
        return {"type": "ir.actions.act_window_close"}

    def action_confirm_next(self):
        """Check in, then open the wizard on the next key result of the same
        objective: a whole objective in one sitting."""
        self.action_confirm()
        key_results = self.objective_id.key_result_ids._filter_checkable_by_hand()
        later = key_results.filtered(
            lambda kr: (
                (kr.sequence, kr.id)
                > (self.key_result_id.sequence, self.key_result_id.id)
                and kr.cycle_state != "closed"
            )
        )
        if not later:
            return {"type": "ir.actions.act_window_close"}
        return later[0].action_open_check_in_wizard()
