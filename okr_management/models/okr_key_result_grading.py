from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare

from ..tools import parse_number
from .okr_pace_mixin import SCORE_BAND_SELECTION


class OkrKeyResultGrading(models.Model):
    """Scores of key results: a manager's grade, the grade at the cycle's
    close, the result and the retrospective's flags."""

    _inherit = "okr.key.result"

    score = fields.Float(
        aggregator="avg",
        tracking=True,
        copy=False,
        help="From 0.0 to 1.0. Set to the progress when the cycle closes, "
        "unless a manager graded the key result before.",
    )
    score_graded = fields.Boolean(
        string="Graded by a Manager",
        copy=False,
        help="Set when an OKR manager graded the key result; closing the cycle "
        "keeps that score.",
    )
    graded_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    graded_date = fields.Datetime(string="Graded On", copy=False, readonly=True)
    result = fields.Selection(
        [("achieved", "Achieved"), ("partial", "Partial"), ("missed", "Missed")],
        readonly=True,
        copy=False,
        help="Set when the cycle closes, from the score: achieved at or above "
        "the success threshold of the key result's type, missed below the "
        "'missed below' value of the Settings, partial in between.",
    )
    score_band = fields.Selection(
        SCORE_BAND_SELECTION,
        string="Ambition Band",
        compute="_compute_score_band",
        help="Where the score of a graded key result falls against the ideal "
        "band of the scoring scale (Settings).",
    )
    score_display = fields.Char(
        string="Score (scale)", compute="_compute_score_display"
    )
    retro_flag = fields.Char(
        string="Retrospective",
        compute="_compute_score_band",
        help="What the retrospective should discuss about this key result.",
    )

    @api.depends("score")
    def _compute_score_display(self):
        scale = self._get_score_scale()
        for key_result in self:
            key_result.score_display = self._format_score(key_result.score, scale)

    @api.depends("score", "score_graded", "cycle_id.state", "result", "kr_type")
    def _compute_score_band(self):
        limits = self._get_score_band_limits()
        # translated once for the batch (a closing cycle has thousands)
        missed_flag = _("Committed and missed: what blocked it?")
        band_flags = {
            "above": _("Scored above the band: the target may have been too easy."),
            "below": _(
                "Scored below the band: the target may have been too "
                "hard, or the work stalled."
            ),
        }
        for key_result in self:
            graded = key_result.cycle_id.state == "closed" or key_result.score_graded
            band = graded and self._get_score_band(key_result.score, limits)
            key_result.score_band = band
            flags = []
            if key_result.kr_type == "committed" and key_result.result == "missed":
                flags.append(missed_flag)
            if band in band_flags:
                flags.append(band_flags[band])
            key_result.retro_flag = " ".join(flags) or False

    @api.constrains("score")
    def _check_score(self):
        for key_result in self:
            if not 0.0 <= key_result.score <= 1.0:
                raise ValidationError(
                    _(
                        "Key result '%(kr)s': the Score must lie between 0.0 and "
                        "1.0 (got %(score)s).",
                        kr=key_result.name,
                        score=key_result.score,
                    )
                )

    def action_grade(self, score):
        """An OKR manager's grade (0.0-1.0) for these key results, kept when
        the cycle closes; records who graded and when. Nobody grades their own
        key result."""
        if not self.env.user.has_group("okr_management.group_okr_manager"):
            raise AccessError(_("Only an OKR Manager can grade key results."))
        score = parse_number(self.env, score, _("Score"))
        if not 0.0 <= score <= 1.0:
            raise UserError(
                _("Score: a grade between 0.0 and 1.0 is required, got %s.", score)
            )
        own = self.filtered(lambda kr: kr.user_id == self.env.user)
        if own:
            raise AccessError(
                _(
                    "Key result '%(kr)s' is yours: another OKR Manager grades it.",
                    kr=own[0].name,
                )
            )
        self.check_access("write")
        self._check_cycle_not_closed({"score"})
        # grades are system facts; the manager's right was checked above
        self.sudo().write(
            {
                "score": score,
                "score_graded": True,
                "graded_by_id": self.env.uid,
                "graded_date": fields.Datetime.now(),
            }
        )
        return True

    def action_open_grade_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Grade: %(kr)s", kr=self.name),
            "res_model": "okr.key.result.grade",
            "view_mode": "form",
            "target": "new",
            "context": {"default_key_result_id": self.id},
        }

    def _grade_from_progress(self):
        """Score = progress (unless a manager graded the key result), and the
        result from the score, for the cycle's close.

        The one documented query of grading: the scores and results, computed
        here by :meth:`_get_result`, are written for the whole batch in one
        UPDATE; the ORM is then told what changed (so objective scores and
        appraisal references recompute once for the batch), and the score's
        tracking is written explicitly, all messages in one creation. Closing
        a cycle so costs the same number of queries whatever its size. Access
        is checked once for the whole set.
        """
        if not self:
            return
        self.check_access("write")
        thresholds = self._get_result_thresholds()
        initial_scores = {key_result.id: key_result.score for key_result in self}
        scores = {
            key_result.id: key_result.score
            if key_result.score_graded
            else key_result.progress
            for key_result in self
        }
        ids = list(scores)
        self.env.cr.execute(
            SQL(
                """
                UPDATE okr_key_result kr
                   SET score = graded.score,
                       result = graded.result,
                       write_uid = %s,
                       write_date = (now() AT TIME ZONE 'UTC')
                  FROM unnest(%s::int[], %s::float8[], %s::varchar[])
                       AS graded(id, score, result)
                 WHERE kr.id = graded.id
                """,
                self.env.uid,
                ids,
                [scores[kr_id] for kr_id in ids],
                [
                    self._get_result(
                        scores[key_result.id], key_result.kr_type, thresholds
                    )
                    for key_result in self.browse(ids)
                ],
            )
        )
        self.invalidate_recordset(["score", "result", "write_uid", "write_date"])
        self.modified(["score", "result"])
        self._log_score_tracking(initial_scores)

    def _log_score_tracking(self, initial_scores):
        """The tracking messages of the score of these key results, from
        ``initial_scores`` ({id: score before}): the messages in one batch
        log, their tracking values in one creation."""
        changed = self.filtered(
            lambda kr: float_compare(
                initial_scores[kr.id], kr.score, precision_digits=6
            )
        )
        if not changed:
            return
        col_info = self.fields_get(
            ["score"], attributes=("string", "type", "selection", "currency_field")
        )["score"]
        # Odoo's batch log (as superuser): the tracking of grades the suite
        # wrote itself, see above
        messages = changed._message_log_batch(bodies=dict.fromkeys(changed.ids, ""))
        Tracking = self.env["mail.tracking.value"].sudo()
        Tracking.create(
            [
                dict(
                    Tracking._create_tracking_values(
                        initial_scores[key_result.id],
                        key_result.score,
                        "score",
                        col_info,
                        key_result,
                    ),
                    mail_message_id=message.id,
                )
                for key_result, message in zip(changed, messages, strict=True)
            ]
        )
