from odoo import api, fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    okr_alignment_rate = fields.Float(
        string="OKR Alignment Rate",
        compute="_compute_okr_alignment_rate",
        help="Share of the department's objectives in running cycles whose "
        "alignment chain leads up to a company objective.",
    )
    okr_objective_count = fields.Integer(
        string="Objectives (running cycles)",
        compute="_compute_okr_alignment_rate",
    )

    @api.model_create_multi
    def create(self, vals_list):
        departments = super().create(vals_list)
        # the OKR rules' department trees (flushed first, as for employees)
        departments.flush_recordset(["parent_id", "active"])
        self.env.registry.clear_cache()
        return departments

    def write(self, vals):
        result = super().write(vals)
        if {"parent_id", "active"} & set(vals):
            self.flush_recordset(["parent_id", "active"])
            self.env.registry.clear_cache()  # the OKR rules' department trees
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()  # the OKR rules' department trees
        return result

    def _compute_okr_alignment_rate(self):
        counts = self._okr_alignment_counts()
        for department in self:
            total, aligned = counts.get(department.id, (0, 0))
            department.okr_objective_count = total
            department.okr_alignment_rate = aligned / total if total else 0.0

    def _okr_alignment_rates(self, cycle_ids=None):
        """{department_id: share of its objectives aligned to a company objective}.

        Objectives of the given cycles (default: the running cycles of the
        allowed companies), cancelled ones excluded; on a recordset, its
        departments only. Departments without objectives are left out.
        """
        return {
            department_id: aligned / total
            for department_id, (total, aligned) in self._okr_alignment_counts(
                cycle_ids
            ).items()
            if total
        }

    def _okr_alignment_counts(self, cycle_ids=None):
        """{department_id: (objectives, objectives aligned to the company)}, in
        one grouped query, over the objectives the reader may read: counts
        never reveal objectives hidden from them."""
        domain = [
            ("department_id", "!=", False),
            ("state", "!=", "cancelled"),
            ("company_id", "in", self.env.companies.ids),
        ]
        if cycle_ids is None:
            domain.append(("cycle_id.state", "=", "running"))
        else:
            domain.append(("cycle_id", "in", list(cycle_ids)))
        if self:
            domain.append(("department_id", "in", self._origin.ids))
        counts = {}
        for department, is_aligned, count in self.env["okr.objective"]._read_group(
            domain, ["department_id", "is_aligned_to_company"], ["__count"]
        ):
            total, aligned = counts.get(department.id, (0, 0))
            counts[department.id] = (
                total + count,
                aligned + (count if is_aligned else 0),
            )
        return counts
