import logging

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)

# written by the actions and the escalation cron only
COMMITMENT_ACTION_FIELDS = frozenset({"state", "date_done", "escalated_date"})


class OkrCommitment(models.Model):
    """What a department commits to deliver for another department's objective.

    The objective's department is the primary one; the department of a
    commitment supports it. The commitment's contact answers for it; an open
    commitment past its deadline is overdue, and the daily escalation tells the
    contact and the committing department's manager once.
    """

    _name = "okr.commitment"
    _description = "OKR Commitment"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "okr.notify.mixin",
        "okr.system.fields.mixin",
    ]
    _order = "date_deadline, id"
    _okr_system_fields = tuple(COMMITMENT_ACTION_FIELDS)
    _okr_system_computed_fields = False

    name = fields.Char(string="Deliverable", required=True, tracking=True)
    objective_id = fields.Many2one(
        "okr.objective",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain="[('state', 'in', ('draft', 'active'))]",
    )
    key_result_id = fields.Many2one(
        "okr.key.result",
        index="btree_not_null",
        ondelete="set null",
        domain="[('objective_id', '=', objective_id)]",
        help="The key result of the objective this deliverable serves, if any.",
    )
    cycle_id = fields.Many2one(
        related="objective_id.cycle_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="objective_id.company_id", store=True, index=True, precompute=True
    )
    primary_department_id = fields.Many2one(
        related="objective_id.department_id",
        string="Primary Department",
        store=True,
        index=True,
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Committing Department",
        required=True,
        index=True,
        tracking=True,
        help="The supporting department that delivers.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Contact",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who answers for the deliverable; by default the manager of the "
        "committing department.",
    )
    date_deadline = fields.Date(string="Deadline", required=True, tracking=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    escalated_date = fields.Date(
        string="Escalated On",
        readonly=True,
        copy=False,
        help="When the overdue commitment was escalated to its contact and the "
        "committing department's manager; cleared when its deadline moves.",
    )
    note = fields.Text()
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open and past its deadline.",
    )
    is_my_department = fields.Boolean(
        string="My Department's",
        compute="_compute_is_my_department",
        search="_search_is_my_department",
        help="Committed by my department or one below it.",
    )
    days_late = fields.Integer(
        compute="_compute_days_late",
        help="Days past the deadline: until it was done, or until today while "
        "it is open.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("department_id")
    def _compute_user_id(self):
        for commitment in self:
            if not commitment.user_id:
                commitment.user_id = commitment.department_id.manager_id.user_id

    @api.depends("state", "date_deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for commitment in self:
            commitment.is_overdue = commitment._is_overdue_on(today)

    def _get_pending_deadline(self):
        """The deadline the commitment still has to meet: its deadline while
        it is open, else False."""
        self.ensure_one()
        return self.state == "open" and self.date_deadline

    def _is_overdue_on(self, today):
        """The one definition of overdue: open and past its deadline."""
        deadline = self._get_pending_deadline()
        return bool(deadline) and deadline < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Overdue can only be searched with = or !=."))
        domain = [
            ("state", "=", "open"),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == bool(value):
            return domain
        return ["!", "&", *domain]

    @api.depends("department_id")
    @api.depends_context("uid")
    def _compute_is_my_department(self):
        mine = self._my_department_ids()
        for commitment in self:
            commitment.is_my_department = commitment.department_id.id in mine

    def _search_is_my_department(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("My Department's can only be searched with = or !=."))
        domain = [("department_id", "in", list(self._my_department_ids()))]
        if (operator == "=") == bool(value):
            return domain
        return ["!", *domain]

    def _my_department_ids(self):
        departments = self.env.user.employee_ids.department_id
        return set(
            self.env["hr.department"]
            # the department tree is read whole to match the user's departments
            .sudo()
            .search([("id", "child_of", departments.ids)])
            .ids
        )

    @api.depends("state", "date_deadline", "date_done")
    def _compute_days_late(self):
        today = fields.Date.context_today(self)
        for commitment in self:
            end = commitment.date_done if commitment.state == "done" else today
            late = 0
            if commitment.state != "cancelled" and commitment.date_deadline and end:
                late = (end - commitment.date_deadline).days
            commitment.days_late = max(late, 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_deadline", "objective_id")
    def _check_date_deadline(self):
        for commitment in self:
            cycle = commitment.objective_id.cycle_id
            if not (cycle.date_start <= commitment.date_deadline <= cycle.date_end):
                raise ValidationError(
                    _(
                        "Commitment '%(name)s': the Deadline (%(deadline)s) must "
                        "lie within cycle '%(cycle)s' (%(start)s to %(end)s).",
                        name=commitment.name,
                        deadline=commitment.date_deadline,
                        cycle=cycle.name,
                        start=cycle.date_start,
                        end=cycle.date_end,
                    )
                )

    @api.constrains("key_result_id", "objective_id")
    def _check_key_result_id(self):
        for commitment in self.filtered("key_result_id"):
            if commitment.key_result_id.objective_id != commitment.objective_id:
                raise ValidationError(
                    _(
                        "Commitment '%(name)s': the Key Result '%(kr)s' does not "
                        "belong to objective '%(objective)s'.",
                        name=commitment.name,
                        kr=commitment.key_result_id.name,
                        objective=commitment.objective_id.name,
                    )
                )

    @api.constrains("objective_id")
    def _check_objective_visibility(self):
        for commitment in self:
            if commitment.objective_id.visibility == "private":
                raise ValidationError(
                    _(
                        "Commitment '%(name)s': objective '%(objective)s' is "
                        "private (Visibility); make it visible to its department "
                        "before other departments commit to it.",
                        name=commitment.name,
                        objective=commitment.objective_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # a new commitment is open, not done nor escalated
        self._check_system_fields(
            {
                name
                for vals in vals_list
                for name in COMMITMENT_ACTION_FIELDS & set(vals)
                if vals[name] and (name != "state" or vals[name] != "open")
            }
        )
        if not self.env.su:
            self._check_objective_rights(
                self.env["okr.objective"].browse(
                    {vals.get("objective_id") for vals in vals_list} - {None, False}
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_fields(vals)
        if not self.env.su:
            objectives = self.objective_id
            if vals.get("objective_id"):
                objectives |= self.env["okr.objective"].browse(vals["objective_id"])
            self._check_objective_rights(objectives)
        moved = self.browse()
        if "date_deadline" in vals:
            moved = self.filtered(
                lambda c: (
                    c.escalated_date
                    and c.date_deadline != fields.Date.to_date(vals["date_deadline"])
                )
            )
        result = super().write(vals)
        if moved:
            # a new deadline earns a new escalation if it is missed too
            moved._close_escalation_activities(_("The deadline moved."))
            moved.sudo().write({"escalated_date": False})
        return result

    def unlink(self):
        if not self.env.su:
            self._check_objective_rights(self.objective_id)
        return super().unlink()

    @api.model
    def _check_objective_rights(self, objectives):
        """Commitments follow their objective: who may change the objective
        may create, change, close and delete its commitments."""
        try:
            objectives.check_access("write")
        except AccessError as error:
            raise AccessError(
                _(
                    "Commitments: only who may change the objective may create, "
                    "change or close its commitments; the contact may only mark "
                    "their own commitment done."
                )
            ) from error

    @api.model
    def _get_system_fields_error(self, field_names):
        return UserError(
            _(
                "The State, Done On and Escalated On of a commitment are set by "
                "its buttons (Done, Cancel, Reopen) and by the escalation, not "
                "written directly."
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_done(self):
        """Done, by whoever may change the objective or by the contact."""
        for commitment in self:
            if commitment.state != "open":
                raise UserError(
                    _(
                        "Commitment '%s' is not open: it cannot be done.",
                        commitment.name,
                    )
                )
        if not self.env.su:
            self.check_access("read")
            others = self.filtered(lambda c: c.user_id != self.env.user)
            self._check_objective_rights(others.objective_id)
        # the state and date are system facts; the rights were checked above
        self.sudo().write(
            {"state": "done", "date_done": fields.Date.context_today(self)}
        )
        self._close_escalation_activities(_("Done."))
        return True

    def action_cancel(self):
        self._check_action_rights()
        for commitment in self:
            if commitment.state != "open":
                raise UserError(
                    _(
                        "Commitment '%s' is not open: it cannot be cancelled.",
                        commitment.name,
                    )
                )
        # the state is a system fact; _check_action_rights checked the right
        self.sudo().write({"state": "cancelled"})
        self._close_escalation_activities(_("Cancelled."))
        return True

    def action_reopen(self):
        self._check_action_rights()
        # the state is a system fact; _check_action_rights checked the right
        self.sudo().write({"state": "open", "date_done": False})
        return True

    def _check_action_rights(self):
        if not self.env.su:
            self.check_access("read")
            self._check_objective_rights(self.objective_id)

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    @api.model
    def _get_escalation_activity_type(self):
        return self.env.ref(
            "okr_management.mail_activity_type_okr_commitment_overdue",
            raise_if_not_found=False,
        )

    def _close_escalation_activities(self, feedback):
        activity_type = self._get_escalation_activity_type()
        if not activity_type or not self:
            return
        activities = (
            self.env["mail.activity"]
            # the escalation activities are closed whoever they were assigned to
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        if activities:
            activities.action_feedback(feedback=feedback)

    @api.model
    def _cron_escalate_overdue(self):
        """Escalate each overdue commitment once: an activity for its contact,
        one for the manager of the committing department, a note on the
        objective. A commitment that fails is logged and skipped."""
        activity_type = self._get_escalation_activity_type()
        if not activity_type:
            return True
        # the cron escalates every overdue commitment of every department
        commitments = self.sudo().search(
            [
                ("is_overdue", "=", True),
                ("escalated_date", "=", False),
                ("cycle_id.state", "!=", "closed"),
            ]
        )
        for commitment in commitments:
            try:
                with self.env.cr.savepoint():
                    commitment._escalate(activity_type)
            except Exception as error:  # pylint: disable=broad-except
                _logger.warning(
                    "OKR commitment %s: escalation skipped: %s", commitment.id, error
                )
        return True

    def _escalate(self, activity_type):
        self.ensure_one()
        today = fields.Date.context_today(self)
        manager_user = self.department_id.manager_id.user_id
        users = self.user_id | manager_user

        def note(record):
            return record.env._(
                "'%(name)s' of %(department)s for objective '%(objective)s' was "
                "due on %(deadline)s and is not done.",
                name=record.name,
                department=record.department_id.name,
                objective=record.objective_id.name,
                deadline=record.date_deadline,
            )

        # each person reads the escalation in their language
        for user in users:
            self._okr_schedule_activity(
                "okr_management.mail_activity_type_okr_commitment_overdue",
                user,
                note=note,
                summary=lambda record: (
                    activity_type.with_context(lang=record.env.lang).summary
                ),
                date_deadline=today,
            )
        # the objective's note reads in its owner's language
        owner_lang = self.objective_id.owner_id.user_id.lang or self.env.lang
        record = self.with_context(lang=owner_lang)
        record.objective_id.with_context(lang=owner_lang).message_post(
            body=record.env._(
                "Overdue commitment escalated: %(note)s Contact: %(contact)s; "
                "manager of %(department)s: %(manager)s.",
                note=note(record),
                contact=record.user_id.name,
                department=record.department_id.name,
                manager=manager_user.name or record.env._("none"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        self.write({"escalated_date": today})
