import math

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import run_isolated

# written by action_done / action_reopen and the overdue cron only
MILESTONE_SYSTEM_FIELDS = frozenset(
    {"state", "date_done", "notified_deadline", "overdue_activity_id"}
)
# a milestone stays on the key result it was created on, as a check-in does
MILESTONE_GIVEN_FIELDS = frozenset({"key_result_id"})
# the weights of a key result's milestones are summed: bounded, they cannot
# overflow the sum
MAX_MILESTONE_WEIGHT = 1000.0


class OkrKeyResultMilestone(models.Model):
    """A step of a Milestone key result.

    The key result's value is the weighted share of its milestones done, in
    percent: marking one done or reopening it records a check-in of the new
    share, so history, forecast and status work as for any key result. An
    open milestone past its deadline makes the key result at least At Risk.
    """

    _name = "okr.key.result.milestone"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR Key Result Milestone"
    _order = "key_result_id, sequence, date_deadline, id"
    _okr_system_fields = tuple(MILESTONE_SYSTEM_FIELDS | MILESTONE_GIVEN_FIELDS)
    _sql_constraints = [
        (
            "weight_range",
            f"CHECK(weight > 0 AND weight <= {MAX_MILESTONE_WEIGHT})",
            "The Weight of a milestone lies above 0 and up to 1000.",
        ),
    ]

    key_result_id = fields.Many2one(
        "okr.key.result",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('metric_type', '=', 'milestone')]",
    )
    objective_id = fields.Many2one(
        related="key_result_id.objective_id", store=True, index=True
    )
    cycle_id = fields.Many2one(related="key_result_id.cycle_id", store=True)
    company_id = fields.Many2one(
        related="key_result_id.company_id", store=True, index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    weight = fields.Float(
        default=1.0,
        required=True,
        help="Share of the key result this milestone stands for, relative to "
        "the weights of the other milestones.",
    )
    date_deadline = fields.Date(
        string="Deadline",
        required=True,
        help="Inside the cycle. Open past this day, the milestone is overdue: "
        "the key result is at least At Risk and the responsible person gets "
        "an activity.",
    )
    department_id = fields.Many2one("hr.department", string="Responsible Department")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Marks the milestone done and gets the overdue activity. Defaults "
        "to the key result's owner.",
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")],
        default="open",
        required=True,
        readonly=True,
        copy=False,
    )
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="Open and past its deadline.",
    )
    notified_deadline = fields.Date(
        readonly=True,
        copy=False,
        help="The deadline whose overrun was announced: one activity per "
        "deadline, however often the daily run passes.",
    )
    overdue_activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, ondelete="set null"
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("key_result_id")
    def _compute_user_id(self):
        for milestone in self:
            if not milestone.user_id:
                milestone.user_id = milestone.key_result_id.user_id

    @api.depends("state", "date_deadline")
    @api.depends_context("date")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for milestone in self:
            milestone.is_overdue = (
                milestone.state == "open"
                and bool(milestone.date_deadline)
                and milestone.date_deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Overdue can only be searched with = or !=."))
        today = fields.Date.context_today(self)
        overdue = [("state", "=", "open"), ("date_deadline", "<", today)]
        if (operator == "=") == bool(value):
            return overdue
        return ["|", ("state", "!=", "open"), ("date_deadline", ">=", today)]

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("weight")
    def _check_weight(self):
        for milestone in self:
            milestone._check_weight_value(milestone.name, milestone.weight)

    @api.model
    def _check_weight_given(self, name, value):
        """A weight given to create or write, checked before the database's
        CHECK would refuse it with a raw error: a number, then its range."""
        self._check_numeric_values({"weight": value})
        weight = self._okr_number_of(self._fields["weight"], value)
        if weight is not None:
            self._check_weight_value(name, weight)

    @api.model
    def _check_weight_value(self, name, weight):
        if not (math.isfinite(weight) and 0 < weight <= MAX_MILESTONE_WEIGHT):
            raise ValidationError(
                _(
                    "Milestone '%(milestone)s': the Weight must be a finite "
                    "number greater than 0 and up to %(max)s (got %(weight)s).",
                    milestone=name,
                    max=MAX_MILESTONE_WEIGHT,
                    weight=weight,
                )
            )

    @api.constrains("date_deadline", "key_result_id")
    def _check_date_deadline(self):
        for milestone in self:
            cycle = milestone.key_result_id.cycle_id
            if not (cycle.date_start and cycle.date_end):
                continue
            if not cycle.date_start <= milestone.date_deadline <= cycle.date_end:
                raise ValidationError(
                    _(
                        "Milestone '%(milestone)s': the Deadline (%(date)s) must "
                        "lie inside cycle '%(cycle)s' (%(start)s to %(end)s).",
                        milestone=milestone.name,
                        date=milestone.date_deadline,
                        cycle=cycle.name,
                        start=cycle.date_start,
                        end=cycle.date_end,
                    )
                )

    @api.constrains("key_result_id")
    def _check_key_result_id(self):
        for milestone in self:
            if milestone.key_result_id.metric_type != "milestone":
                raise ValidationError(
                    _(
                        "Milestone '%(milestone)s': key result '%(kr)s' is not a "
                        "Milestone key result; set its Metric Type to Milestone "
                        "first.",
                        milestone=milestone.name,
                        kr=milestone.key_result_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # the key result is given at creation, never changed afterwards
        self._check_system_fields(set().union(*vals_list) - MILESTONE_GIVEN_FIELDS)
        for vals in vals_list:
            self._check_weight_given(vals.get("name"), vals.get("weight"))
        self._check_key_results_plannable(
            self.env["okr.key.result"].browse(
                {vals.get("key_result_id") for vals in vals_list} - {None, False}
            )
        )
        milestones = super().create(vals_list)
        milestones.key_result_id._sync_value_from_milestones(
            _(
                "Milestones added: %(names)s.",
                names=", ".join(milestones.mapped("name")),
            )
        )
        return milestones

    def write(self, vals):
        self._check_system_fields(vals)
        self._check_key_results_plannable(self.key_result_id)
        if "weight" in vals:
            # a value that is no weight hears that first
            self._check_weight_given(self[:1].name, vals["weight"])
            self._check_plan_not_running(_("a milestone's weight"))
        moved = self.key_result_id if "key_result_id" in vals else None
        result = super().write(vals)
        if {"weight", "key_result_id"} & set(vals):
            key_results = self.key_result_id | (moved or self.key_result_id)
            key_results._sync_value_from_milestones(
                _(
                    "Milestone weights changed: %(names)s.",
                    names=", ".join(self.mapped("name")),
                )
            )
        return result

    def unlink(self):
        self._check_key_results_plannable(self.key_result_id)
        self._check_plan_not_running(_("its milestones"))
        key_results = self.key_result_id
        names = ", ".join(self.mapped("name"))
        result = super().unlink()
        key_results.exists()._sync_value_from_milestones(
            _("Milestones removed: %(names)s.", names=names)
        )
        return result

    @api.model
    def _check_key_results_plannable(self, key_results):
        """Adding, changing or deleting a milestone changes the figure of its
        key result: the rule of a check-in applies (an open cycle, a key
        result the user owns or manages, or an OKR Manager)."""
        if not self.env.su:
            key_results._check_check_in_allowed("milestone")

    def _check_plan_not_running(self, what):
        """A milestone key result's progress is the weighted share of its
        milestones done: once its cycle runs, reweighting or deleting them
        moves the figure as a target change would. Added milestones only
        lower it, and are allowed."""
        if self.env.su:
            return
        running = self.filtered(
            lambda milestone: milestone.key_result_id.cycle_id.state == "running"
        )
        if running:
            raise UserError(
                _(
                    "Key result '%(kr)s' belongs to the running cycle '%(cycle)s': "
                    "%(what)s cannot change any more; mark milestones done or "
                    "reopen them, or request a change of the key result.",
                    kr=running[0].key_result_id.name,
                    cycle=running[0].key_result_id.cycle_id.name,
                    what=what,
                )
            )

    @api.model
    def _get_system_fields_error(self, field_names):
        return AccessError(
            _(
                "Milestones: %(fields)s cannot be written; use Mark Done or "
                "Reopen, and add a new milestone rather than moving one to "
                "another key result.",
                fields=self._okr_field_labels(field_names),
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_done(self):
        """Mark the milestones done; the key results record the new share."""
        self._check_action_allowed()
        milestones = self.filtered(lambda m: m.state == "open")
        if not milestones:
            return True
        # state and date are system facts; _check_action_allowed checked
        milestones.sudo().write(
            {"state": "done", "date_done": fields.Date.context_today(self)}
        )
        # the overdue activity is closed whoever it was assigned to
        activities = milestones.sudo().overdue_activity_id
        if activities:
            activities.action_feedback(feedback=_("Milestone done."))
        milestones.key_result_id._sync_value_from_milestones(
            _("Milestone done: %(names)s.", names=", ".join(milestones.mapped("name")))
        )
        return True

    def action_reopen(self):
        """Reopen done milestones; the key results record the new share."""
        self._check_action_allowed()
        milestones = self.filtered(lambda m: m.state == "done")
        if not milestones:
            return True
        # state and date are system facts; _check_action_allowed checked
        milestones.sudo().write({"state": "open", "date_done": False})
        milestones.key_result_id._sync_value_from_milestones(
            _(
                "Milestone reopened: %(names)s.",
                names=", ".join(milestones.mapped("name")),
            )
        )
        return True

    def _check_action_allowed(self):
        """Marking done or reopening is for the milestone's responsible
        person, the key result's owner chain (see
        ``okr.key.result._filter_check_in_allowed``) and OKR Managers, on an
        open cycle."""
        self.check_access("read")
        for milestone in self:
            if milestone.key_result_id.cycle_id.state == "closed":
                raise UserError(
                    _(
                        "Milestone '%(milestone)s': cycle '%(cycle)s' is closed, "
                        "its key results are locked.",
                        milestone=milestone.name,
                        cycle=milestone.key_result_id.cycle_id.name,
                    )
                )
        if self.env.su:
            return
        allowed_key_results = self.key_result_id._filter_check_in_allowed()
        forbidden = self.filtered(
            lambda m: (
                m.user_id != self.env.user
                and m.key_result_id not in allowed_key_results
            )
        )
        if forbidden:
            raise AccessError(
                _(
                    "Milestone '%(milestone)s': only its responsible person, the "
                    "key result's owner or their managers, or an OKR Manager can "
                    "mark it done or reopen it.",
                    milestone=forbidden[0].name,
                )
            )

    # ------------------------------------------------------------------
    # Overdue milestones (daily)
    # ------------------------------------------------------------------
    @api.model
    def _get_overdue_to_notify_domain(self):
        today = fields.Date.context_today(self)
        return [
            ("state", "=", "open"),
            ("date_deadline", "<", today),
            ("key_result_id.cycle_id.state", "=", "running"),
            ("key_result_id.objective_id.state", "=", "active"),
        ]

    @api.model
    def _cron_notify_overdue(self):
        """One activity for the responsible person of each open milestone past
        its deadline, and a note to the key result's owner; a milestone is
        announced once per deadline (a new deadline is announced again)."""
        candidates = self.search(self._get_overdue_to_notify_domain())
        to_notify = candidates.filtered(
            lambda m: m.notified_deadline != m.date_deadline
        )
        run_isolated(
            to_notify, lambda batch: batch._notify_overdue(), "OKR overdue milestones"
        )
        return True

    def _notify_overdue(self):
        activity_type = self.env.ref(
            "okr_management.mail_activity_type_okr_milestone_overdue",
            raise_if_not_found=False,
        )
        for milestone in self:
            key_result = milestone.key_result_id
            user = milestone.user_id or key_result.user_id
            activity = self.env["mail.activity"]
            if activity_type and user:
                # in the language of the person who has to act
                activity = key_result._okr_schedule_activity(
                    "okr_management.mail_activity_type_okr_milestone_overdue",
                    user,
                    summary=lambda record, milestone=milestone: record.env._(
                        "Milestone overdue: %(name)s", name=milestone.name
                    ),
                    note=lambda record, milestone=milestone: record.env._(
                        "Milestone '%(milestone)s' of key result '%(kr)s' was due "
                        "on %(date)s and is still open: mark it done, or agree "
                        "a new deadline.",
                        milestone=milestone.name,
                        kr=record.name,
                        date=milestone.date_deadline,
                    ),
                )
            # the note reads in the owner's language
            owner_user = key_result.user_id
            record = key_result.with_context(lang=owner_user.lang or self.env.lang)
            record.message_post(
                body=record.env._(
                    "Milestone '%(milestone)s' is overdue (due %(date)s, "
                    "responsible: %(user)s): the key result is at risk.",
                    milestone=milestone.name,
                    date=milestone.date_deadline,
                    user=user.name or record.env._("nobody"),
                ),
                partner_ids=owner_user.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            # the announced deadline is a system-written marker
            milestone.sudo().write(
                {
                    "notified_deadline": milestone.date_deadline,
                    "overdue_activity_id": activity.id,
                }
            )

    # ------------------------------------------------------------------
    # Copies for the next cycle
    # ------------------------------------------------------------------
    def _prepare_copy_vals(self, shift, cycle):
        """Values of these milestones in ``cycle``, deadlines moved by
        ``shift`` (a timedelta) and kept inside the cycle, not done."""
        return [
            {
                "sequence": milestone.sequence,
                "name": milestone.name,
                "weight": milestone.weight,
                "department_id": milestone.department_id.id,
                "user_id": milestone.user_id.id,
                "date_deadline": min(
                    max(milestone.date_deadline + shift, cycle.date_start),
                    cycle.date_end,
                ),
            }
            for milestone in self
        ]
