from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

# The figures of a key result that change through a request once its cycle
# runs: they define what the progress (and the appraisal reference) measures.
CHANGE_REQUEST_FIELDS = (
    "target_value",
    "start_value",
    "weight",
    "direction",
    "maintain_mode",
    "deadline",
)
DIRECTION_SELECTION = [
    ("increase", "Increase"),
    ("decrease", "Decrease"),
    ("maintain", "Maintain"),
]
MAINTAIN_MODE_SELECTION = [
    ("at_most", "At most the target"),
    ("at_least", "At least the target"),
]


class OkrKeyResultChange(models.Model):
    """A requested change of a running key result's figures (or its deletion).

    Once its cycle runs, a key result's target, start, weight, direction,
    guardrail and deadline are changed only through a request that someone
    above the requester in the reporting line, or an OKR Manager, approves:
    the approved requests are the key result's history, so the figure an
    appraisal shows tells whether the bar moved.

    Every field is written by the actions only (as superuser, after they
    checked who calls): users have read access and no more.
    """

    _name = "okr.key.result.change"
    _description = "OKR Key Result Change Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "okr.system.fields.mixin"]
    _order = "request_date desc, id desc"
    _rec_name = "key_result_name"
    # the people taking part comment on the request
    _mail_post_access = "read"
    _okr_system_fields = (
        "key_result_id",
        "key_result_name",
        "objective_id",
        "cycle_id",
        "company_id",
        "owner_id",
        "is_deletion",
        "changed_fields",
        *(f"old_{name}" for name in CHANGE_REQUEST_FIELDS),
        *(f"new_{name}" for name in CHANGE_REQUEST_FIELDS),
        "reason",
        "state",
        "requested_by_id",
        "requester_employee_id",
        "request_date",
        "approved_by_id",
        "decision_date",
        "effective_date",
        "self_approved",
        "reject_reason",
    )

    # the key result, and copies that stay when it is deleted
    key_result_id = fields.Many2one(
        "okr.key.result", index=True, ondelete="set null", readonly=True
    )
    key_result_name = fields.Char(readonly=True)
    objective_id = fields.Many2one(
        "okr.objective", index=True, ondelete="set null", readonly=True
    )
    cycle_id = fields.Many2one(
        "okr.cycle", index=True, ondelete="set null", readonly=True
    )
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    owner_id = fields.Many2one(
        "hr.employee",
        string="Key Result Owner",
        index=True,
        readonly=True,
        help="The owner of the key result when the change was requested.",
    )
    is_deletion = fields.Boolean(
        string="Deletion",
        readonly=True,
        help="The request deletes the key result (it is archived when it has "
        "check-ins, so its history stays).",
    )
    changed_fields = fields.Char(
        readonly=True, help="Technical names of the requested figures."
    )
    old_target_value = fields.Float(string="Old Target", readonly=True)
    new_target_value = fields.Float(string="New Target", readonly=True)
    old_start_value = fields.Float(string="Old Start", readonly=True)
    new_start_value = fields.Float(string="New Start", readonly=True)
    old_weight = fields.Float(readonly=True)
    new_weight = fields.Float(readonly=True)
    old_direction = fields.Selection(DIRECTION_SELECTION, readonly=True)
    new_direction = fields.Selection(DIRECTION_SELECTION, readonly=True)
    old_maintain_mode = fields.Selection(
        MAINTAIN_MODE_SELECTION, string="Old Guardrail", readonly=True
    )
    new_maintain_mode = fields.Selection(
        MAINTAIN_MODE_SELECTION, string="New Guardrail", readonly=True
    )
    old_deadline = fields.Date(readonly=True)
    new_deadline = fields.Date(readonly=True)
    summary = fields.Char(
        string="Change",
        compute="_compute_summary",
        help="What the request changes: each figure, from its old value to "
        "the new one.",
    )
    reason = fields.Text(required=True, readonly=True)
    state = fields.Selection(
        [
            ("pending", "To Approve"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Withdrawn"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    requested_by_id = fields.Many2one("res.users", index=True, readonly=True)
    requester_employee_id = fields.Many2one(
        "hr.employee",
        string="Requester's Employee",
        index=True,
        readonly=True,
        help="Who decides: the requester's reporting line above them, or an "
        "OKR Manager.",
    )
    request_date = fields.Datetime(string="Requested On", readonly=True)
    approved_by_id = fields.Many2one(
        "res.users",
        string="Decided By",
        readonly=True,
        tracking=True,
        help="Who approved (or rejected) the request.",
    )
    decision_date = fields.Datetime(string="Decided On", readonly=True)
    effective_date = fields.Date(
        readonly=True,
        help="The day the new figures took effect: check-ins and progress "
        "before it were measured against the old ones.",
    )
    self_approved = fields.Boolean(
        readonly=True,
        help="An OKR Administrator approved their own request.",
    )
    reject_reason = fields.Text(string="Rejection Reason", readonly=True)
    can_decide = fields.Boolean(
        string="To Approve by Me",
        compute="_compute_can_decide",
        search="_search_can_decide",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends_context("lang")
    @api.depends(
        "is_deletion",
        "changed_fields",
        *(f"old_{name}" for name in CHANGE_REQUEST_FIELDS),
        *(f"new_{name}" for name in CHANGE_REQUEST_FIELDS),
    )
    def _compute_summary(self):
        for change in self:
            if change.is_deletion:
                change.summary = _("Delete the key result")
                continue
            parts = []
            for name in (change.changed_fields or "").split():
                if name not in CHANGE_REQUEST_FIELDS:
                    continue
                parts.append(
                    _(
                        "%(field)s: %(old)s → %(new)s",
                        field=self.env["okr.key.result"]
                        ._fields[name]
                        ._description_string(self.env),
                        old=change._format_figure(name, change[f"old_{name}"]),
                        new=change._format_figure(name, change[f"new_{name}"]),
                    )
                )
            change.summary = "; ".join(parts)

    def _format_figure(self, name, value):
        field = self._fields[f"new_{name}"]
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, "")
        if field.type == "date":
            return format_date(self.env, value) if value else _("none")
        return f"{value:g}"

    def _compute_can_decide(self):
        for change in self:
            change.can_decide = change._may_decide()

    def _search_can_decide(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("To Approve by Me can only be searched with = or !=."))
        user = self.env.user
        if user.has_group("okr_management.group_okr_admin"):
            domain = [("state", "=", "pending")]
        elif user.has_group("okr_management.group_okr_manager"):
            domain = [("state", "=", "pending"), ("requested_by_id", "!=", user.id)]
        else:
            domain = [
                ("state", "=", "pending"),
                ("requested_by_id", "!=", user.id),
                ("requester_employee_id", "in", user._okr_managed_employee_ids()),
            ]
        if (operator == "=") == value:
            return domain
        return [("id", "not in", self._search(domain))]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # requests are created by okr.key.result.action_request_change only
        self._check_system_fields(set().union(*vals_list))
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_fields(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_approve(self):
        """Apply the requested figures (or delete the key result), after
        checking that the current user may decide; record who approved and
        when, and tell the requester."""
        for change in self:
            change._check_can_decide()
            key_result = change.key_result_id
            if not key_result.exists():
                raise UserError(
                    _(
                        "Change request of '%(kr)s': the key result was deleted; "
                        "reject the request.",
                        kr=change.key_result_name,
                    )
                )
            # the approval applies the change as the system, rights checked above
            key_result = key_result.sudo()
            if key_result.cycle_id.state == "closed":
                raise UserError(
                    _(
                        "Change request of '%(kr)s': cycle '%(cycle)s' is closed, "
                        "its key results no longer change.",
                        kr=change.key_result_name,
                        cycle=key_result.cycle_id.name,
                    )
                )
            names = (change.changed_fields or "").split()
            decision = {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "decision_date": fields.Datetime.now(),
                "effective_date": fields.Date.context_today(change),
                "self_approved": change.requested_by_id == self.env.user,
            }
            # the figures replaced are those of the day of the approval
            for name in names:
                decision[f"old_{name}"] = key_result[name]
            # after the rights check above: the actions alone write requests
            change.sudo().write(decision)
            if change.is_deletion:
                # unlink archives a key result with check-ins; the request
                # was approved by someone allowed to decide
                key_result.unlink()
            else:
                # the direct write is refused to anyone but server code: the
                # approver's right was checked above
                key_result.write(
                    dict(
                        {name: change[f"new_{name}"] for name in names},
                        target_changed=True,
                    )
                )
            change._close_activities()
            change._notify_requester()
        return True

    def action_reject(self, reason=None):
        """Close the request without changing the key result."""
        if reason is not None and not isinstance(reason, str):
            raise UserError(_("Rejection Reason: a text is required, got %r.", reason))
        for change in self:
            change._check_can_decide()
            # after the rights check above: the actions alone write requests
            change.sudo().write(
                {
                    "state": "rejected",
                    "approved_by_id": self.env.uid,
                    "decision_date": fields.Datetime.now(),
                    "reject_reason": (reason or "").strip() or False,
                }
            )
            change._close_activities()
            change._notify_requester()
        return True

    def action_cancel(self):
        """The requester withdraws a pending request."""
        for change in self:
            if change.requested_by_id != self.env.user and not self.env.su:
                raise AccessError(
                    _(
                        "Change request of '%(kr)s': only its requester can "
                        "withdraw it.",
                        kr=change.key_result_name,
                    )
                )
            change._check_pending()
        # the requester's own request: the actions alone write requests
        self.sudo().write(
            {"state": "cancelled", "decision_date": fields.Datetime.now()}
        )
        self._close_activities()
        return True

    def action_open_key_result(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "okr.key.result",
            "res_id": self.key_result_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_pending(self):
        self.ensure_one()
        if self.state != "pending":
            raise UserError(
                _(
                    "Change request of '%(kr)s' is already %(state)s.",
                    kr=self.key_result_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        self.state
                    ],
                )
            )

    def _may_decide(self):
        """Whether the current user may approve or reject this request: an OKR
        Manager who may change the key result, or someone above the requester
        in the reporting line; never the requester, unless an OKR
        Administrator (the approval then says so)."""
        self.ensure_one()
        if self.env.su:
            return True
        user = self.env.user
        if self.requested_by_id == user:
            return user.has_group("okr_management.group_okr_admin")
        if user.has_group("okr_management.group_okr_manager"):
            key_result = self.key_result_id.with_env(self.env)
            return not key_result or bool(key_result._filtered_access("write"))
        return bool(
            self.requester_employee_id
            and self.requester_employee_id.id in user._okr_managed_employee_ids()
        )

    def _check_can_decide(self):
        self.ensure_one()
        self.check_access("read")
        self._check_pending()
        if not self._may_decide():
            if self.requested_by_id == self.env.user:
                raise AccessError(
                    _(
                        "Change request of '%(kr)s' is yours: your manager or "
                        "an OKR Manager approves it.",
                        kr=self.key_result_name,
                    )
                )
            raise AccessError(
                _(
                    "Change request of '%(kr)s': only someone above the "
                    "requester in the reporting line, or an OKR Manager, "
                    "approves or rejects it.",
                    kr=self.key_result_name,
                )
            )

    def _get_approvers(self):
        """Who is asked to decide: the first manager above the requester with
        a user, otherwise the OKR Managers who may read the request."""
        self.ensure_one()
        requester = self.requested_by_id
        # the reporting line above the requester, whatever HR records one reads
        employee = self.sudo().requester_employee_id
        seen = set()
        manager = employee.parent_id
        while manager and manager.id not in seen:
            seen.add(manager.id)
            if manager.user_id and manager.user_id != requester:
                return manager.user_id
            manager = manager.parent_id
        managers = (
            self.env.ref("okr_management.group_okr_manager")
            # the OKR Managers to ask, whatever the requester reads of users
            .sudo()
            .users.filtered(
                lambda u: (
                    u != requester
                    and u.active
                    and not u.share
                    and (not self.company_id or self.company_id in u.company_ids)
                )
            )
        )
        return managers.filtered(lambda u: self.with_user(u)._filtered_access("read"))

    def _schedule_approval(self):
        """An activity for each approver, in their language."""
        self.ensure_one()
        for approver in self._get_approvers():
            change = self.with_context(lang=approver.lang)
            # the requester may not write the request: the activity is the
            # suite's, for the approver
            change.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                summary=change.env._(
                    "Approve the change of '%(kr)s'", kr=self.key_result_name
                ),
                note=change.env._(
                    "%(user)s asks: %(change)s. Reason: %(reason)s",
                    user=self.requested_by_id.name,
                    change=change.summary,
                    reason=self.reason,
                ),
                user_id=approver.id,
            )

    def _close_activities(self):
        # the approvers' to-dos, whoever decided
        self.sudo().activity_ids.unlink()

    def _notify_requester(self):
        """Tell the requester the answer, in their language."""
        self.ensure_one()
        requester = self.requested_by_id
        if not requester:
            return
        change = self.with_context(lang=requester.lang)
        if self.state == "approved":
            body = change.env._(
                "Your change of '%(kr)s' was approved by %(user)s: %(change)s.",
                kr=self.key_result_name,
                user=self.env.user.name,
                change=change.summary,
            )
        else:
            body = change.env._(
                "Your change of '%(kr)s' was rejected by %(user)s: %(change)s. "
                "%(reason)s",
                kr=self.key_result_name,
                user=self.env.user.name,
                change=change.summary,
                reason=self.reject_reason or "",
            )
        # a message of the suite to the requester, posted whatever the
        # decider's rights on the request's followers
        change.sudo().message_post(
            body=body,
            author_id=self.env.user.partner_id.id,
            partner_ids=requester.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
