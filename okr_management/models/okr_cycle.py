from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class OkrCycle(models.Model):
    _name = "okr.cycle"
    _description = "OKR Cycle"
    _inherit = ["mail.thread"]
    _order = "date_start desc, id desc"

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

    def _get_expected_progress(self, date):
        """Share of the cycle elapsed on ``date``, between 0.0 and 1.0."""
        if not self:
            return 0.0
        self.ensure_one()
        if not self.date_start or not self.date_end:
            return 0.0
        if self.state == "closed":
            return 1.0
        total = (self.date_end - self.date_start).days
        if total <= 0:
            return 1.0 if date >= self.date_start else 0.0
        elapsed = (date - self.date_start).days
        return min(max(elapsed / total, 0.0), 1.0)

    def action_start(self):
        for cycle in self:
            if cycle.state != "draft":
                raise UserError(
                    _("Only a draft cycle can be started: '%s' is not.", cycle.name)
                )
        self.write({"state": "running"})
        self.objective_ids.filtered(lambda o: o.state == "draft").write(
            {"state": "active"}
        )
        return True

    def action_close(self):
        """Grade the key results, score the objectives, lock the check-ins.

        A key result's score becomes its progress unless a manager graded it
        already. The work is done in batches: no query per key result.
        """
        for cycle in self:
            if cycle.state == "closed":
                raise UserError(_("Cycle '%s' is already closed.", cycle.name))
        key_results = self.env["okr.key.result"].search(
            [("cycle_id", "in", self.ids), ("score_graded", "=", False)]
        )
        key_results._grade_from_progress()
        self.write({"state": "closed"})
        objectives = self.objective_ids.filtered(lambda o: o.state == "active")
        # the summary posted on the cycle tells it: no message per objective
        objectives.with_context(tracking_disable=True).write({"state": "done"})
        self.flush_recordset()
        for cycle in self:
            cycle._post_close_summary()
        return True

    def action_export_xlsx(self):
        """Download the cycle as a workbook: objectives with their alignment
        path, key results and check-ins."""
        self.ensure_one()
        return self.env["okr.cycle.export"].action_download(self)

    def action_reopen(self):
        self.write({"state": "running"})
        return True

    @api.model
    def _cron_update_status(self):
        """Statuses follow the calendar: recompute them for running cycles."""
        cycles = self.search([("state", "=", "running")])
        for model_name in ("okr.key.result", "okr.objective"):
            records = self.env[model_name].search([("cycle_id", "in", cycles.ids)])
            self.env.add_to_compute(records._fields["status"], records)
            records._recompute_recordset(["status"])
        return True

    def _post_close_summary(self):
        self.ensure_one()
        objectives = self.objective_ids.filtered(lambda o: o.state != "cancelled")
        groups = self.env["okr.key.result"]._read_group(
            [("cycle_id", "=", self.id)], [], ["__count", "score:avg"]
        )
        kr_count, kr_score = groups[0] if groups else (0, 0.0)
        scale = self.env["okr.objective"]._format_score
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
