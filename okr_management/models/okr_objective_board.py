import functools
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import get_setting

# columns of one board page read together (the web client opens at most 10;
# a page of columns grouped by owner may show more after "load more")
MAX_BOARD_COLUMNS = 100
# a column's offset, limit and count limit: PostgreSQL's integer
MAX_COLUMN_INTEGER = 2**31 - 1


class OkrObjectiveBoard(models.Model):
    """What the objective board shows on a card beside the objective's own
    fields: its counts, the focus warning and the key results' overview,
    read for a whole column in a fixed number of queries, and the read
    check that keeps opening the board at the cost of one search."""

    _inherit = "okr.objective"

    owner_name = fields.Char(
        related="owner_id.name",
        store=True,
        string="Owner Name",
        help="The owner's name as the board and lists show it, read with the "
        "objective itself.",
    )
    key_result_count = fields.Integer(compute="_compute_board_counts")
    manual_key_result_count = fields.Integer(
        string="Key Results Checked In by Hand",
        compute="_compute_board_counts",
        help="Key results that take check-ins: neither computed from a source "
        "nor from milestones. Without any, the objective offers no Check In.",
    )
    overdue_commitment_count = fields.Integer(
        string="Overdue Commitments",
        compute="_compute_board_counts",
        help="Open commitments past their deadline; while there is one, the "
        "objective is at least At Risk.",
    )
    focus_warning = fields.Text(
        compute="_compute_board_counts",
        help="Focus rules from the Settings: too many objectives for the owner in "
        "the cycle, too many key results, or none.",
    )
    overdue_milestone_count = fields.Integer(
        string="Overdue Milestones",
        compute="_compute_board_counts",
        help="Open milestones of its key results past their deadline.",
    )
    key_result_overview = fields.Text(
        string="Key Results Overview",
        compute="_compute_board_counts",
        help="Each key result with its value as it reads (Done / Not done, share "
        "of milestones done, number and unit).",
    )

    @api.readonly
    def web_read(self, specification):
        """The owner's name comes with the objective's own row (the stored
        ``owner_name``) when the client asks only for the owner's display
        name, as the board's cards and the lists do: no query per page for
        the employees' names, and not the employees' whole rows that
        computing their display names reads, every column passing hr's field
        access check. The name is the one the web client shows anyway."""
        owner_spec = specification.get("owner_id")
        if (
            not isinstance(owner_spec, dict)
            or set(owner_spec) != {"fields"}
            or not isinstance(owner_spec["fields"], dict)
            or set(owner_spec["fields"]) != {"display_name"}
        ):
            return super().web_read(specification)
        wanted_name = "owner_name" in specification
        values_list = super().web_read(
            {**specification, "owner_id": {}, "owner_name": {}}
        )
        for values in values_list:
            name = values["owner_name"] if wanted_name else values.pop("owner_name")
            if values["owner_id"]:
                values["owner_id"] = {"id": values["owner_id"], "display_name": name}
        return values_list

    @api.model
    @api.readonly
    def web_search_read_columns(self, requests, specification):
        """What :meth:`web_search_read` answers for each of ``requests`` (the
        board's open columns: ``{"domain", "offset", "limit", "order",
        "count_limit"}`` each), with the cards of every column read together:
        their fields (with the read rules), the activities and the card's
        counts and key results cost their queries once for the page instead
        of once per column. Each column is searched as web_search_read
        searches it, with the user's rules, and its length is given by Odoo's
        own rule."""
        requests = self._check_column_requests(requests)
        if not isinstance(specification, dict):
            raise UserError(
                self.env._("The board's columns need a field specification.")
            )
        # each column's cards, by id; their fields are then read once for all
        # columns (one query, with the user's rules, instead of one per column)
        searched = [
            self._search_column(index, request)
            for index, request in enumerate(requests, start=1)
        ]
        cards = self.browse(
            dict.fromkeys(
                record_id for records in searched for record_id in records.ids
            )
        )
        values_of = {values["id"]: values for values in cards.web_read(specification)}
        return [
            self._format_web_search_read_results(
                request.get("domain", []),
                [values_of[record_id] for record_id in records.ids],
                request.get("offset") or 0,
                request.get("limit"),
                request.get("count_limit"),
            )
            for request, records in zip(requests, searched, strict=True)
        ]

    @api.model
    def _search_column(self, index, request):
        """The cards of one column, or a UserError naming the column whose
        domain or order the ORM refuses."""
        try:
            return self.search(
                request.get("domain", []),
                offset=request.get("offset") or 0,
                limit=request.get("limit"),
                order=request.get("order"),
            )
        except (ValueError, TypeError) as error:
            raise UserError(
                self.env._(
                    "Column %(column)s of the board cannot be read: %(error)s",
                    column=index,
                    error=error,
                )
            ) from error

    @api.model
    def _check_column_requests(self, requests):
        """``requests`` as the board sends them, or a UserError: a list of at
        most MAX_BOARD_COLUMNS dictionaries of a domain, an offset, a limit,
        an order and a count limit."""
        keys = {"domain", "offset", "limit", "order", "count_limit"}
        if (
            not isinstance(requests, list)
            or len(requests) > MAX_BOARD_COLUMNS
            or not all(
                isinstance(request, dict)
                and set(request) <= keys
                and isinstance(request.get("domain", []), list)
                and all(
                    request.get(key) is None
                    or (
                        isinstance(request[key], int)
                        and not isinstance(request[key], bool)
                        and 0 <= request[key] <= MAX_COLUMN_INTEGER
                    )
                    for key in ("offset", "limit", "count_limit")
                )
                and isinstance(request.get("order") or "", str)
                for request in requests
            )
        ):
            raise UserError(
                self.env._(
                    "The board's columns are read as a list of at most "
                    "%(max)s requests, each of a domain, an offset, a limit, "
                    "an order and a count limit.",
                    max=MAX_BOARD_COLUMNS,
                )
            )
        return requests

    def _check_access(self, operation):
        """The read rules, evaluated in one query (the ORM's own search with
        the same rules, as :meth:`fetch` does for stored fields) instead of
        record by record in Python: there, the rules' key-result owners and
        supporting departments are read and matched card by card on every
        board column. The rules are the same; they are evaluated as a search
        evaluates them, so a record the board's search returns is a record
        it may read (one difference with the Python check: an archived
        supporting department still counts, as it does for the search and
        for the primary department). Archived key results grant nothing, as
        in the Python check; records deleted meanwhile are left to the
        standard check (its MissingError)."""
        if (
            operation != "read"
            or self.env.su
            or not self._ids
            or not all(isinstance(record_id, int) for record_id in self._ids)
            or not self.env["ir.model.access"].check(
                self._name, operation, raise_exception=False
            )
            or not self.env["ir.rule"]._compute_domain(self._name, operation)
        ):
            return super()._check_access(operation)
        # archived objectives are checked too; inside the rules, the archived
        # key results and departments grant nothing, as in the standard check
        readable = self._search(
            [("id", "in", list(set(self._ids))), ("active", "in", (True, False))]
        )
        forbidden = self - self.browse(readable)
        if not forbidden:
            return None
        if forbidden.exists() != forbidden:
            return super()._check_access(operation)
        return forbidden, functools.partial(
            self.env["ir.rule"]._make_access_error, operation, forbidden
        )

    @api.depends(
        "owner_id",
        "owner_name",
        "cycle_id",
        "state",
        "key_result_ids",
        "key_result_ids.source",
        "key_result_ids.metric_type",
        "key_result_ids.name",
        "key_result_ids.value_display",
        "key_result_ids.sequence",
        "commitment_ids.state",
        "commitment_ids.date_deadline",
        "key_result_ids.milestone_ids.state",
        "key_result_ids.milestone_ids.date_deadline",
    )
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_board_counts(self):
        """The card's counts and key results for the whole batch (a board
        column) in two fixed queries: its key results as the reader may read
        them (so that neither a count nor the overview reveals a hidden one),
        with their values, in their order; the open commitments and
        milestones past their deadline (whoever may read them: a late
        commitment is the objective's fact), and the objectives of each owner
        in the cycle (as the reader may read them); then the focus warnings
        from the Settings' limits."""
        key_results_of = self._get_board_key_results()
        counts = self._get_board_counts()
        max_objectives, max_key_results = self._get_focus_limits()
        today = fields.Date.context_today(self)
        for objective in self:
            origin_id = objective._origin.id
            key_results = (
                key_results_of[origin_id]
                if origin_id
                else objective.key_result_ids  # a new record: in memory
            )
            key_result_count = len(key_results)
            objective.key_result_count = key_result_count
            objective.manual_key_result_count = len(
                key_results._filter_taking_check_ins()
            )
            objective.key_result_overview = (
                "\n".join(
                    f"{key_result.name}: {key_result.value_display}"
                    for key_result in key_results
                )
                or False
            )
            objective.overdue_milestone_count = counts["milestones"].get(origin_id, 0)
            if origin_id:
                overdue_commitments = counts["commitments"].get(origin_id, 0)
            else:  # a new record (onchange): its commitments in memory
                overdue_commitments = len(
                    objective.commitment_ids.filtered(
                        lambda c, today=today: c._is_overdue_on(today)
                    )
                )
            objective.overdue_commitment_count = overdue_commitments
            warnings = []
            owner_count = counts["owners"].get(
                (objective.cycle_id.id, objective.owner_id.id), 0
            )
            if owner_count > max_objectives:
                warnings.append(
                    self.env._(
                        "%(owner)s owns %(count)s objectives in %(cycle)s; focus on "
                        "at most %(max)s.",
                        owner=objective.owner_name,
                        count=owner_count,
                        cycle=objective.cycle_id.name,
                        max=max_objectives,
                    )
                )
            if key_result_count > max_key_results:
                warnings.append(
                    self.env._(
                        "This objective has %(count)s key results; keep at most "
                        "%(max)s.",
                        count=key_result_count,
                        max=max_key_results,
                    )
                )
            elif origin_id and not key_result_count:
                warnings.append(
                    self.env._(
                        "This objective has no key result: add one to measure it."
                    )
                )
            objective.focus_warning = "\n".join(warnings) or False

    def _get_board_counts(self):
        """``{"commitments": {objective_id: overdue}, "milestones": {objective_id:
        overdue}, "owners": {(cycle_id, owner_id): objectives}}`` of the saved
        records of ``self``, in one query whatever their number. Each part's
        records are the ORM's own search (record rules, the archived left
        out, the overdue rule of commitments and milestones), used as a
        subquery."""
        counts = {"commitments": {}, "milestones": {}, "owners": {}}
        real = self._origin.filtered("id")
        if not real:
            return counts
        ids = real.ids
        overdue = [("objective_id", "in", ids), ("is_overdue", "=", True)]
        # counted over every commitment of the card, as its owner sees them
        commitments = self.env["okr.commitment"].sudo()._search(overdue)
        # counted over every milestone of the card's key results
        milestones = self.env["okr.key.result.milestone"].sudo()._search(overdue)
        owners = self.env["okr.objective"]._search(
            [
                ("cycle_id", "in", real.cycle_id.ids),
                ("owner_id", "in", real.owner_id.ids),
                ("state", "!=", "cancelled"),
            ]
        )
        # the grouped columns (the subqueries flush their own)
        self.env["okr.commitment"].flush_model(["objective_id"])
        self.env["okr.key.result.milestone"].flush_model(["objective_id"])
        self.flush_model(["cycle_id", "owner_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT 'commitments', objective_id, NULL::int, COUNT(*)
                  FROM okr_commitment WHERE id IN %(commitments)s
                 GROUP BY objective_id
                UNION ALL
                SELECT 'milestones', objective_id, NULL::int, COUNT(*)
                  FROM okr_key_result_milestone WHERE id IN %(milestones)s
                 GROUP BY objective_id
                UNION ALL
                SELECT 'owners', cycle_id, owner_id, COUNT(*)
                  FROM okr_objective WHERE id IN %(owners)s
                 GROUP BY cycle_id, owner_id
                """,
                commitments=commitments.subselect(),
                milestones=milestones.subselect(),
                owners=owners.subselect(),
            )
        )
        for part, first, second, count in rows:
            if part == "owners":
                counts[part][first, second] = count
            else:
                counts[part][first] = count
        return counts

    @api.model
    def _get_focus_limits(self):
        """(max objectives per owner and cycle, max key results per objective)."""
        return (
            get_setting(self.env, "max_objectives_per_owner"),
            get_setting(self.env, "max_key_results_per_objective"),
        )

    def _get_board_key_results(self):
        """``{objective id: key results}`` of the saved records of ``self``:
        those the reader may read (the ORM's search, archived left out), in
        their order, fetched with what the card shows, in one query."""
        saved = self._origin.filtered("id").ids
        ids_of = defaultdict(list)
        KeyResult = self.env["okr.key.result"]
        if saved:
            for key_result in KeyResult.search_fetch(
                [("objective_id", "in", saved)],
                [
                    "objective_id",
                    "name",
                    "source",
                    "metric_type",
                    "current_value",
                    "unit",
                ],
            ):
                ids_of[key_result.objective_id.id].append(key_result.id)
        return {
            objective_id: KeyResult.browse(ids_of[objective_id])
            for objective_id in saved
        }
