import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

# the board is read by a TV: never cached on the way, never indexed, and its
# token never sent on to another site
_BOARD_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Robots-Tag", "noindex, nofollow"),
    ("Referrer-Policy", "no-referrer"),
]
# what a token drawn by secrets.token_urlsafe looks like: anything else (a NUL
# character, a slash, a megabyte) is unknown, and answered like one
_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,128}")


class OkrTvBoard(http.Controller):
    def _get_share(self, token):
        """The valid link of ``token`` in its company's language. Unknown,
        revoked and expired tokens get the same 404."""
        if not isinstance(token, str) or not _TOKEN_PATTERN.fullmatch(token):
            # the same lookup as an unknown token, never a query with the input
            token = ""
        share = request.env["okr.board.share"]._get_by_token(token)
        if not share:
            raise NotFound()
        lang = share.company_id.partner_id.lang or "en_US"
        request.update_context(lang=lang)
        return share.with_context(lang=lang), lang

    @http.route(
        "/okr/board/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def tv_board(self, token, **kwargs):
        share, lang = self._get_share(token)
        values = {
            "board": share._get_board_data(),
            "data_url": f"/okr/board/{share.token}/data",
            "page_url": f"/okr/board/{share.token}",
            "html_lang": lang.replace("_", "-"),
        }
        return request.render(
            "okr_management.okr_tv_board_page",
            values,
            headers=[*_BOARD_HEADERS, ("Content-Language", values["html_lang"])],
        )

    @http.route(
        "/okr/board/<string:token>/data",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def tv_board_data(self, token, **kwargs):
        share, _lang = self._get_share(token)
        return request.make_json_response(
            share._get_board_data(), headers=_BOARD_HEADERS
        )
