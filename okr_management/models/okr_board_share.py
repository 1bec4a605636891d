import hmac
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# how many check-ins the trend line of a key result shows
TV_BOARD_TREND_POINTS = 8
# beyond this many key results the board switches to smaller tiles
TV_BOARD_FULL_SIZE_TILES = 6
# a token is compared against this one when none matches, so that an unknown
# token walks the same path as a known one
_DUMMY_TOKEN = secrets.token_urlsafe(32)


def _new_token():
    # 32 random bytes: 256 bits, far above the 128 the link needs
    return secrets.token_urlsafe(32)


class OkrBoardShare(models.Model):
    """A read-only link to the shop-floor TV board of one scope.

    Whoever holds the link sees, without logging in, the key results of the
    public objectives of the scope's running cycles: nothing else. The link
    works until it is revoked or its expiry date has passed.
    """

    _name = "okr.board.share"
    _inherit = ["okr.system.fields.mixin"]
    _description = "OKR TV Board Link"
    _order = "create_date desc, id desc"
    _check_company_auto = True
    # written by the suite only: the token at creation, the revocation
    _okr_system_fields = ("token", "state", "revoked_date", "revoked_by_id")
    _okr_system_computed_fields = False

    name = fields.Char(required=True, help="Where the board is shown, e.g. Hall 2.")
    scope = fields.Selection(
        [("department", "Department")],
        required=True,
        default="department",
        help="What the board shows. Department: the key results of the public "
        "objectives of the department and its sub-departments.",
    )
    department_id = fields.Many2one(
        "hr.department",
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    token = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: _new_token(),
        index=True,
    )
    url = fields.Char(string="Link", compute="_compute_url")
    state = fields.Selection(
        [("active", "Active"), ("revoked", "Revoked")],
        default="active",
        required=True,
        readonly=True,
        copy=False,
    )
    expiry_date = fields.Date(
        string="Expires On",
        help="The link works through this day. Empty: until it is revoked.",
    )
    is_valid = fields.Boolean(
        string="Works",
        compute="_compute_is_valid",
        help="Active and not past its expiry date: the board opens.",
    )
    revoked_date = fields.Datetime(readonly=True, copy=False)
    revoked_by_id = fields.Many2one("res.users", readonly=True, copy=False)

    _sql_constraints = [
        ("token_unique", "UNIQUE(token)", "Each board link has its own token."),
    ]

    @api.depends("token")
    def _compute_url(self):
        base_url = self.get_base_url()
        for share in self:
            share.url = f"{base_url}/okr/board/{share.token}" if share.token else False

    @api.depends("state", "expiry_date")
    def _compute_is_valid(self):
        today = fields.Date.context_today(self)
        for share in self:
            share.is_valid = share._is_valid_on(today)

    @api.constrains("scope", "department_id")
    def _check_scope(self):
        for share in self:
            if share.scope == "department" and not share.department_id:
                raise ValidationError(
                    self.env._(
                        "TV board %(name)s: choose the Department it shows.",
                        name=share.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_system_fields(set().union(*vals_list))
        return super().create(vals_list)

    @api.model
    def _get_system_fields_error(self, field_names):
        """The token comes from :func:`secrets` and a revocation is final:
        nobody chooses or undoes them over RPC."""
        return AccessError(
            self.env._(
                "TV board link: %(fields)s cannot be written; the token "
                "is drawn at creation and Revoke stops the link for good.",
                fields=self._okr_field_labels(field_names),
            )
        )

    def write(self, vals):
        self._check_system_fields(vals)
        if "company_id" in vals and self.filtered(
            lambda share: share.company_id.id != vals["company_id"]
        ):
            raise AccessError(
                self.env._("A TV board link cannot move to another company.")
            )
        return super().write(vals)

    def action_revoke(self):
        """Stop the link for good: the board answers 404 from now on."""
        self.check_access("write")
        # revoking is the link's system state; write access was checked above
        self.filtered(lambda share: share.state == "active").sudo().write(
            {
                "state": "revoked",
                "revoked_date": fields.Datetime.now(),
                "revoked_by_id": self.env.uid,
            }
        )
        return True

    # ------------------------------------------------------------------
    # The public board
    # ------------------------------------------------------------------
    def _is_valid_on(self, date):
        self.ensure_one()
        return self.state == "active" and (
            not self.expiry_date or self.expiry_date >= date
        )

    @api.model
    def _get_by_token(self, token):
        """The valid link of ``token`` (as superuser), or an empty recordset.

        Unknown, revoked and expired tokens all come back empty through the
        same steps: one search, one constant-time comparison, one validity
        test, so that neither the answer nor its timing tells them apart.
        """
        token = token if isinstance(token, str) else ""
        # the public route finds a link by its token, with no user to check
        shares = self.sudo().with_context(active_test=False)
        share = shares.search([("token", "=", token)], limit=1) if token else shares
        expected = share.token or _DUMMY_TOKEN
        matches = hmac.compare_digest(expected.encode(), token.encode())
        valid = bool(share) and share._is_valid_on(fields.Date.context_today(share))
        if not (matches and valid):
            return shares.browse()
        return share

    def _get_key_result_domain(self):
        """Key results the board shows: those of the public, active
        objectives of the scope, in the running cycles of the link's company.
        Another scope (a work center) extends this."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("cycle_id.state", "=", "running"),
            ("objective_id.visibility", "=", "public"),
            ("objective_id.state", "=", "active"),
        ]
        if self.scope == "department":
            department = self.department_id
            domain.append(("objective_id.department_id", "child_of", department.id))
        return domain

    def _get_scope_label(self):
        self.ensure_one()
        if self.scope == "department":
            return self.department_id.name
        return ""

    def _tv_board_extra(self, key_results):
        """Per key result, what another module adds to its tile.

        Returns ``{key_result_id: {"alert_count": int, "note": str}}``,
        either key optional; a key result without an entry shows no extra.
        The manufacturing bridge counts the open shop-floor alerts and gives
        the planned landing as the note."""
        self.ensure_one()
        return {}

    def _get_board_data(self):
        """Everything the board shows, as plain values: names, figures and
        translated labels, no record ids. Runs as superuser on a link
        validated by :meth:`_get_by_token`."""
        self.ensure_one()
        env = self.env
        KeyResult = env["okr.key.result"].with_company(self.company_id)
        key_results = KeyResult.search(self._get_key_result_domain())
        trends = self._get_trends(key_results)
        extras = self._tv_board_extra(key_results)
        status_labels = dict(KeyResult._fields["status"]._description_selection(env))
        tiles = []
        for key_result in key_results:
            extra = extras.get(key_result.id, {})
            tile = {
                "name": key_result.name,
                "objective": key_result.objective_id.name,
                "progress": round(key_result.progress * 100),
                "value": key_result.value_display or "",
                "status": key_result.status or "on_track",
                "status_label": status_labels.get(key_result.status or "on_track"),
                "trend": trends.get(key_result.id, []),
            }
            tile["sparkline"] = self._sparkline_points(tile["trend"])
            if "alert_count" in extra:
                tile["alert_count"] = int(extra["alert_count"])
            if extra.get("note"):
                tile["note"] = str(extra["note"])
            tiles.append(tile)
        return {
            "title": self.name,
            "scope": self._get_scope_label(),
            "key_results": tiles,
            # more tiles than fit at full size on a 1920 x 1080 screen
            "dense": len(tiles) > TV_BOARD_FULL_SIZE_TILES,
            "labels": {
                "alerts": env._("open alerts"),
                "empty": env._("No key result to show yet."),
                "updated": env._("Updated"),
            },
        }

    @api.model
    def _sparkline_points(self, trend):
        """The trend as the points of an SVG polyline in a 100 x 30 box,
        progress 0% at the bottom and 100% at the top."""
        if len(trend) < 2:
            return ""
        step = 100 / (len(trend) - 1)
        return " ".join(
            f"{index * step:.1f},{29 - min(max(value, 0), 100) * 0.28:.1f}"
            for index, value in enumerate(trend)
        )

    @api.model
    def _get_trends(self, key_results):
        """The progress (0-100) of the last check-ins of each key result,
        oldest first, in one query."""
        if not key_results:
            return {}
        check_ins = self.env["okr.check.in"].search_read(
            [("key_result_id", "in", key_results.ids)],
            ["key_result_id", "progress"],
            order="key_result_id, date desc, id desc",
        )
        trends = {}
        for check_in in check_ins:
            points = trends.setdefault(check_in["key_result_id"][0], [])
            if len(points) < TV_BOARD_TREND_POINTS:
                points.append(round(check_in["progress"] * 100, 1))
        return {kr_id: points[::-1] for kr_id, points in trends.items()}
