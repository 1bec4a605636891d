import threading
from urllib.parse import urlsplit

from psycopg2 import IntegrityError
from psycopg2.errors import UniqueViolation
from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo import _, api, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tools import SQL, float_compare

from ..tools import parse_date, parse_external_id, parse_number

# What an objective takes from its key results, and the key results' figures
# it reads for that (see _queue_objective_roll_up).
ROLL_UP_FIELDS = ("progress", "forecast_progress", "last_check_in_date", "status")
ROLL_UP_SOURCES = ["active", "weight", "progress", "forecast_progress"]
ROLL_UP_SOURCES += ["last_check_in_date"]
# Items of one action_check_in_batch call, and the keys an item may have.
CHECK_IN_BATCH_LIMIT = 1000
CHECK_IN_BATCH_KEYS = frozenset(
    {"key_result_id", "value", "confidence", "note", "date", "external_id"}
)


class OkrKeyResultCheckInApi(models.Model):
    """Check-ins of a key result: the API the dialogs, the morning meeting
    and the integrators call, and who may check in."""

    _inherit = "okr.key.result"

    def action_check_in(
        self, value, confidence=None, note=None, date=None, external_id=None
    ):
        """Record a check-in of ``value``; used by the UI and by integrations.

        ``date`` (a date or ``YYYY-MM-DD``, default today) is the day the value
        was measured. ``external_id`` is the caller's own reference for this
        reading, unique per key result: sent again, it returns the check-in
        recorded the first time and records nothing, whatever the value.

        Returns the id of the check-in.
        """
        queued = self._queue_check_ins(self._ids)
        check_in, _created = self._record_check_in(
            value, confidence=confidence, note=note, date=date, external_id=external_id
        )
        if queued:
            self._queue_objective_roll_up()
        return check_in.id

    @api.model
    def _queue_check_ins(self, key_result_ids):
        """Let check-ins that arrive at once wait for each other instead of
        failing; returns whether they queue (then call
        :meth:`_queue_objective_roll_up` once the check-ins are recorded).

        A check-in rewrites the figures of its key result and of its
        objective (value, progress, status, forecast). Under Odoo's snapshot
        isolation two transactions writing the same row make one of them
        fail, and the server retries it after a random pause of up to
        seconds. When this call opens its transaction (an integration over
        XML-RPC or JSON-RPC: nothing has been read yet), the transaction runs
        at PostgreSQL's READ COMMITTED level and first locks its key results
        in id order: check-ins of one key result wait for each other; those
        of other key results go on. Elsewhere (the web client, crons, tests)
        nothing changes.
        """
        cr = self.env.cr
        ids = sorted(
            kr_id
            for kr_id in key_result_ids
            if isinstance(kr_id, int) and not isinstance(kr_id, bool) and kr_id > 0
        )
        if not ids or cr.connection.get_transaction_status() != TRANSACTION_STATUS_IDLE:
            return False
        cr.execute(SQL("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"))
        cr.execute(
            SQL(
                "SELECT id FROM okr_key_result WHERE id = ANY(%s) "
                "ORDER BY id FOR NO KEY UPDATE",
                ids,
            )
        )
        return True

    def _queue_objective_roll_up(self):
        """The objectives' share of queued check-ins (see
        :meth:`_queue_check_ins`): the key results' own figures are written
        first; then their objectives are locked in id order, so that
        check-ins on other key results of the same objective wait only for
        each other's roll-up; the objectives' figures are then computed from
        their key results as committed now (read again after the lock), never
        from a value another check-in has just replaced. Nothing here writes
        another key result's row (its check-in may hold it)."""
        self.flush_recordset()
        # the objectives are rolled up whole, whatever the caller sees
        objectives = self.sudo().objective_id
        self.env.cr.execute(
            SQL(
                "SELECT id FROM okr_objective WHERE id = ANY(%s) "
                "ORDER BY id FOR NO KEY UPDATE",
                sorted(objectives.ids),
            )
        )
        siblings = objectives.with_context(active_test=False).key_result_ids - self
        siblings.invalidate_recordset(ROLL_UP_SOURCES)
        for name in ROLL_UP_FIELDS:
            self.env.add_to_compute(objectives._fields[name], objectives)

    def _record_check_in(
        self, value, confidence=None, note=None, date=None, external_id=None
    ):
        """:meth:`action_check_in`, returning ``(check-in, created)``:
        ``created`` is False when ``external_id`` named a known check-in."""
        self.ensure_one()
        try:
            self.metric_type  # noqa: B018 (reads the key result, or raises)
        except MissingError:
            raise UserError(
                _("Key result %(id)s does not exist (or was deleted).", id=self.id)
            ) from None
        vals = self._prepare_check_in_vals(
            self._get_check_in_source(),
            self._get_check_in_confidence(),
            value,
            confidence=confidence,
            note=note,
            date=date,
            external_id=external_id,
        )
        CheckIn = self.env["okr.check.in"]
        if not external_id:
            return CheckIn.create(vals), True
        known = self._find_check_in_by_external_id(vals["external_id"])
        if known:
            return known, False
        try:
            with self.env.cr.savepoint():
                return CheckIn.create(vals), True
        except UniqueViolation:
            # the same reading, recorded meanwhile by a concurrent retry
            known = self._find_check_in_by_external_id(vals["external_id"])
            if known:
                return known, False
            raise

    def _prepare_check_in_vals(
        self,
        source,
        default_confidence,
        value,
        confidence=None,
        note=None,
        date=None,
        external_id=None,
    ):
        """The values of a check-in of ``value`` on this key result, parsed
        and checked (no query): ``default_confidence`` when none is given."""
        self.ensure_one()
        vals = {
            "key_result_id": self.id,
            "value": self._parse_check_in_value(value),
            "note": note or False,
            "source": source,
        }
        if confidence is None or confidence is False:
            vals["confidence"] = default_confidence
        else:
            vals["confidence"] = int(
                parse_number(self.env, confidence, _("Confidence"))
            )
        if date:
            vals["date"] = parse_date(self.env, date, _("Date"))
        if external_id:
            vals["external_id"] = parse_external_id(self.env, external_id)
        return vals

    def _find_check_in_by_external_id(self, external_id):
        """The check-in recorded on this key result under ``external_id``.

        Only a user who may check in on the key result learns whether the
        reference is known."""
        self.ensure_one()
        self._check_check_in_right()
        known = self._find_batch_references(
            self, [(0, self.id, {"external_id": external_id})]
        )
        return self.env["okr.check.in"].browse(known.get((self.id, external_id)))

    @api.model
    def action_check_in_batch(self, items):
        """Record many check-ins in one call.

        ``items`` is a list of dicts with the keys ``key_result_id`` and
        ``value`` and, optionally, ``confidence``, ``note``, ``date`` and
        ``external_id`` (the arguments of :meth:`action_check_in`). Every item
        is validated first (its key result, the caller's right, the value,
        the date, the reference); the valid ones are then recorded together,
        in one creation. A refused item changes nothing and does not undo the
        others: where the database refuses the creation (a constraint, a
        reference recorded meanwhile by a concurrent call), the valid items
        are recorded one at a time, each in its own savepoint.

        Returns one dict per item, in order: ``index``, ``key_result_id``,
        ``external_id``, ``status`` ("created", "duplicate" or "refused"),
        ``check_in_id`` (False when refused) and ``error`` (the reason, False
        otherwise).
        """
        if not isinstance(items, list | tuple):
            raise UserError(
                _("Check-in batch: a list of items is required, got %r.", items)
            )
        if len(items) > CHECK_IN_BATCH_LIMIT:
            raise UserError(
                _(
                    "Check-in batch: at most %(limit)s items per call, got "
                    "%(count)s; split the batch.",
                    limit=CHECK_IN_BATCH_LIMIT,
                    count=len(items),
                )
            )
        queued = self._queue_check_ins(
            [item.get("key_result_id") for item in items if isinstance(item, dict)]
        )
        results = [
            {
                "index": index,
                "key_result_id": item.get("key_result_id")
                if isinstance(item, dict)
                else False,
                "external_id": item.get("external_id") or False
                if isinstance(item, dict)
                else False,
                "status": "refused",
                "check_in_id": False,
                "error": False,
            }
            for index, item in enumerate(items)
        ]
        pending, repeated = self._validate_batch(items, results)
        self._record_batch(pending, results)
        for index, first_index in repeated.items():
            # the same reference twice in the batch: the second is the first's
            if results[first_index]["check_in_id"]:
                results[index].update(
                    status="duplicate", check_in_id=results[first_index]["check_in_id"]
                )
            else:
                results[index]["error"] = results[first_index]["error"]
        if queued:
            self.browse(
                {result["key_result_id"] for result in results if result["check_in_id"]}
            )._queue_objective_roll_up()
        return results

    @api.model
    def _validate_batch(self, items, results):
        """Validate every item of a batch in a fixed number of queries.

        Refused items get their reason in ``results``, known references their
        check-in. Returns ``(pending, repeated)``: the valid items as
        ``(index, key result, check-in values, action_check_in arguments)``,
        and ``{index: index of the first item}`` for references repeated in
        the batch."""
        parsed = []
        for index, item in enumerate(items):
            try:
                key_result, kwargs = self._parse_batch_item(item)
            except UserError as error:
                results[index]["error"] = error.args[0] if error.args else str(error)
                continue
            parsed.append((index, key_result.id, kwargs))
        existing = self.browse({kr_id for _index, kr_id, _kwargs in parsed}).exists()
        allowed = existing._filter_check_in_allowed()
        known = self._find_batch_references(allowed, parsed)
        source = self._get_check_in_source()
        confidence_now = {kr.id: kr._get_check_in_confidence() for kr in allowed}
        first_of_reference = {}
        pending, repeated = [], {}
        for index, kr_id, kwargs in parsed:
            key_result = self.browse(kr_id)
            try:
                if key_result not in existing:
                    raise UserError(
                        _(
                            "Key result %(id)s does not exist (or was deleted).",
                            id=kr_id,
                        )
                    )
                vals = key_result._prepare_check_in_vals(
                    source, confidence_now.get(kr_id, 0), **kwargs
                )
                key_result._check_check_in_allowed(source)
            except UserError as error:
                results[index]["error"] = error.args[0] if error.args else str(error)
                continue
            reference = vals.get("external_id")
            if reference and (kr_id, reference) in known:
                results[index].update(
                    status="duplicate", check_in_id=known[kr_id, reference]
                )
                continue
            if reference and (kr_id, reference) in first_of_reference:
                repeated[index] = first_of_reference[kr_id, reference]
                continue
            if reference:
                first_of_reference[kr_id, reference] = index
            confidence_now[kr_id] = vals["confidence"]
            pending.append((index, key_result, vals, kwargs))
        return pending, repeated

    @api.model
    def _find_batch_references(self, key_results, parsed):
        """``{(key result id, reference): check-in id}`` of the references of
        ``parsed`` (``(index, key result id, arguments)``) already recorded, in
        one query; ``key_results`` are those the caller may check in on, the
        only ones whose references they learn."""
        references = {
            kwargs["external_id"]
            for _index, kr_id, kwargs in parsed
            if kr_id in key_results.ids and isinstance(kwargs.get("external_id"), str)
        }
        if not references:
            return {}
        check_ins = (
            self.env["okr.check.in"]
            # looked up only on key results the caller may check in on
            .sudo()
            .search_fetch(
                [
                    ("key_result_id", "in", key_results.ids),
                    ("external_id", "in", list(references)),
                ],
                ["key_result_id", "external_id"],
            )
        )
        return {
            (check_in.key_result_id.id, check_in.external_id): check_in.id
            for check_in in check_ins
        }

    @api.model
    def _record_batch(self, pending, results):
        """Record the validated items of a batch in one creation; where the
        database refuses it, one at a time as :meth:`action_check_in` does."""
        if not pending:
            return
        try:
            with self.env.cr.savepoint():
                check_ins = self.env["okr.check.in"].create(
                    [vals for _index, _key_result, vals, _kwargs in pending]
                )
                self.env.flush_all()
        except (UserError, ValidationError, IntegrityError):
            check_ins = None
        if check_ins is not None:
            for (index, *_rest), check_in in zip(pending, check_ins, strict=True):
                results[index].update(status="created", check_in_id=check_in.id)
            return
        for index, key_result, _vals, kwargs in pending:
            try:
                with self.env.cr.savepoint():
                    check_in, created = key_result._record_check_in(**kwargs)
                    results[index].update(
                        status="created" if created else "duplicate",
                        check_in_id=check_in.id,
                    )
            except UserError as error:
                results[index]["error"] = error.args[0] if error.args else str(error)

    def _parse_batch_item(self, item):
        """``(key result, keyword arguments of action_check_in)`` of one batch
        item; refuses an item that is not of the documented shape."""
        if not isinstance(item, dict):
            raise UserError(
                _("Check-in batch: each item must be a dict, got %r.", item)
            )
        unknown = set(item) - CHECK_IN_BATCH_KEYS
        if unknown:
            raise UserError(
                _(
                    "Check-in batch: unknown keys %(keys)s; use %(known)s.",
                    keys=", ".join(sorted(map(str, unknown))),
                    known=", ".join(sorted(CHECK_IN_BATCH_KEYS)),
                )
            )
        key_result_id = item.get("key_result_id")
        if isinstance(key_result_id, bool) or not isinstance(key_result_id, int):
            raise UserError(
                _(
                    "Key Result: the id of a key result is required, got %r.",
                    key_result_id,
                )
            )
        if "value" not in item:
            raise UserError(_("Value: a number is required, got nothing."))
        kwargs = {key: item[key] for key in item if key != "key_result_id"}
        return self.browse(key_result_id), kwargs

    def _check_in_if_changed(self, value, confidence, note):
        """Check in when the value or the confidence differs from the current
        one, or a note is given; otherwise create nothing (the team check-in
        wizard records only the lines that changed).

        Returns the id of the new check-in, or False.
        """
        self.ensure_one()
        value_changed = float_compare(value, self.current_value, precision_digits=6)
        confidence_changed = confidence != self._get_check_in_confidence()
        if not value_changed and not confidence_changed and not note:
            return False
        return self.action_check_in(value, confidence=confidence, note=note)

    def _get_check_in_confidence(self):
        """Confidence a new check-in starts from: the latest one given, or the
        check-in default before the first check-in."""
        self.ensure_one()
        if self.last_check_in_date:
            return self.confidence
        return self.env["okr.check.in"]._fields["confidence"].default(self)

    def _get_check_in_source(self):
        """'api' for calls that arrive over the external RPC endpoints,
        'import' for imports, 'manual' otherwise."""
        if self.env.context.get("import_file"):
            return "import"
        # Odoo unbinds the request while it dispatches /jsonrpc and /xmlrpc
        # calls; the serving thread still knows the URL.
        url = getattr(threading.current_thread(), "url", "") or ""
        if urlsplit(url).path.startswith(("/jsonrpc", "/xmlrpc")):
            return "api"
        return "manual"

    def _check_check_in_allowed(self, source):
        """Refuse a check-in on a closed cycle, one by hand on a key result
        whose value is computed from its source, or one by a user who neither
        owns nor manages the key result."""
        self._check_check_in_metric(source)
        for key_result in self:
            if (
                key_result.source in self._get_computed_sources()
                and source != key_result.source
            ):
                raise UserError(
                    _(
                        "Key result '%(kr)s' takes its value from %(origin)s: it "
                        "cannot be checked in by hand. Use 'Refresh from Source' "
                        "on the key result, or set its Source to Manual.",
                        kr=key_result.name,
                        origin=key_result._get_source_label(),
                    )
                )
        for key_result in self:
            if key_result.cycle_id.state == "closed":
                raise UserError(
                    _(
                        "Key result '%(kr)s': cycle '%(cycle)s' is closed, its "
                        "check-ins are locked.",
                        kr=key_result.name,
                        cycle=key_result.cycle_id.name,
                    )
                )
        self._check_check_in_right()

    def _check_check_in_right(self):
        """Refuse when the current user may not check in on one of these key
        results (see :meth:`_filter_check_in_allowed`)."""
        forbidden = self - self._filter_check_in_allowed()
        if forbidden:
            raise AccessError(
                _(
                    "Key result '%(kr)s': you can only check in on key "
                    "results you own or manage.",
                    kr=forbidden[0].name,
                )
            )

    def _filter_check_in_allowed(self):
        """The key results the current user may check in on (see
        ``res.users._okr_check_in_domain``, the one definition)."""
        if self.env.su or self.env.user.has_group("okr_management.group_okr_admin"):
            return self
        return self.filtered_domain(self.env.user._okr_check_in_domain())

    def _filter_taking_check_ins(self):
        """The key results that take check-ins by hand, whoever checks in:
        their value is neither computed from a source nor from their
        milestones."""
        computed = self._get_computed_sources()
        return self.filtered(
            lambda kr: kr.source not in computed and kr.metric_type != "milestone"
        )

    def _filter_checkable_by_hand(self):
        """The key results the current user may check in on by hand: those
        that take check-ins and that they own or manage. The check-in
        wizards list these."""
        return self._filter_taking_check_ins()._filter_check_in_allowed()
