from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    okr_manager_user_ids = fields.Many2many(
        "res.users",
        string="OKR Reporting Line Users",
        compute="_compute_okr_manager_user_ids",
        search="_search_okr_manager_user_ids",
        compute_sudo=True,
        help="The users of this employee and of every manager above: who sees "
        "and steers the employee's private objectives.",
    )

    def _compute_okr_manager_user_ids(self):
        for employee in self:
            users = self.env["res.users"]
            seen = self.env["hr.employee"]
            current = employee
            while current and current not in seen:
                seen |= current
                users |= current.user_id
                current = current.parent_id
            employee.okr_manager_user_ids = users

    def _search_okr_manager_user_ids(self, operator, value):
        """Employees in the reporting line below the given users (their own
        employees included), in one recursive subquery: the record rules use
        it without a query per level of the org chart."""
        if operator not in ("in", "="):
            raise UserError(
                _("OKR Reporting Line Users can only be searched with 'in' or '='.")
            )
        user_ids = [value] if isinstance(value, int) else list(value)
        if not user_ids:
            return [(0, "=", 1)]
        subtree = SQL(
            """(
            WITH RECURSIVE okr_line(id) AS (
                SELECT id FROM hr_employee WHERE user_id IN %s AND active
                 UNION
                SELECT employee.id
                  FROM hr_employee employee
                  JOIN okr_line ON employee.parent_id = okr_line.id
            )
            SELECT id FROM okr_line
            )""",
            tuple(user_ids),
        )
        return [("id", "in", subtree)]
