from odoo import api, models, tools


class ResUsers(models.Model):
    _inherit = "res.users"

    # ------------------------------------------------------------------
    # What the OKR record rules read of the org chart ("owner in my
    # reporting line", "my department"): rules call these when Odoo computes
    # their domain, so the tree is read once per user rather than by a
    # child_of at every search. Cached per user; hr.employee and
    # hr.department clear the cache when the chart changes.
    # ------------------------------------------------------------------
    @tools.ormcache("self.id")
    def _okr_managed_employee_ids(self):
        """The user's employees and everyone below them in the reporting
        line (``child_of`` on the manager), as a tuple of ids."""
        # the org chart is read whole: the rules need the reporting line
        Employee = self.env["hr.employee"].sudo().with_context(active_test=False)
        # a user's own employees, whatever the HR access
        employees = self.sudo().with_context(active_test=False).employee_ids
        if not employees:
            return ()
        return tuple(Employee.search([("id", "child_of", employees.ids)]).ids)

    def _okr_check_in_domain(self, path=""):
        """Where this user may check in, as a domain: on the key results
        (``path`` "") or on the check-ins (``path`` "key_result_id."). The one
        definition of the check-in permission: the check-ins' record rule and
        ``okr.key.result._filter_check_in_allowed`` both read it.

        Owners and their reporting line check in on their key results and
        those of their objectives; OKR Managers on every key result but the
        private ones of others."""
        managed = list(self._okr_managed_employee_ids())
        domain = [
            "|",
            (f"{path}owner_id", "in", managed),
            (f"{path}objective_id.owner_id", "in", managed),
        ]
        if self.has_group("okr_management.group_okr_manager"):
            domain = ["|", (f"{path}objective_id.visibility", "!=", "private"), *domain]
        return domain

    @tools.ormcache("self.id")
    def _okr_department_ids(self):
        """The departments of the user's employees and their sub-departments,
        as a tuple of ids."""
        # the department tree is read whole: the rules need it
        Department = self.env["hr.department"].sudo().with_context(active_test=False)
        # a user's own employees, whatever the HR access
        departments = self.sudo().with_context(active_test=False).employee_ids
        departments = departments.department_id
        if not departments:
            return ()
        return tuple(Department.search([("id", "child_of", departments.ids)]).ids)

    # ------------------------------------------------------------------
    # Onboarding
    # ------------------------------------------------------------------
    @api.depends("create_date")
    def _compute_tour_enabled(self):
        """New OKR users get the onboarding tour on their first visit, demo
        database or not (web_tour keeps onboarding for administrators of
        databases without demo data). Once the tour is done web_tour does not
        show it again; the user menu's Onboarding switch turns tours off."""
        res = super()._compute_tour_enabled()
        for user in self:
            if (
                not user.tour_enabled
                and not user.share
                and user.has_group("okr_management.group_okr_user")
            ):
                user.tour_enabled = True
        return res

    def write(self, vals):
        if "groups_id" not in vals and not any(
            key.startswith(("in_group_", "sel_groups_")) for key in vals
        ):
            return super().write(vals)
        before = self._okr_users_snapshot()
        result = super().write(vals)
        self._okr_enable_onboarding(before)
        return result

    @api.model
    def _okr_users_snapshot(self):
        """The OKR users now (the group and the groups implying it)."""
        # group membership is read whole, whatever the writer reads of users
        return self.env.ref("okr_management.group_okr_user").sudo().users

    @api.model
    def _okr_enable_onboarding(self, before):
        """Users who became OKR users since ``before`` get the onboarding
        tour on their next visit; web_tour shows a tour they went through
        never again."""
        gained = (self._okr_users_snapshot() - before).filtered(
            lambda user: not user.share and not user.tour_enabled
        )
        if gained:
            # the onboarding switch is the user's own; turned on for them
            gained.sudo().write({"tour_enabled": True})
