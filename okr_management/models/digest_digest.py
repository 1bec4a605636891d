from datetime import datetime, time, timedelta

from odoo import fields, models
from odoo.exceptions import AccessError

from ..tools import get_setting


class Digest(models.Model):
    """OKR figures in Odoo's periodic digest, chosen like the others in the
    digest's settings. The digest computes each figure as its recipient
    (``with_user``): every search below runs with the recipient's record
    rules, so each reader counts only what they may read."""

    _inherit = "digest.digest"

    kpi_okr_check_in_rate = fields.Boolean("OKR Check-in Rate (%)")
    kpi_okr_check_in_rate_value = fields.Integer(
        compute="_compute_kpi_okr_check_in_rate_value",
        export_string_translation=False,
    )
    kpi_okr_off_track = fields.Boolean("Key Results Off Track")
    kpi_okr_off_track_value = fields.Integer(
        compute="_compute_kpi_okr_off_track_value", export_string_translation=False
    )
    kpi_okr_no_check_in = fields.Boolean("Key Results without Check-in")
    kpi_okr_no_check_in_value = fields.Integer(
        compute="_compute_kpi_okr_no_check_in_value",
        export_string_translation=False,
    )
    kpi_okr_overdue_commitments = fields.Boolean("Overdue Commitments")
    kpi_okr_overdue_commitments_value = fields.Integer(
        compute="_compute_kpi_okr_overdue_commitments_value",
        export_string_translation=False,
    )
    kpi_okr_to_acknowledge = fields.Boolean("Check-ins to Acknowledge")
    kpi_okr_to_acknowledge_value = fields.Integer(
        compute="_compute_kpi_okr_to_acknowledge_value",
        export_string_translation=False,
    )

    def _okr_check_reader(self):
        """The digest skips a figure its reader may not read (AccessError)."""
        if not self.env.user.has_group("okr_management.group_okr_user"):
            raise AccessError(
                self.env._("Do not have access, skip this data for user's digest email")
            )

    def _okr_running_key_result_domain(self):
        __, __, companies = self._get_kpi_compute_parameters()
        return [
            ("company_id", "in", companies.ids),
            ("cycle_id.state", "=", "running"),
            ("objective_id.state", "=", "active"),
        ]

    def _okr_check_in_key_result_domain(self):
        """Running key results that take check-ins by hand (not computed)."""
        return [
            *self._okr_running_key_result_domain(),
            (
                "source",
                "not in",
                self.env["okr.key.result"]._get_computed_sources(),
            ),
        ]

    def _compute_kpi_okr_check_in_rate_value(self):
        """Share of the running key results checked in during the period."""
        self._okr_check_reader()
        start, end, __ = self._get_kpi_compute_parameters()
        KeyResult = self.env["okr.key.result"]
        domain = self._okr_check_in_key_result_domain()
        total = KeyResult.search_count(domain)
        checked = KeyResult.search_count(
            [
                *domain,
                (
                    "check_in_ids",
                    "any",
                    [("create_date", ">=", start), ("create_date", "<", end)],
                ),
            ]
        )
        self.kpi_okr_check_in_rate_value = round(100 * checked / total) if total else 0

    def _compute_kpi_okr_off_track_value(self):
        self._okr_check_reader()
        self.kpi_okr_off_track_value = self.env["okr.key.result"].search_count(
            [*self._okr_running_key_result_domain(), ("status", "=", "off_track")]
        )

    def _compute_kpi_okr_no_check_in_value(self):
        """Key results without a check-in for the reminder delay (Settings)."""
        self._okr_check_reader()
        days = max(get_setting(self.env, "reminder_days"), 1)
        limit = fields.Date.context_today(self) - timedelta(days=days)
        self.kpi_okr_no_check_in_value = self.env["okr.key.result"].search_count(
            [
                *self._okr_check_in_key_result_domain(),
                "|",
                ("last_check_in_date", "<=", limit),
                "&",
                ("last_check_in_date", "=", False),
                ("create_date", "<", datetime.combine(limit, time.max)),
            ]
        )

    def _compute_kpi_okr_overdue_commitments_value(self):
        self._okr_check_reader()
        __, __, companies = self._get_kpi_compute_parameters()
        self.kpi_okr_overdue_commitments_value = self.env[
            "okr.commitment"
        ].search_count(
            [
                ("company_id", "in", companies.ids),
                ("cycle_id.state", "!=", "closed"),
                ("is_overdue", "=", True),
            ]
        )

    def _compute_kpi_okr_to_acknowledge_value(self):
        """The reader's team's check-ins waiting for their acknowledgement."""
        self._okr_check_reader()
        __, __, companies = self._get_kpi_compute_parameters()
        self.kpi_okr_to_acknowledge_value = self.env["okr.check.in"].search_count(
            [("company_id", "in", companies.ids), ("to_acknowledge", "=", True)]
        )

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("okr_management.menu_okr_root").id
        key_results = f"okr_management.okr_key_result_action?menu_id={menu}"
        res.update(
            {
                "kpi_okr_check_in_rate": (
                    f"okr_management.okr_check_in_action?menu_id={menu}"
                ),
                "kpi_okr_off_track": key_results,
                "kpi_okr_no_check_in": key_results,
                "kpi_okr_overdue_commitments": (
                    f"okr_management.okr_commitment_action?menu_id={menu}"
                ),
                "kpi_okr_to_acknowledge": (
                    f"okr_management.okr_check_in_action_to_acknowledge?menu_id={menu}"
                ),
            }
        )
        return res
