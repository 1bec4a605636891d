from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, format_date


class OkrKeyResultSource(models.Model):
    """Where a key result's value comes from: the contract the bridge
    modules plug into.

    A source is a value of ``source``. A module that feeds key results adds
    its sources to the selection, lists them in :meth:`_get_computed_sources`
    and returns their figures from :meth:`_get_source_values`; the refresh
    records them as system check-ins.
    """

    _inherit = "okr.key.result"

    source = fields.Selection(
        [("manual", "Manual"), ("aligned", "Aligned Objectives")],
        default="manual",
        required=True,
        tracking=True,
        help="Where the value comes from. Manual: check-ins by people. Aligned "
        "Objectives: the mean progress (in %) of the objectives that contribute "
        "to this key result, updated by itself.",
    )

    is_computed = fields.Boolean(
        string="Computed Value",
        compute="_compute_is_computed",
        search="_search_is_computed",
        help="The value comes from its source (aligned objectives, production "
        "or quality data) and Odoo refreshes it: nobody checks in by hand.",
    )

    last_refresh_note = fields.Char(
        string="Last Refresh",
        compute="_compute_last_refresh_note",
        help="For a computed key result: when its value was last refreshed from "
        "its source, and from what data.",
    )

    @api.depends("source")
    def _compute_is_computed(self):
        computed = self._get_computed_sources()
        for key_result in self:
            key_result.is_computed = key_result.source in computed

    def _search_is_computed(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(_("Computed Value can only be searched with = or !=."))
        computed = self._get_computed_sources()
        if (operator == "=") == bool(value):
            return [("source", "in", computed)]
        return [("source", "not in", computed)]

    @api.depends("source", "check_in_ids.date", "check_in_ids.source")
    def _compute_last_refresh_note(self):
        """The latest check-in recorded by the source, in one query."""
        computed = self.filtered("is_computed")
        latest = {}
        if computed._origin.ids:
            check_ins = self.env["okr.check.in"].search_fetch(
                [
                    ("key_result_id", "in", computed._origin.ids),
                    ("source", "in", self._get_computed_sources()),
                ],
                ["key_result_id", "date", "note"],
                order="date desc, id desc",
            )
            for check_in in check_ins:
                latest.setdefault(check_in.key_result_id.id, check_in)
        for key_result in self:
            check_in = latest.get(key_result._origin.id)
            if not key_result.is_computed:
                key_result.last_refresh_note = False
            elif not check_in:
                key_result.last_refresh_note = _("Not refreshed yet.")
            else:
                key_result.last_refresh_note = _(
                    "%(date)s: %(note)s",
                    date=format_date(self.env, check_in.date),
                    note=check_in.note or _("value refreshed"),
                )

    @api.model
    def _get_computed_sources(self):
        """Sources whose value Odoo computes: no check-in by hand on them.
        Bridge modules add theirs."""
        return ["aligned"]

    def _get_source_label(self):
        self.ensure_one()
        return dict(self._fields["source"]._description_selection(self.env)).get(
            self.source, self.source
        )

    def action_refresh_from_source(self):
        """Recompute the value of key results fed by a source.

        A check-in authored by the system is recorded for each key result whose
        value changed; its note says what data produced the value. Manual key
        results and closed cycles are left alone.
        """
        self.check_access("read")
        # the refresh is the system's; read access was checked above
        key_results = self.sudo().filtered(
            lambda kr: (
                kr.source in self._get_computed_sources()
                and kr.cycle_id.state != "closed"
            )
        )
        if not key_results:
            return True
        results = key_results._get_source_values()
        check_in_vals = []
        for key_result in key_results:
            value, note = results.get(key_result.id, (None, None))
            if value is not None and float_compare(
                value, key_result.current_value, precision_digits=4
            ):
                check_in_vals.append(
                    {
                        "key_result_id": key_result.id,
                        "value": value,
                        "note": note,
                        "source": key_result.source,
                        "user_id": SUPERUSER_ID,
                        "confidence": key_result.confidence or 5,
                    }
                )
        if check_in_vals:
            # system check-ins of the source, authored by the superuser
            self.env["okr.check.in"].sudo().create(check_in_vals)
        key_results._after_refresh_from_source(results)
        return True

    def _get_source_values(self):
        """``{key_result_id: (value or None, note)}`` for a batch of key results
        fed by a source, in a fixed number of queries. Here: the key results
        fed by their aligned objectives (mean progress in %); bridge modules
        add their sources."""
        aligned = self.filtered(lambda kr: kr.source == "aligned")
        if not aligned:
            return {}
        groups = (
            self.env["okr.objective"]
            # the mean counts every aligned objective, visible or not
            .sudo()
            ._read_group(
                [
                    ("parent_key_result_id", "in", aligned.ids),
                    ("state", "!=", "cancelled"),
                ],
                ["parent_key_result_id"],
                ["progress:avg", "__count"],
            )
        )
        rows = {kr.id: (avg, count) for kr, avg, count in groups}
        results = {}
        for key_result in aligned:
            avg, count = rows.get(key_result.id, (None, 0))
            if not count:
                results[key_result.id] = (None, _("No objective is aligned to it yet."))
                continue
            results[key_result.id] = (
                round(avg * 100.0, 2),
                _(
                    "Mean progress %(progress).1f%% of %(count)s aligned objectives.",
                    progress=avg * 100.0,
                    count=count,
                ),
            )
        return results

    def _after_refresh_from_source(self, results):
        """Hook called with the computed values after a refresh."""

    def _refresh_if_aligned(self):
        # the system refreshes aligned key results, whoever triggered it
        self.sudo().filtered(
            lambda kr: kr.source == "aligned"
        ).action_refresh_from_source()
