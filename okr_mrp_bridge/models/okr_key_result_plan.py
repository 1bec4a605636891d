from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import sources as registry
from ..sources.base import Scope

# the sources whose figure the ERP's plans extend (the planned landing)
PLAN_SOURCE_KEYS = registry.get_plan_source_keys()


class OkrKeyResultPlan(models.Model):
    """The planned landing of a production-fed key result: where the
    confirmed, not yet done orders of its scope bring it if they finish as
    planned inside its period, and the status it gives (at least At Risk
    when the plan does not reach the target)."""

    _inherit = "okr.key.result"

    planned_value = fields.Float(
        string="Planned Landing",
        compute="_compute_planned_value",
        store=True,
        help="Where the value will end if the confirmed orders not done yet "
        "in its scope finish as planned inside the cycle: the finished "
        "quantity so far plus the quantities planned, or the on-time rate and "
        "lead time of the done orders with the planned ones at their planned "
        "dates. In the key result's unit.",
    )
    has_planned_value = fields.Boolean(
        string="Has a Plan",
        compute="_compute_planned_value",
        store=True,
        help="The source has a plan: the ERP's planned orders say where it "
        "lands. Without one the planned landing shows 'no plan'.",
    )
    plan_refresh_date = fields.Datetime(
        string="Plan Changed",
        readonly=True,
        copy=False,
        help="When an order in scope was last confirmed, rescheduled, "
        "cancelled or done: the planned landing is recomputed then.",
    )
    plan_misses_target = fields.Boolean(
        compute="_compute_status",
        store=True,
        help="The planned landing does not reach the target: the key result "
        "is at least At Risk, whatever its pace.",
    )
    status_reason = fields.Char(
        compute="_compute_status",
        store=True,
        help="Why the status is worse than the pace says.",
    )

    @api.depends(
        "source",
        "current_value",
        "workorder_ids",
        "production_ids",
        "workcenter_ids",
        "product_ids",
        "uom_id",
        "cycle_id.date_start",
        "cycle_id.date_end",
        "plan_refresh_date",
    )
    def _compute_planned_value(self):
        """The planned landing of the key results with a plan, each source
        family in a fixed number of queries (the done and the planned records
        aggregated once per bucket, whatever their number); the others have
        none. A key result whose plan cannot be computed (units of different
        categories) has none either."""
        planned = self.filtered(
            lambda kr: kr.source in PLAN_SOURCE_KEYS and kr._origin.id and kr.cycle_id
        )
        values = {}
        if planned:
            origins = planned._origin
            scopes = Scope.from_key_results(origins)
            for family in registry.REGISTRY.values():
                if family.plan_sources:
                    values.update(family.compute_plan(origins, scopes)[0])
        for key_result in self:
            value = values.get(key_result._origin.id)
            key_result.has_planned_value = value is not None
            key_result.planned_value = value or 0.0

    @api.depends(
        "production_risk",
        "planned_value",
        "has_planned_value",
        "start_value",
        "target_value",
        "direction",
        "maintain_mode",
    )
    def _compute_status(self):
        """The pace status, then two production rules: an open shop-floor
        alert, or a planned landing short of the target, make an on-track key
        result At Risk; the reason is kept beside the status."""
        res = super()._compute_status()
        for key_result in self:
            # a rate at its target today may still land below it
            misses = (
                key_result.has_planned_value
                and key_result._progress_for_value(key_result.planned_value) < 1.0
            )
            key_result.plan_misses_target = misses
            reason = False
            if misses:
                reason = _("the plan does not reach the target")
            elif key_result.production_risk:
                reason = _("a shop-floor alert is open")
            if reason and key_result.status == "on_track":
                key_result.status = "at_risk"
            key_result.status_reason = reason
        return res

    def action_view_planned_records(self):
        """The planned records behind the planned landing: the domain its
        figure aggregates."""
        self.ensure_one()
        self.check_access("read")
        family = registry.get_family(self.source)
        if not family or self.source not in family.plan_sources:
            raise UserError(
                _("Key result '%(kr)s' has no plan in the ERP.", kr=self.name)
            )
        action = self.env["ir.actions.actions"]._for_xml_id(family.action_xmlid)
        action.update(
            domain=family.get_plan_domain(self),
            context={"create": False},
            name=_("Planned for %(kr)s", kr=self.name),
        )
        return action

    def _get_off_track_reasons(self):
        # the off-track notice says why the status is worse than its pace
        reasons = super()._get_off_track_reasons()
        if self.status_reason:
            reasons.append(self.status_reason)
        return reasons

    @api.model
    def _refresh_plan_for_productions(self, productions):
        """Orders confirmed, rescheduled, cancelled or done: the key results
        whose plan they may feed recompute their planned landing now."""
        if not productions:
            return self.browse()
        key_results = self._search_affected(
            workorders=productions.workorder_ids,
            productions=productions,
            workcenters=productions.workorder_ids.workcenter_id,
            source_keys=PLAN_SOURCE_KEYS,
        )
        if key_results:
            key_results.write({"plan_refresh_date": fields.Datetime.now()})
        return key_results
