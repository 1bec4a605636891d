from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class OkrCheckIn(models.Model):
    _name = "okr.check.in"
    _description = "OKR Check-in"
    _order = "date desc, id desc"
    _rec_name = "key_result_id"

    key_result_id = fields.Many2one(
        "okr.key.result", required=True, index=True, ondelete="cascade"
    )
    objective_id = fields.Many2one(
        related="key_result_id.objective_id", store=True, index=True
    )
    cycle_id = fields.Many2one(
        related="key_result_id.cycle_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="key_result_id.company_id", store=True, precompute=True
    )
    owner_id = fields.Many2one(
        related="key_result_id.owner_id", string="Key Result Owner"
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    value = fields.Float(required=True)
    confidence = fields.Integer(default=5, help="From 0 (no chance) to 10 (certain).")
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users",
        string="Checked in by",
        required=True,
        default=lambda self: self.env.user,
    )
    source = fields.Selection(
        [
            ("manual", "Manual"),
            ("api", "API"),
            ("import", "Import"),
            ("aligned", "Aligned Objectives"),
        ],
        default="manual",
        required=True,
        help="Where the value came from.",
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        aggregator="avg",
        help="The key result's progress at this value.",
    )
    external_id = fields.Char(
        string="External Reference",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The reference an integration (MES, gateway, script) gave this "
        "reading: sent again for the same key result, it returns this check-in "
        "instead of recording a second one.",
    )
    unit = fields.Char(related="key_result_id.unit")
    expected_progress = fields.Float(
        compute="_compute_expected_progress",
        store=True,
        aggregator="avg",
        help="The cycle's expected progress on the check-in date: the even-pace "
        "line the progress is compared with.",
    )

    _sql_constraints = [
        (
            "external_id_unique",
            "UNIQUE(key_result_id, external_id)",
            "A key result has one check-in per external reference.",
        ),
    ]

    @api.depends(
        "value",
        "key_result_id.start_value",
        "key_result_id.target_value",
        "key_result_id.direction",
        "key_result_id.maintain_mode",
    )
    def _compute_progress(self):
        for check_in in self:
            check_in.progress = (
                check_in.key_result_id._progress_for_value(check_in.value)
                if check_in.key_result_id
                else 0.0
            )

    @api.depends("date", "cycle_id.date_start", "cycle_id.date_end")
    def _compute_expected_progress(self):
        for check_in in self:
            check_in.expected_progress = check_in.cycle_id._get_expected_progress(
                check_in.date
            )

    @api.constrains("confidence")
    def _check_confidence(self):
        for check_in in self:
            if not 0 <= check_in.confidence <= 10:
                raise ValidationError(
                    _(
                        "Confidence must lie between 0 and 10 (got %s).",
                        check_in.confidence,
                    )
                )

    @api.constrains("date", "cycle_id")
    def _check_date(self):
        today = fields.Date.context_today(self)
        for check_in in self:
            if check_in.date > today:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the check-in Date (%(date)s) is in "
                        "the future; check in what was measured, up to today.",
                        kr=check_in.key_result_id.name,
                        date=check_in.date,
                    )
                )
            start = check_in.cycle_id.date_start
            if start and check_in.date < start:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the check-in Date (%(date)s) is "
                        "before the start of cycle '%(cycle)s' (%(start)s).",
                        kr=check_in.key_result_id.name,
                        date=check_in.date,
                        cycle=check_in.cycle_id.name,
                        start=start,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        key_result_ids_by_source = defaultdict(set)
        for vals in vals_list:
            key_result_ids_by_source[vals.get("source", "manual")].add(
                vals.get("key_result_id")
            )
        for source, key_result_ids in key_result_ids_by_source.items():
            self.env["okr.key.result"].browse(
                key_result_ids - {None, False}
            )._check_check_in_allowed(source)
        check_ins = super().create(vals_list)
        check_ins._refresh_aligned_key_results()
        return check_ins

    def _refresh_aligned_key_results(self):
        """A check-in moves its objective: move the parent key results fed by
        their aligned objectives too (up the alignment chain, one level per
        check-in they record)."""
        self.sudo().key_result_id.objective_id.parent_key_result_id._refresh_if_aligned()

    def write(self, vals):
        if "external_id" in vals and not self.env.su:
            raise UserError(
                _(
                    "The External Reference of a check-in is given when it is "
                    "recorded and cannot be changed."
                )
            )
        self.key_result_id._check_check_in_allowed(vals.get("source", "manual"))
        return super().write(vals)

    def unlink(self):
        self.key_result_id._check_check_in_allowed("manual")
        return super().unlink()
