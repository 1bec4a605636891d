import logging

from odoo import _, api, fields, models
from odoo.osv import expression

_logger = logging.getLogger(__name__)

ALERT_CAUSES = [
    ("availability_loss", "Availability Loss"),
    ("late_workorder", "Late Work Order"),
    ("failed_inspection", "Failed Inspection"),
]


class OkrProductionAlert(models.Model):
    """One shop-floor event that reached a key result.

    Several events of the same cause share one open activity on the key
    result: the activity is scheduled once per (key result, cause) and the
    following events only log in the key result's chatter until it is done.
    """

    _name = "okr.production.alert"
    _description = "OKR Shop-floor Alert"
    _order = "date desc, id desc"
    _rec_name = "reference"

    key_result_id = fields.Many2one(
        "okr.key.result", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="key_result_id.company_id", store=True)
    cause = fields.Selection(ALERT_CAUSES, required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    reference = fields.Char(required=True, help="What happened where.")
    workcenter_id = fields.Many2one("mrp.workcenter", ondelete="set null")
    workorder_id = fields.Many2one("mrp.workorder", ondelete="set null", index=True)
    production_id = fields.Many2one("mrp.production", ondelete="set null")
    productivity_id = fields.Many2one(
        "mrp.workcenter.productivity", ondelete="set null"
    )
    inspection_id = fields.Many2one("qc.inspection", ondelete="set null")
    activity_id = fields.Many2one(
        "mail.activity",
        ondelete="set null",
        help="The open activity of the key result for this cause.",
    )

    @api.model
    def _search_linked_key_results(
        self, workcenters=None, workorders=None, productions=None
    ):
        """Key results of active objectives in running cycles linked to the
        records: directly, through a linked work order or manufacturing order."""
        workcenters = workcenters or self.env["mrp.workcenter"]
        workorders = workorders or self.env["mrp.workorder"]
        productions = productions or self.env["mrp.production"]
        links = []
        if workcenters:
            links += [
                [("workcenter_ids", "in", workcenters.ids)],
                [("workorder_ids.workcenter_id", "in", workcenters.ids)],
                [("production_ids.workorder_ids.workcenter_id", "in", workcenters.ids)],
            ]
        if workorders:
            links += [
                [("workorder_ids", "in", workorders.ids)],
                [("production_ids", "in", workorders.production_id.ids)],
            ]
        if productions:
            links += [
                [("production_ids", "in", productions.ids)],
                [("workorder_ids.production_id", "in", productions.ids)],
            ]
        if not links:
            return self.env["okr.key.result"]
        return (
            self.env["okr.key.result"]
            .sudo()
            .search(
                expression.AND(
                    [
                        [
                            ("cycle_id.state", "=", "running"),
                            ("objective_id.state", "=", "active"),
                        ],
                        expression.OR(links),
                    ]
                )
            )
        )

    @api.model
    def _raise_alert(self, key_results, cause, reference, message, **links):
        """Tell the owners of ``key_results`` what happened.

        One activity per (key result, cause) while it is open; every event is
        logged in the key result's chatter and kept as an alert record.
        """
        if not key_results:
            return self.browse()
        key_results = key_results.sudo()
        activity_type = self.env.ref(
            "okr_mrp_bridge.mail_activity_type_production_alert"
        )
        open_alerts = self.sudo().search(
            [
                ("key_result_id", "in", key_results.ids),
                ("cause", "=", cause),
                ("activity_id.active", "=", True),
            ]
        )
        open_activity = {
            alert.key_result_id.id: alert.activity_id for alert in open_alerts
        }
        cause_label = dict(self._fields["cause"]._description_selection(self.env))[
            cause
        ]
        alert_vals = []
        for key_result in key_results:
            activity = open_activity.get(key_result.id)
            if not activity:
                user = key_result.user_id or key_result.objective_id.user_id
                activity = key_result.activity_schedule(
                    activity_type_id=activity_type.id,
                    summary=_(
                        "%(cause)s: %(reference)s",
                        cause=cause_label,
                        reference=reference,
                    ),
                    note=message,
                    user_id=(user or self.env.ref("base.user_root")).id,
                )
            key_result.message_post(
                body=_(
                    "Shop-floor alert (%(cause)s): %(message)s",
                    cause=cause_label,
                    message=message,
                ),
                subtype_xmlid="mail.mt_note",
            )
            alert_vals.append(
                dict(
                    links,
                    key_result_id=key_result.id,
                    cause=cause,
                    reference=reference,
                    activity_id=activity.id,
                )
            )
        return self.sudo().create(alert_vals)

    @api.model
    def _cron_check_late_workorders(self):
        """Alert on linked work orders that run past their planned end."""
        now = fields.Datetime.now()
        late = (
            self.env["mrp.workorder"]
            .sudo()
            .search(
                [
                    ("state", "in", ("pending", "waiting", "ready", "progress")),
                    ("date_finished", "<", now),
                ]
            )
        )
        if not late:
            return True
        already = set(
            self.sudo()
            .search(
                [("cause", "=", "late_workorder"), ("workorder_id", "in", late.ids)]
            )
            .mapped(lambda alert: (alert.key_result_id.id, alert.workorder_id.id))
        )
        key_results = self._search_linked_key_results(
            workorders=late, workcenters=late.workcenter_id
        )
        for workorder in late:
            targets = key_results.filtered(
                lambda kr, wo=workorder: (
                    (
                        wo in kr.workorder_ids
                        or wo.production_id in kr.production_ids
                        or wo.workcenter_id in kr.workcenter_ids
                    )
                    and (kr.id, wo.id) not in already
                )
            )
            for key_result in targets:
                try:
                    with self.env.cr.savepoint():
                        workorder._okr_alert_late(key_result)
                except Exception as error:  # pylint: disable=broad-except
                    # one failing key result must not stop the others' alerts
                    _logger.warning(
                        "okr.key.result %s skipped by the late work-order alerts "
                        "(work order %s): %s",
                        key_result.id,
                        workorder.id,
                        error,
                    )
        return True
