from odoo import models


class OkrBoardShare(models.Model):
    """What the shop floor reads on a TV tile of a production-fed key
    result: its open shop-floor alerts and where the confirmed plans make it
    land."""

    _inherit = "okr.board.share"

    def _tv_board_extra(self, key_results):
        extras = super()._tv_board_extra(key_results)
        fed = key_results.filtered("is_production_fed")
        if not fed:
            return extras
        # the board runs as superuser on a validated link (see _get_board_data)
        alert_groups = self.env["okr.production.alert"]._read_group(
            [("key_result_id", "in", fed.ids), ("activity_id.active", "=", True)],
            ["key_result_id"],
            ["__count"],
        )
        alerts = {key_result.id: count for key_result, count in alert_groups}
        for key_result in fed:
            extra = extras.setdefault(key_result.id, {})
            extra["alert_count"] = alerts.get(key_result.id, 0)
            if key_result.has_planned_value:
                extra["note"] = key_result.with_context(lang=self.env.lang).env._(
                    "Planned: %(value)s",
                    value=key_result._format_value(key_result.planned_value),
                )
                if key_result.plan_misses_target:
                    extra["note"] += " · " + key_result.env._(
                        "the plan does not reach the target"
                    )
        return extras
