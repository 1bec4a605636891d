from odoo import api, fields, models
from odoo.exceptions import ValidationError

# the bounds of a page's time on screen, in seconds
PAGE_INTERVAL_RANGE = (5, 300)


class OkrBoardShare(models.Model):
    """Pages of the TV board: when the tiles do not fit the screen they are
    shown page by page, each for the link's interval, with a page indicator;
    no tile is ever cut. Archived objectives and key results never show."""

    _inherit = "okr.board.share"

    page_interval = fields.Integer(
        string="Seconds per Page",
        default=15,
        required=True,
        help="When the tiles do not fit the screen, the board shows them page "
        "by page, each this many seconds.",
    )

    @api.constrains("page_interval")
    def _check_page_interval(self):
        low, high = PAGE_INTERVAL_RANGE
        for share in self:
            if not low <= share.page_interval <= high:
                raise ValidationError(
                    self.env._(
                        "TV board %(name)s: Seconds per Page must lie between "
                        "%(low)s and %(high)s (got %(value)s).",
                        name=share.name,
                        low=low,
                        high=high,
                        value=share.page_interval,
                    )
                )

    def _get_key_result_domain(self):
        # archived key results and objectives are history, not the board
        return [
            *super()._get_key_result_domain(),
            ("active", "=", True),
            ("objective_id.active", "=", True),
        ]

    def _get_board_data(self):
        data = super()._get_board_data()
        data["page_interval"] = self.page_interval
        data["labels"]["page"] = self.env._("Page")
        return data
