import calendar
import math
import random
from datetime import timedelta

from markupsafe import Markup, escape
from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ..tools import parse_date, parse_external_id, parse_number

# how many days a tier board's calendar and trend look back
KPI_BOARD_DAYS = 31

KPI_CATEGORY_SELECTION = [
    ("safety", "Safety"),
    ("quality", "Quality"),
    ("delivery", "Delivery"),
    ("cost", "Cost"),
    ("people", "People"),
]
KPI_TIER_SELECTION = [
    ("1", "Tier 1: Line"),
    ("2", "Tier 2: Department"),
    ("3", "Tier 3: Plant"),
]


class OkrKpi(models.Model):
    """A daily KPI of the shop-floor tier boards (safety, quality, delivery,
    cost, people): one value a day, green inside its band, red outside."""

    _name = "okr.kpi"
    _description = "OKR Daily KPI"
    _inherit = ["mail.thread", "okr.system.fields.mixin"]
    _order = "tier, department_id, category, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category = fields.Selection(
        KPI_CATEGORY_SELECTION, required=True, default="quality", tracking=True
    )
    tier = fields.Selection(
        KPI_TIER_SELECTION,
        required=True,
        default="1",
        tracking=True,
        help="The board the KPI is on: tier 1 a line or team, tier 2 a "
        "department, tier 3 the plant.",
    )
    department_id = fields.Many2one(
        "hr.department", index=True, check_company=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        help="Records the daily value and owns the action of a red day.",
    )
    visibility = fields.Selection(
        [
            ("public", "Everyone in the company"),
            ("department", "Department and the departments above it"),
        ],
        default="department",
        required=True,
        tracking=True,
    )
    unit = fields.Char()
    band_min = fields.Float(
        string="Green From",
        tracking=True,
        help="The lowest green value; empty: no lower bound.",
    )
    band_min_set = fields.Boolean(string="Lower Bound", default=False, tracking=True)
    band_max = fields.Float(
        string="Green Up To",
        tracking=True,
        help="The highest green value; empty: no upper bound.",
    )
    band_max_set = fields.Boolean(string="Upper Bound", default=False, tracking=True)
    source = fields.Selection(
        [("manual", "Manual")],
        default="manual",
        required=True,
        tracking=True,
        help="Where the daily value comes from. Manual: recorded by hand or "
        "over the API.",
    )
    action_due_days = fields.Integer(
        string="Action Due In (days)",
        default=2,
        required=True,
        help="A red day opens an action for the owner due this many days "
        "later; not closed by then, it escalates to the next tier.",
    )
    value_ids = fields.One2many("okr.kpi.value", "kpi_id", string="Daily Values")
    action_ids = fields.One2many("okr.kpi.action", "kpi_id", string="Actions")
    key_result_ids = fields.One2many(
        "okr.key.result", "kpi_id", string="Key Results Fed"
    )
    last_value = fields.Float(compute="_compute_last_value", store=True)
    last_date = fields.Date(compute="_compute_last_value", store=True)
    last_state = fields.Selection(
        [("green", "Green"), ("red", "Red")],
        compute="_compute_last_value",
        store=True,
    )
    open_action_count = fields.Integer(compute="_compute_open_action_count")
    band_display = fields.Char(string="Green Band", compute="_compute_band_display")
    key_result_count = fields.Integer(compute="_compute_key_result_count")
    board_calendar = fields.Html(
        string="This Month",
        compute="_compute_board_calendar",
        sanitize=False,
        help="The days of the current month: green, red or no value yet.",
    )
    month_green_share = fields.Float(
        string="Green Days (%)",
        compute="_compute_board_calendar",
        help="Share of green days among the days recorded this month.",
    )

    _sql_constraints = [
        (
            "action_due_days_positive",
            "CHECK(action_due_days >= 1)",
            "An action is due at least one day after the red day.",
        ),
    ]

    @api.depends("value_ids.date", "value_ids.value", "value_ids.state")
    def _compute_last_value(self):
        latest = {}
        if self._origin.ids:
            # the last day is the KPI's own figure, read with the KPI
            values = (
                self.env["okr.kpi.value"]
                .sudo()
                .search_fetch(
                    [("kpi_id", "in", self._origin.ids)],
                    ["kpi_id", "date", "value", "state"],
                    order="date desc, id desc",
                )
            )
            for value in values:
                latest.setdefault(value.kpi_id.id, value)
        for kpi in self:
            value = latest.get(kpi._origin.id)
            kpi.last_value = value.value if value else 0.0
            kpi.last_date = value.date if value else False
            kpi.last_state = value.state if value else False

    def _compute_open_action_count(self):
        # a count of the KPI's actions, shown with the KPI to whoever reads it
        groups = (
            self.env["okr.kpi.action"]
            .sudo()
            ._read_group(
                [("kpi_id", "in", self.ids), ("state", "=", "open")],
                ["kpi_id"],
                ["__count"],
            )
        )
        counts = {kpi.id: count for kpi, count in groups}
        for kpi in self:
            kpi.open_action_count = counts.get(kpi.id, 0)

    @api.depends_context("uid")
    def _compute_key_result_count(self):
        # the key results the KPI feeds that the reader may read (its
        # drill-down shows the same ones)
        groups = self.env["okr.key.result"]._read_group(
            [("kpi_id", "in", self.ids)], ["kpi_id"], ["__count"]
        )
        counts = {kpi.id: count for kpi, count in groups}
        for kpi in self:
            kpi.key_result_count = counts.get(kpi.id, 0)

    def _get_month_states(self, day=None):
        """``{kpi_id: {date: (value, state)}}`` of the month of ``day``
        (default today), in one query."""
        day = day or fields.Date.context_today(self)
        first = day.replace(day=1)
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        states = {kpi_id: {} for kpi_id in self.ids}
        if not self.ids:
            return states
        values = self.env["okr.kpi.value"].search_fetch(
            [("kpi_id", "in", self.ids), ("date", ">=", first), ("date", "<=", last)],
            ["kpi_id", "date", "value", "state"],
        )
        for value in values:
            states[value.kpi_id.id][value.date] = (value.value, value.state)
        return states

    def _compute_board_calendar(self):
        today = fields.Date.context_today(self)
        month_days = calendar.monthrange(today.year, today.month)[1]
        states = self._origin._get_month_states(today)
        labels = {
            "green": self.env._("green"),
            "red": self.env._("red"),
            False: self.env._("no value"),
        }
        for kpi in self:
            days = states.get(kpi._origin.id, {})
            cells = []
            for number in range(1, 32):
                if number > month_days:
                    cells.append(Markup('<span class="o_okr_kpi_day o_okr_kpi_void"/>'))
                    continue
                day = today.replace(day=number)
                value, state = days.get(day, (None, False))
                title = f"{day}: " + (
                    f"{value:g} ({labels[state]})" if state else labels[False]
                )
                css = f"o_okr_kpi_{state}" if state else "o_okr_kpi_none"
                if day > today:
                    css = "o_okr_kpi_future"
                cells.append(
                    Markup('<span class="o_okr_kpi_day %s" title="%s">%s</span>')
                    % (css, escape(title), number)
                )
            kpi.board_calendar = Markup(
                '<div class="o_okr_kpi_calendar">%s</div>%s'
            ) % (Markup("").join(cells), self._trend_svg(days))
            recorded = [state for _value, state in days.values()]
            kpi.month_green_share = (
                round(100.0 * recorded.count("green") / len(recorded), 1)
                if recorded
                else 0.0
            )

    @api.model
    def _trend_svg(self, days):
        """The month's values as an SVG line (oldest left), scaled between
        their lowest and highest; nothing under two values."""
        values = [days[day][0] for day in sorted(days)]
        if len(values) < 2:
            return Markup("")
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = 100 / (len(values) - 1)
        points = " ".join(
            f"{index * step:.1f},{18 - (value - low) / span * 16:.1f}"
            for index, value in enumerate(values)
        )
        return (
            Markup(
                '<svg class="o_okr_kpi_trend" viewBox="0 0 100 20" '
                'preserveAspectRatio="none" aria-hidden="true">'
                '<polyline points="%s"/></svg>'
            )
            % points
        )

    @api.depends("band_min", "band_max", "band_min_set", "band_max_set", "unit")
    def _compute_band_display(self):
        for kpi in self:
            unit = f" {kpi.unit}" if kpi.unit else ""
            if kpi.band_min_set and kpi.band_max_set:
                kpi.band_display = f"{kpi.band_min:g} - {kpi.band_max:g}{unit}"
            elif kpi.band_min_set:
                kpi.band_display = f"≥ {kpi.band_min:g}{unit}"
            elif kpi.band_max_set:
                kpi.band_display = f"≤ {kpi.band_max:g}{unit}"
            else:
                kpi.band_display = False

    @api.constrains("band_min", "band_max", "band_min_set", "band_max_set")
    def _check_band(self):
        for kpi in self:
            for name in ("band_min", "band_max"):
                if not math.isfinite(kpi[name]):
                    raise ValidationError(
                        self.env._(
                            "KPI '%(kpi)s': %(field)s must be a finite number.",
                            kpi=kpi.name,
                            field=kpi._fields[name]._description_string(self.env),
                        )
                    )
            if kpi.band_min_set and kpi.band_max_set and kpi.band_min > kpi.band_max:
                raise ValidationError(
                    self.env._(
                        "KPI '%(kpi)s': Green From (%(min)s) is above Green Up "
                        "To (%(max)s).",
                        kpi=kpi.name,
                        min=kpi.band_min,
                        max=kpi.band_max,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_system_fields(set().union(*vals_list))
        vals_list = [self._with_band_flags(vals) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        self._check_system_fields(vals)
        # a new band recolours the recorded days; only a recording opens
        # an action
        return super().write(self._with_band_flags(vals))

    @api.model
    def _with_band_flags(self, vals):
        """A bound given is a bound set: ``band_min`` / ``band_max`` alone
        (over the API) set their flag; ``False`` or ``None`` clear it."""
        vals = dict(vals)
        for name in ("band_min", "band_max"):
            flag = f"{name}_set"
            if name in vals and flag not in vals:
                vals[flag] = vals[name] is not False and vals[name] is not None
            if name in vals and vals[name] is not False and vals[name] is not None:
                vals[name] = self._parse_kpi_number(vals[name], name)
            elif name in vals:
                vals[name] = 0.0
        return vals

    # ------------------------------------------------------------------
    # Business rules
    # ------------------------------------------------------------------
    def _get_state_for_value(self, value):
        """'green' inside the band (bounds included), 'red' outside."""
        self.ensure_one()
        if self.band_min_set and value < self.band_min:
            return "red"
        if self.band_max_set and value > self.band_max:
            return "red"
        return "green"

    @api.model
    def _get_computed_kpi_sources(self):
        """Sources whose daily value Odoo computes: nobody records those by
        hand. Bridge modules add theirs."""
        return []

    def _filter_record_allowed(self):
        """The KPIs the current user may record values of by hand: all for
        OKR managers, else those the user owns or whose owner reports to
        them."""
        if self.env.su or self.env.user.has_group("okr_management.group_okr_manager"):
            return self
        managed = set(self.env.user._okr_managed_employee_ids())
        # the owners' employees are read to know the reporting line only
        return self.filtered(
            lambda kpi: (
                kpi.user_id == self.env.user
                # the owner's employees: the reporting line, whatever HR one reads
                or managed & set(kpi.user_id.sudo().employee_ids.ids)
            )
        )

    def _check_record_allowed(self):
        if self.env.su:
            return
        forbidden = self - self._filter_record_allowed()
        if forbidden:
            # a KPI the caller may not read is refused without its name
            forbidden.check_access("read")
            raise AccessError(
                self.env._(
                    "KPI '%(kpi)s': only its owner, the owner's managers and "
                    "OKR Managers record its values.",
                    kpi=forbidden[0].name,
                )
            )
        computed = self.filtered(
            lambda kpi: kpi.source in self._get_computed_kpi_sources()
        )
        if computed:
            raise UserError(
                self.env._(
                    "KPI '%(kpi)s' takes its daily value from its source: it "
                    "cannot be recorded by hand.",
                    kpi=computed[0].name,
                )
            )

    @api.model
    def _parse_kpi_number(self, value, field_name="value"):
        """A finite number, or a ValidationError naming the field and the
        value: strings, booleans, NaN and infinity are refused."""
        label = self.env["okr.kpi.value"]._fields["value"]._description_string(self.env)
        if field_name != "value" and field_name in self._fields:
            label = self._fields[field_name]._description_string(self.env)
        if isinstance(value, str | bool) or not isinstance(value, int | float):
            raise ValidationError(
                self.env._(
                    "%(field)s: a number is required, got %(value)r.",
                    field=label,
                    value=value,
                )
            )
        try:
            return parse_number(self.env, value, label)
        except UserError as error:
            raise ValidationError(error.args[0]) from None

    @api.model
    def _parse_kpi_date(self, value):
        """The day of a reading: today by default, never in the future."""
        label = self.env["okr.kpi.value"]._fields["date"]._description_string(self.env)
        today = fields.Date.context_today(self)
        if value is None or value is False:
            return today
        if isinstance(value, bool) or not isinstance(value, str | fields.date):
            raise ValidationError(
                self.env._(
                    "%(field)s: a date (YYYY-MM-DD) is required, got %(value)r.",
                    field=label,
                    value=value,
                )
            )
        try:
            day = parse_date(self.env, value, label)
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        if day > today:
            raise ValidationError(
                self.env._(
                    "%(field)s: %(date)s is in the future; record a day once "
                    "it has happened.",
                    field=label,
                    date=day,
                )
            )
        return day

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_record(self, value, date=None, note=None, external_id=None):
        """Record the day's ``value`` of this KPI; used by the UI and by
        integrations, like a key result's check-in.

        ``date`` (a date or ``YYYY-MM-DD``, default today, never in the
        future) is the day measured: one value a day, a second recording of
        the same day replaces the first (tracked in its chatter).
        ``external_id`` is the caller's reference: sent again, it returns the
        value recorded the first time and changes nothing.

        Returns the id of the day's value.
        """
        value_record, _status = self._record_value(
            value, date=date, note=note, external_id=external_id
        )
        return value_record.id

    def _record_value(self, value, date=None, note=None, external_id=None):
        """:meth:`action_record`, returning ``(value record, status)`` with
        status 'created', 'replaced' or 'duplicate'."""
        self.ensure_one()
        if not self.exists():
            raise UserError(
                self.env._("KPI %(id)s does not exist (or was deleted).", id=self.id)
            )
        self.check_access("read")
        self._check_record_allowed()
        number = self._parse_kpi_number(value)
        day = self._parse_kpi_date(date)
        if note is not None and note is not False and not isinstance(note, str):
            raise ValidationError(
                self.env._("Note: a text is required, got %(value)r.", value=note)
            )
        if external_id is not None and external_id is not False:
            try:
                external_id = parse_external_id(self.env, external_id)
            except UserError as error:
                raise ValidationError(error.args[0]) from None
        # rights checked above: the value is a fact the suite writes
        Value = self.env["okr.kpi.value"].sudo()
        if external_id:
            known = Value.search(
                [("kpi_id", "=", self.id), ("external_id", "=", external_id)], limit=1
            )
            if known:
                return known.with_env(self.env), "duplicate"
        vals = {
            "value": number,
            "note": note or False,
            "user_id": self.env.uid,
            "source": self.env["okr.key.result"]._get_check_in_source(),
        }
        if external_id:
            vals["external_id"] = external_id
        existing = Value.search([("kpi_id", "=", self.id), ("date", "=", day)], limit=1)
        if existing:
            return self._replace_value(existing, vals), "replaced"
        try:
            with self.env.cr.savepoint():
                record = Value.create(dict(vals, kpi_id=self.id, date=day))
        except UniqueViolation:
            # the same day, recorded meanwhile by a concurrent call
            existing = Value.search(
                [("kpi_id", "=", self.id), ("date", "=", day)], limit=1
            )
            return self._replace_value(existing, vals), "replaced"
        return record.with_env(self.env), "created"

    def _replace_value(self, existing, vals):
        """Record a day again: the value's chatter tracks the change, the
        KPI's chatter says which day changed."""
        self.ensure_one()
        previous = existing.value
        existing.write(vals)
        if previous != vals["value"]:
            # recording a value needs no write access to the KPI it reports on
            self.sudo().message_post(
                body=self.env._(
                    "Value of %(date)s recorded again: %(old)s → %(new)s.",
                    date=format_date(self.env, existing.date),
                    old=previous,
                    new=vals["value"],
                )
            )
        return existing.with_env(self.env)

    def action_open_values(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Daily values: %(kpi)s", kpi=self.name),
            "res_model": "okr.kpi.value",
            "view_mode": "list,form",
            "domain": [("kpi_id", "=", self.id)],
            "context": {"default_kpi_id": self.id},
        }

    def action_open_actions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Actions: %(kpi)s", kpi=self.name),
            "res_model": "okr.kpi.action",
            "view_mode": "list,form",
            "domain": [("kpi_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Board figures
    # ------------------------------------------------------------------
    def _get_board_days(self, end=None):
        end = end or fields.Date.context_today(self)
        return [end - timedelta(days=offset) for offset in range(KPI_BOARD_DAYS)][::-1]

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------
    @api.model
    def _demo_generate_history(self, specs, days=KPI_BOARD_DAYS):
        """Demo only: ``days`` of values up to today for the KPIs of
        ``specs`` (``{xml id: (typical value, spread, decimals, closes)}``), as
        their owners record them. Red days open actions; owners who close
        close most of them two days later, the others leave them open and
        those past their due date escalate, as the cron would do."""
        today = fields.Date.context_today(self)
        Value = self.env["okr.kpi.value"]
        for xml_id, (typical, spread, decimals, closes) in specs.items():
            kpi = self.env.ref(xml_id)
            rng = random.Random(xml_id)
            for offset in range(days - 1, -1, -1):
                day = today - timedelta(days=offset)
                value = round(max(rng.gauss(typical, spread), 0.0), decimals)
                # demo data: the owner's recording, written as the loader
                record = (
                    Value.with_user(kpi.user_id)
                    .sudo()
                    .create(
                        {
                            "kpi_id": kpi.id,
                            "date": day,
                            "value": value,
                            "user_id": kpi.user_id.id,
                        }
                    )
                )
                action = record.action_id
                if action and action.date_open == day:
                    # a red day of the past was due then, not from today
                    action.date_due = day + timedelta(days=kpi.action_due_days)
                    action.activity_ids.date_deadline = action.date_due
                limit = day - timedelta(days=2)
                open_action = kpi.action_ids.filtered(
                    lambda a, limit=limit: a.state == "open" and a.date_open <= limit
                )
                if closes and open_action and rng.random() < 0.7:
                    open_action.with_user(kpi.user_id).action_close(
                        note=self.env._("Cause found and fixed at the line.")
                    )
        self.env["okr.kpi.action"]._cron_escalate_overdue()
        return True
