import logging
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ..sources.base import get_linked_domain

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
    workcenter_id = fields.Many2one(
        "mrp.workcenter", string="Work Center", ondelete="set null"
    )
    workorder_id = fields.Many2one(
        "mrp.workorder", string="Work Order", ondelete="set null", index=True
    )
    production_id = fields.Many2one(
        "mrp.production", string="Manufacturing Order", ondelete="set null"
    )
    productivity_id = fields.Many2one(
        "mrp.workcenter.productivity", string="Time Log", ondelete="set null"
    )
    inspection_id = fields.Many2one("qc.inspection", ondelete="set null")
    activity_id = fields.Many2one(
        "mail.activity",
        ondelete="set null",
        help="The open activity of the key result for this cause.",
    )

    def action_open_source(self):
        """The record the event happened on: the inspection, the time log,
        the work order, the manufacturing order or the work center, the
        first one kept that the user may read."""
        self.ensure_one()
        self.check_access("read")
        for record in (
            self.inspection_id,
            self.productivity_id,
            self.workorder_id,
            self.production_id,
            self.workcenter_id,
        ):
            if record and record.has_access("read"):
                return {
                    "type": "ir.actions.act_window",
                    "res_model": record._name,
                    "res_id": record.id,
                    "views": [(False, "form")],
                    "name": record.display_name,
                }
        raise UserError(
            _(
                "Alert '%(alert)s': its records were deleted or you may not read them.",
                alert=self.reference,
            )
        )

    @api.model
    def _search_linked_key_results(
        self, workcenters=None, workorders=None, productions=None
    ):
        """Key results of active objectives in running cycles linked to the
        records: directly, through a linked work order or manufacturing order."""
        links = get_linked_domain(
            workorders.ids if workorders else (),
            productions.ids if productions else (),
            workcenters.ids if workcenters else (),
        )
        if links == expression.FALSE_DOMAIN:
            return self.env["okr.key.result"]
        # the event reaches every linked key result, also those the operator
        # or inspector who caused it may not read
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
                        links,
                    ]
                )
            )
        )

    @api.model
    def _raise_alert(self, key_results, cause, reference, message, **links):
        """Tell the owners of ``key_results`` what happened.

        One activity per (key result, cause) while it is open; every event is
        logged in the key result's chatter and kept as an alert record.
        ``reference`` and ``message`` are texts, or callables given an
        environment that return the text in its language: each owner then
        reads the alert in their own. The activities are scheduled once per
        owner and the chatter notes logged once per language: the queries
        grow with neither the key results nor their owners' number beyond
        that.
        """
        if not key_results:
            return self.browse()
        # the owners hear of it whoever caused the event: their key results,
        # activities and alerts are written as the system's
        key_results = key_results.sudo()
        open_alerts = self.sudo().search(
            [
                ("key_result_id", "in", key_results.ids),
                ("cause", "=", cause),
                ("activity_id.active", "=", True),
            ]
        )
        activities = {
            alert.key_result_id.id: alert.activity_id for alert in open_alerts
        }

        def text(value, env):
            return value(env) if callable(value) else value

        def cause_label(env):
            return dict(self._fields["cause"]._description_selection(env))[cause]

        root = self.env.ref("base.user_root")
        to_schedule = defaultdict(list)
        notes_by_lang = defaultdict(list)
        for key_result in key_results:
            user = key_result.user_id or key_result.objective_id.user_id
            if key_result.id not in activities:
                to_schedule[user or root].append(key_result.id)
            notes_by_lang[user.lang or self.env.lang].append(key_result.id)
        for user, key_result_ids in to_schedule.items():
            # in the owner's language, as _okr_schedule_activity writes it
            records = key_results.browse(key_result_ids).with_context(
                lang=user.lang or self.env.lang
            )
            scheduled = records.activity_schedule(
                "okr_mrp_bridge.mail_activity_type_production_alert",
                date_deadline=fields.Date.context_today(self),
                summary=records.env._(
                    "%(cause)s: %(reference)s",
                    cause=cause_label(records.env),
                    reference=text(reference, records.env),
                ),
                note=text(message, records.env),
                user_id=user.id,
            )
            activities.update({activity.res_id: activity for activity in scheduled})
        for lang, key_result_ids in notes_by_lang.items():
            # the chatter's note reads in the owner's language
            records = key_results.browse(key_result_ids).with_context(lang=lang)
            body = records.env._(
                "Shop-floor alert (%(cause)s): %(message)s",
                cause=cause_label(records.env),
                message=text(message, records.env),
            )
            records._message_log_batch(dict.fromkeys(key_result_ids, body))
        alert_reference = text(reference, self.env)
        # the alerts are the system's record of the events (users only read them)
        return self.sudo().create(
            [
                dict(
                    links,
                    key_result_id=key_result.id,
                    cause=cause,
                    reference=alert_reference,
                    activity_id=activities[key_result.id].id,
                )
                for key_result in key_results
            ]
        )

    @api.model
    def _cron_check_late_workorders(self):
        """Alert on linked work orders that run past their planned end."""
        now = fields.Datetime.now()
        # every late work order and its alerts, whoever runs the job by hand
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
        # the alerts already raised, also on key results no one here may read
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
            targets = key_results.filtered_domain(
                get_linked_domain(workorder.ids, (), workorder.workcenter_id.ids)
            ).filtered(lambda kr, wo=workorder: (kr.id, wo.id) not in already)
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
