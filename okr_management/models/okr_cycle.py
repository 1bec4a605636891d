from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import run_isolated


class OkrCycle(models.Model):
    _name = "okr.cycle"
    _description = "OKR Cycle"
    _inherit = ["mail.thread", "okr.system.fields.mixin"]
    _order = "date_start desc, id desc"
    # the state moves only through the actions, which check who may move it
    _okr_system_fields = ("state",)

    name = fields.Char(required=True, tracking=True)
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("closed", "Closed")],
        default="draft",
        required=True,
        copy=False,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    objective_ids = fields.One2many("okr.objective", "cycle_id", string="Objectives")
    objective_count = fields.Integer(compute="_compute_counts")
    key_result_count = fields.Integer(compute="_compute_counts")
    active = fields.Boolean(default=True)

    def _compute_counts(self):
        objective_counts = dict(
            self.env["okr.objective"]._read_group(
                [("cycle_id", "in", self.ids)], ["cycle_id"], ["__count"]
            )
        )
        key_result_counts = dict(
            self.env["okr.key.result"]._read_group(
                [("cycle_id", "in", self.ids)], ["cycle_id"], ["__count"]
            )
        )
        for cycle in self:
            cycle.objective_count = objective_counts.get(cycle, 0)
            cycle.key_result_count = key_result_counts.get(cycle, 0)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for cycle in self:
            if cycle.date_end < cycle.date_start:
                raise ValidationError(
                    _(
                        "Cycle '%(cycle)s': the End Date (%(end)s) must not be "
                        "before the Start Date (%(start)s).",
                        cycle=cycle.name,
                        end=cycle.date_end,
                        start=cycle.date_start,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # a cycle starts as a draft; its actions move it on
        self._check_system_fields(
            {
                name
                for vals in vals_list
                for name in vals
                if not (name == "state" and vals[name] == "draft")
            }
        )
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_fields(vals)
        if {"date_start", "date_end", "company_id"} & set(vals):
            self._check_not_closed(_("its dates"))
        return super().write(vals)

    def _check_not_closed(self, what):
        """Refuse to change ``what`` (a label) of a closed cycle."""
        closed = self.filtered(lambda cycle: cycle.state == "closed")
        if closed:
            raise UserError(
                _(
                    "Cycle '%(cycle)s' is closed: %(what)s cannot change until an "
                    "OKR Administrator reopens it.",
                    cycle=closed[0].name,
                    what=what,
                )
            )

    def _check_can_steer(self):
        """Starting and closing a cycle is an OKR Manager's, on a cycle they
        may change."""
        if not self.env.su and not self.env.user.has_group(
            "okr_management.group_okr_manager"
        ):
            raise AccessError(_("Only an OKR Manager can start or close a cycle."))
        self.check_access("write")

    def _get_expected_progress(self, date, date_end=None):
        """Share of the cycle elapsed on ``date``, between 0.0 and 1.0; with
        ``date_end`` (a key result's deadline), share of the window from the
        cycle start to that day."""
        if not self:
            return 0.0
        self.ensure_one()
        if not self.date_start or not self.date_end:
            return 0.0
        if self.state == "closed":
            return 1.0
        total = ((date_end or self.date_end) - self.date_start).days
        if total <= 0:
            return 1.0 if date >= self.date_start else 0.0
        elapsed = (date - self.date_start).days
        return min(max(elapsed / total, 0.0), 1.0)

    def _get_date_after_start(self, days):
        """The day ``days`` after the cycle start, at the latest its end."""
        self.ensure_one()
        return min(self.date_start + timedelta(days=days), self.date_end)

    def action_start(self):
        self._check_can_steer()
        for cycle in self:
            if cycle.state != "draft":
                raise UserError(
                    _("Only a draft cycle can be started: '%s' is not.", cycle.name)
                )
        # the cycle's state is a system fact; _check_can_steer checked the right
        self.sudo().write({"state": "running"})
        # every draft objective of the cycle starts, not only the visible ones
        self.sudo().objective_ids.filtered(lambda o: o.state == "draft").write(
            {"state": "active"}
        )
        return True

    def action_close(self):
        """Grade the key results, score the objectives, lock the check-ins.

        A key result's score becomes its progress unless a manager graded it
        already. The work is done in batches: no query per key result.
        """
        self._check_can_steer()
        for cycle in self:
            if cycle.state == "closed":
                raise UserError(_("Cycle '%s' is already closed.", cycle.name))
        # every key result of the cycle, whatever the closing manager can see
        key_results = (
            self.env["okr.key.result"]
            .sudo()
            .with_context(active_test=False)
            .search([("cycle_id", "in", self.ids)])
        )
        # the manager grades are kept; every key result gets its result
        key_results._grade_from_progress()
        objectives = self.sudo().objective_ids.filtered(lambda o: o.state == "active")
        # the summary posted on the cycle tells it: no message per objective
        objectives.with_context(tracking_disable=True).write({"state": "done"})
        self.sudo().write({"state": "closed"})
        self.flush_recordset()
        for cycle in self:
            cycle._post_close_summary()
        return True

    def action_export_xlsx(self):
        """Download the cycle as a workbook: objectives with their alignment
        path, key results and check-ins."""
        self.ensure_one()
        return self.env["okr.cycle.export"]._action_download(self)

    def action_reopen(self):
        """Only an OKR Administrator reopens a closed cycle; the chatter
        keeps who did it and when."""
        if not self.env.su and not self.env.user.has_group(
            "okr_management.group_okr_admin"
        ):
            raise AccessError(_("Only an OKR Administrator can reopen a closed cycle."))
        self.check_access("write")
        for cycle in self:
            if cycle.state != "closed":
                raise UserError(_("Cycle '%s' is not closed.", cycle.name))
        # the cycle's state is a system fact; the admin right was checked above
        self.sudo().write({"state": "running"})
        for cycle in self:
            cycle.message_post(
                body=_(
                    "Cycle reopened by %(user)s: its objectives, key results and "
                    "check-ins can change again.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @api.model
    def _cron_update_status(self):
        """Statuses follow the calendar: recompute them for running cycles."""
        cycles = self.search([("state", "=", "running")])
        for model_name in ("okr.key.result", "okr.objective"):
            records = self.env[model_name].search([("cycle_id", "in", cycles.ids)])
            run_isolated(records, self._recompute_status, "OKR status update")
        # the calendar rules of the key results: overdue milestones, deadlines
        self.env["okr.key.result.milestone"]._cron_notify_overdue()
        self.env["okr.key.result"]._cron_notify_missed_deadlines()
        return True

    @api.model
    def _recompute_status(self, records):
        """The day changed: each status is computed again (and written, and
        tracked) from the pace of today."""
        self.env.add_to_compute(records._fields["status"], records)
        records.flush_recordset(["status"])

    def _post_close_summary(self):
        self.ensure_one()
        objectives = self.objective_ids.filtered(lambda o: o.state != "cancelled")
        groups = self.env["okr.key.result"]._read_group(
            [("cycle_id", "=", self.id)], [], ["__count", "score:avg"]
        )
        kr_count, kr_score = groups[0] if groups else (0, 0.0)
        scale = self.env["okr.score.mixin"]._format_score
        self.message_post(
            body=_(
                "Cycle closed: %(objectives)s objectives and %(krs)s key results "
                "graded. Mean key-result score: %(score)s.",
                objectives=len(objectives),
                krs=kr_count,
                score=scale(kr_score or 0.0),
            ),
            subtype_xmlid="mail.mt_note",
        )
