import functools
import io

from odoo import _, api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, split_every

from ..tools import xlsx

CHUNK_SIZE = 5000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OkrCycleExport(models.AbstractModel):
    """The workbook of a cycle: objectives with their alignment path, key
    results, check-ins and the change requests of the key results, one sheet
    each.

    Written by the suite's streaming writer (``tools/xlsx.py``: rows go
    straight into the compressed file, a thousand at a time) and read in
    chunks from the database: the memory stays flat whatever the number of
    check-ins. Values repeated on many rows (names, units, labels) are escaped
    once each.
    """

    _name = "okr.cycle.export"
    _description = "OKR Cycle Workbook"

    @api.model
    def _action_download(self, cycle):
        cycle.ensure_one()
        content = self._generate_xlsx(cycle)
        # the workbook holds what its user may read, private objectives
        # included: it belongs to them alone, not to the cycle (an attachment
        # without a record is readable by its creator only)
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._get_filename(cycle),
                "raw": content,
                "res_model": False,
                "res_id": False,
                "public": False,
                "mimetype": XLSX_MIMETYPE,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    @api.model
    def _detach_legacy_workbooks(self):
        """Workbooks exported before they belonged to their user were
        attached to their cycle, readable by whoever reads the cycle: detach
        them, so that only who exported one (and Settings administrators)
        still reads it. Attachments posted in the cycle's chatter stay.
        Returns the detached attachments."""
        # sudo: every user's workbooks, whoever runs the migration
        Attachment = self.env["ir.attachment"].sudo()
        legacy = Attachment.search(
            [
                ("res_model", "=", "okr.cycle"),
                ("res_field", "=", False),
                ("mimetype", "=", XLSX_MIMETYPE),
            ]
        )
        posted = (
            # sudo: the messages of every cycle, to keep what was posted
            self.env["mail.message"]
            .sudo()
            .search([("attachment_ids", "in", legacy.ids)])
            .attachment_ids
        )
        legacy -= posted
        legacy.write({"res_model": False, "res_id": False, "public": False})
        return legacy

    @api.model
    def _get_filename(self, cycle):
        return _("OKR %(cycle)s.xlsx", cycle=cycle.name).replace("/", "-")

    @api.model
    def _generate_xlsx(self, cycle):
        """Bytes of the workbook of ``cycle``, for OKR managers."""
        if not self.env.user.has_group("okr_management.group_okr_manager"):
            raise AccessError(
                _("Only OKR managers can export a cycle to a spreadsheet.")
            )
        cycle.check_access("read")
        output = io.BytesIO()
        with xlsx.Workbook(output) as workbook:
            self._write_workbook(workbook, cycle)
        return output.getvalue()

    @api.model
    def _write_workbook(self, workbook, cycle):
        """The four sheets of the cycle's workbook, one after another."""
        formats = {
            "header": workbook.add_format({"bold": True, "bg_color": "#D9E1F2"}),
            "percent": workbook.add_format({"num_format": "0%"}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            # scores coloured by the ambition band of the scoring scale
            "band_inside": workbook.add_format({"bg_color": "#C6EFCE"}),
            "band_above": workbook.add_format({"bg_color": "#FFEB9C"}),
            "band_below": workbook.add_format({"bg_color": "#FFC7CE"}),
        }
        objective_names = self._write_objectives(workbook, cycle, formats)
        key_result_names = self._write_key_results(
            workbook, cycle, formats, objective_names
        )
        self._write_check_ins(workbook, cycle, formats, key_result_names)
        self._write_changes(workbook, cycle, formats)

    # ------------------------------------------------------------------
    # Sheets
    # ------------------------------------------------------------------
    @api.model
    def _add_sheet(self, workbook, formats, name, columns):
        """A sheet with its bold header row frozen on top and its column
        widths; ``columns`` are ``(title, width)`` pairs."""
        return workbook.add_sheet(name, columns, header_format=formats["header"])

    @api.model
    def _selection_labels(self, model_name, field_name):
        """{value: label cell}: each label escaped once for the workbook."""
        field = self.env[model_name]._fields[field_name]
        return {
            value: xlsx.text_cell(label)
            for value, label in field._description_selection(self.env)
        }

    @api.model
    def _write_objectives(self, workbook, cycle, formats):
        """Write the Objectives sheet; return {objective id: name cell}."""
        Objective = self.env["okr.objective"]
        sheet = self._add_sheet(
            workbook,
            formats,
            _("Objectives"),
            [
                (_("Objective"), 40),
                (_("Alignment Path"), 60),
                (_("Level"), 12),
                (_("Owner"), 24),
                (_("Department"), 24),
                (_("State"), 10),
                (_("Status"), 10),
                (_("Progress"), 10),
                (_("Score"), 10),
                (_("Score (scale)"), 12),
                (_("Decision"), 10),
                (_("Ambition Band"), 14),
            ],
        )
        objectives = Objective.search_fetch(
            [("cycle_id", "=", cycle.id)],
            [
                "name",
                "parent_path",
                "level",
                "owner_id",
                "department_id",
                "state",
                "status",
                "progress",
                "score",
                "retro_decision",
            ],
            order="parent_path, id",
        )
        names = {objective.id: objective.name for objective in objectives}
        path_ids = {
            int(ancestor_id)
            for objective in objectives
            for ancestor_id in (objective.parent_path or "").split("/")
            if ancestor_id
        }
        outside_ids = list(path_ids - names.keys())
        if outside_ids:
            for ancestor in Objective.search_fetch(
                [("id", "in", outside_ids)], ["name"]
            ):
                names[ancestor.id] = ancestor.name
        levels = self._selection_labels("okr.objective", "level")
        states = self._selection_labels("okr.objective", "state")
        statuses = self._selection_labels("okr.objective", "status")
        decisions = self._selection_labels("okr.objective", "retro_decision")
        format_score = functools.partial(
            Objective._format_score, scale=Objective._get_score_scale()
        )
        band_labels = self._selection_labels("okr.objective", "score_band")
        percent = formats["percent"]
        text_cell = xlsx.text_cells()
        for objective in objectives:
            path = " / ".join(
                names.get(int(ancestor_id), "…")
                for ancestor_id in (objective.parent_path or "").split("/")
                if ancestor_id
            )
            band = objective.score_band
            band_format = formats.get(f"band_{band}") if band else None
            sheet.write_row(
                (
                    objective.name,
                    path,
                    levels.get(objective.level),
                    text_cell(objective.owner_id.name),
                    text_cell(objective.department_id.name),
                    states.get(objective.state),
                    statuses.get(objective.status),
                    objective.progress,
                    objective.score,
                    format_score(objective.score),
                    decisions.get(objective.retro_decision),
                    band_labels.get(band),
                ),
                (None,) * 7 + (percent, band_format, band_format, None, None),
            )
        return {
            objective_id: xlsx.text_cell(name) for objective_id, name in names.items()
        }

    @api.model
    def _write_key_results(self, workbook, cycle, formats, objective_names):
        """Write the Key Results sheet; return {key result id: (objective
        name cell, key result name cell, unit cell, metric type, styles of a
        check-in row)}."""
        sheet = self._add_sheet(
            workbook,
            formats,
            _("Key Results"),
            [
                (_("Objective"), 40),
                (_("Key Result"), 40),
                (_("Owner"), 24),
                (_("Direction"), 10),
                (_("Start Value"), 12),
                (_("Current Value"), 12),
                (_("Target Value"), 12),
                (_("Unit"), 8),
                (_("Weight"), 8),
                (_("Progress"), 10),
                (_("Confidence"), 10),
                (_("Status"), 10),
                (_("Score"), 10),
                (_("Score (scale)"), 12),
                (_("Last Check-in"), 12),
                (_("Type"), 12),
                (_("Metric Type"), 14),
                (_("Value"), 20),
                (_("Deadline"), 12),
                (_("Result"), 10),
                (_("Ambition Band"), 14),
            ],
        )
        key_results = self.env["okr.key.result"].search_fetch(
            [("cycle_id", "=", cycle.id)],
            [
                "name",
                "objective_id",
                "owner_id",
                "direction",
                "start_value",
                "current_value",
                "target_value",
                "unit",
                "weight",
                "progress",
                "confidence",
                "status",
                "score",
                "last_check_in_date",
                "kr_type",
                "metric_type",
                "deadline",
                "result",
                "score_graded",
                "currency_id",
            ],
        )
        directions = self._selection_labels("okr.key.result", "direction")
        kr_types = self._selection_labels("okr.key.result", "kr_type")
        metric_types = self._selection_labels("okr.key.result", "metric_type")
        results = self._selection_labels("okr.key.result", "result")
        band_labels = self._selection_labels("okr.key.result", "score_band")
        statuses = self._selection_labels("okr.key.result", "status")
        format_score = functools.partial(
            self.env["okr.score.mixin"]._format_score,
            scale=self.env["okr.score.mixin"]._get_score_scale(),
        )
        percent, date_format = formats["percent"], formats["date"]
        text_cell = xlsx.text_cells()
        names = {}
        for key_result in key_results:
            objective_name = objective_names.get(key_result.objective_id.id)
            value_format = self._get_value_format(workbook, formats, key_result)
            unit = text_cell(key_result.unit)
            names[key_result.id] = (
                objective_name,
                xlsx.text_cell(key_result.name),
                unit,
                key_result.metric_type,
                (None, None, date_format, value_format, None, percent) + (None,) * 4,
            )
            band = key_result.score_band
            band_format = formats.get(f"band_{band}") if band else None
            if key_result.metric_type == "boolean":
                # Done / Not done reads as words, not as 0 and 1
                values = (None, key_result.value_display or None, None)
            else:
                values = (
                    key_result.start_value,
                    key_result.current_value,
                    key_result.target_value,
                )
            sheet.write_row(
                (
                    objective_name,
                    key_result.name,
                    text_cell(key_result.owner_id.name),
                    directions.get(key_result.direction),
                    *values,
                    unit,
                    key_result.weight,
                    key_result.progress,
                    key_result.confidence,
                    statuses.get(key_result.status),
                    key_result.score,
                    format_score(key_result.score),
                    key_result.last_check_in_date or None,
                    kr_types.get(key_result.kr_type),
                    metric_types.get(key_result.metric_type),
                    key_result.value_display or None,
                    key_result.deadline or None,
                    results.get(key_result.result),
                    band_labels.get(band),
                ),
                (None,) * 4
                + (value_format,) * 3
                + (None, None, percent, None, None, band_format, band_format)
                + (date_format, None, None, None, date_format, None, None),
            )
        return names

    @api.model
    def _get_value_format(self, workbook, formats, key_result):
        """The number format of a key result's values: an amount in its
        currency, a percentage, or None (a number). Formats are added to the
        workbook once each."""
        if key_result.metric_type == "percentage":
            key = "value_percentage"
            num_format = '0.##" %"'
        elif key_result.metric_type == "currency" and key_result.currency_id:
            currency = key_result.currency_id
            key = f"value_currency_{currency.id}"
            digits = "0" * currency.decimal_places
            number = f"#,##0.{digits}" if digits else "#,##0"
            symbol = currency.symbol.replace('"', "")
            num_format = (
                f'"{symbol}" {number}'
                if currency.position == "before"
                else f'{number} "{symbol}"'
            )
        else:
            return None
        if key not in formats:
            formats[key] = workbook.add_format({"num_format": num_format})
        return formats[key]

    @api.model
    def _write_check_ins(self, workbook, cycle, formats, key_result_names):
        sheet = self._add_sheet(
            workbook,
            formats,
            _("Check-ins"),
            [
                (_("Objective"), 40),
                (_("Key Result"), 40),
                (_("Date"), 12),
                (_("Value"), 12),
                (_("Unit"), 8),
                (_("Progress"), 10),
                (_("Confidence"), 10),
                (_("Checked in by"), 24),
                (_("Source"), 10),
                (_("Note"), 60),
            ],
        )
        sources = self._selection_labels("okr.check.in", "source")
        done_label = xlsx.text_cell(_("Done"))
        not_done_label = xlsx.text_cell(_("Not done"))
        # the search applies the user's record rules once; the rows of these
        # ids are then read as plain tuples, a chunk at a time, by one fixed
        # query each (no record is built for a row)
        check_in_ids = (
            self.env["okr.check.in"]
            .search([("cycle_id", "=", cycle.id)], order="key_result_id, date, id")
            .ids
        )
        if len(check_in_ids) > xlsx.max_data_rows():
            raise UserError(
                _(
                    "The cycle has %(count)s check-ins, more than the %(limit)s "
                    "rows a spreadsheet's sheet holds.",
                    count=len(check_in_ids),
                    limit=xlsx.max_data_rows(),
                )
            )
        self.env["okr.check.in"].flush_model(
            [
                "key_result_id",
                "date",
                "value",
                "progress",
                "confidence",
                "user_id",
                "source",
                "note",
            ]
        )
        user_names = {}
        unknown_key_result = (None, None, None, None, None)
        write_row = sheet.write_row
        for chunk_ids in split_every(CHUNK_SIZE, check_in_ids):
            self.env.cr.execute(
                SQL(
                    """
                    SELECT c.key_result_id, c.date, c.value, c.progress,
                           c.confidence, c.user_id, c.source, c.note
                      FROM okr_check_in c
                     WHERE c.id = ANY(%s)
                  ORDER BY c.key_result_id, c.date, c.id
                    """,
                    list(chunk_ids),
                )
            )
            rows = self.env.cr.fetchall()
            missing_users = {r[5] for r in rows if r[5] not in user_names}
            if missing_users:
                # the author's name, whatever the exporting user reads of users
                for user in self.env["res.users"].sudo().browse(missing_users):
                    user_names[user.id] = xlsx.text_cell(user.name)
            for kr_id, day, value, progress, confidence, user_id, source, note in rows:
                objective_name, key_result_name, unit, metric_type, styles = (
                    key_result_names.get(kr_id, unknown_key_result)
                )
                if metric_type == "boolean":
                    value = done_label if value >= 1.0 else not_done_label
                write_row(
                    (
                        objective_name,
                        key_result_name,
                        day,
                        value,
                        unit,
                        progress or 0.0,
                        confidence or 0,
                        user_names.get(user_id),
                        sources.get(source),
                        note,
                    ),
                    styles,
                )

    @api.model
    def _write_changes(self, workbook, cycle, formats):
        """The Changes sheet: every change request of the cycle's key results
        the user may read, approved or not, with who asked and who decided."""
        sheet = self._add_sheet(
            workbook,
            formats,
            _("Changes"),
            [
                (_("Objective"), 40),
                (_("Key Result"), 40),
                (_("State"), 12),
                (_("Change"), 60),
                (_("Reason"), 60),
                (_("Requested By"), 24),
                (_("Requested On"), 12),
                (_("Decided By"), 24),
                (_("Effective Date"), 12),
                (_("Self-approved"), 12),
            ],
        )
        states = self._selection_labels("okr.key.result.change", "state")
        changes = self.env["okr.key.result.change"].search(
            [("cycle_id", "=", cycle.id)], order="request_date, id"
        )
        yes = xlsx.text_cell(_("Yes"))
        date_format = formats["date"]
        text_cell = xlsx.text_cells()
        styles = (None,) * 6 + (date_format, None, date_format, None)
        for change in changes:
            sheet.write_row(
                (
                    text_cell(change.objective_id.name),
                    change.key_result_name or None,
                    states.get(change.state),
                    change.summary or None,
                    change.reason or None,
                    text_cell(change.requested_by_id.name),
                    change.request_date.date() if change.request_date else None,
                    text_cell(change.approved_by_id.name),
                    change.effective_date or None,
                    yes if change.self_approved else None,
                ),
                styles,
            )
