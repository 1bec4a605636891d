import functools
import io

import xlsxwriter

from odoo import _, api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, split_every

CHUNK_SIZE = 5000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OkrCycleExport(models.AbstractModel):
    """The workbook of a cycle: objectives with their alignment path, key
    results, check-ins and the change requests of the key results, one sheet
    each.

    Written with xlsxwriter in constant_memory mode (each row is flushed to a
    temporary file as soon as the next one starts) and read in chunks from the
    database: the memory stays flat whatever the number of check-ins.
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
        workbook = xlsxwriter.Workbook(
            output, {"constant_memory": True, "strings_to_formulas": False}
        )
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
        workbook.close()
        return output.getvalue()

    # ------------------------------------------------------------------
    # Sheets
    # ------------------------------------------------------------------
    @api.model
    def _write_header(self, sheet, formats, columns):
        for col, (title, width) in enumerate(columns):
            sheet.set_column(col, col, width)
            sheet.write(0, col, title, formats["header"])
        sheet.freeze_panes(1, 0)

    @api.model
    def _selection_labels(self, model_name, field_name):
        field = self.env[model_name]._fields[field_name]
        return dict(field._description_selection(self.env))

    @api.model
    def _write_objectives(self, workbook, cycle, formats):
        """Write the Objectives sheet; return {objective id: name}."""
        Objective = self.env["okr.objective"]
        sheet = workbook.add_worksheet(_("Objectives"))
        self._write_header(
            sheet,
            formats,
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
        format_score = Objective._format_score
        band_labels = self._selection_labels("okr.objective", "score_band")
        for row, objective in enumerate(objectives, start=1):
            path = " / ".join(
                names.get(int(ancestor_id), "…")
                for ancestor_id in (objective.parent_path or "").split("/")
                if ancestor_id
            )
            sheet.write_string(row, 0, objective.name)
            sheet.write_string(row, 1, path)
            sheet.write_string(row, 2, levels.get(objective.level, ""))
            sheet.write_string(row, 3, objective.owner_id.name or "")
            sheet.write_string(row, 4, objective.department_id.name or "")
            sheet.write_string(row, 5, states.get(objective.state, ""))
            sheet.write_string(row, 6, statuses.get(objective.status, ""))
            sheet.write_number(row, 7, objective.progress, formats["percent"])
            band = objective.score_band
            band_format = formats.get(f"band_{band}") if band else None
            sheet.write_number(row, 8, objective.score, band_format)
            sheet.write_string(row, 9, format_score(objective.score), band_format)
            sheet.write_string(row, 10, decisions.get(objective.retro_decision, ""))
            sheet.write_string(row, 11, band_labels.get(band, ""))
        return names

    @api.model
    def _write_key_results(self, workbook, cycle, formats, objective_names):
        """Write the Key Results sheet; return {key result id: (objective
        name, key result name, unit)}."""
        sheet = workbook.add_worksheet(_("Key Results"))
        self._write_header(
            sheet,
            formats,
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
        names = {}
        for row, key_result in enumerate(key_results, start=1):
            objective_name = objective_names.get(key_result.objective_id.id, "")
            value_format = self._get_value_format(workbook, formats, key_result)
            names[key_result.id] = (
                objective_name,
                key_result.name,
                key_result.unit,
                key_result.metric_type,
                value_format,
            )
            is_boolean = key_result.metric_type == "boolean"
            sheet.write_string(row, 0, objective_name)
            sheet.write_string(row, 1, key_result.name)
            sheet.write_string(row, 2, key_result.owner_id.name or "")
            sheet.write_string(row, 3, directions.get(key_result.direction, ""))
            if is_boolean:
                # Done / Not done reads as words, not as 0 and 1
                sheet.write_string(row, 5, key_result.value_display)
            else:
                sheet.write_number(row, 4, key_result.start_value, value_format)
                sheet.write_number(row, 5, key_result.current_value, value_format)
                sheet.write_number(row, 6, key_result.target_value, value_format)
            sheet.write_string(row, 7, key_result.unit or "")
            sheet.write_number(row, 8, key_result.weight)
            sheet.write_number(row, 9, key_result.progress, formats["percent"])
            sheet.write_number(row, 10, key_result.confidence)
            sheet.write_string(row, 11, statuses.get(key_result.status, ""))
            band = key_result.score_band
            band_format = formats.get(f"band_{band}") if band else None
            sheet.write_number(row, 12, key_result.score, band_format)
            sheet.write_string(row, 13, format_score(key_result.score), band_format)
            if key_result.last_check_in_date:
                sheet.write_datetime(
                    row, 14, key_result.last_check_in_date, formats["date"]
                )
            sheet.write_string(row, 15, kr_types.get(key_result.kr_type, ""))
            sheet.write_string(row, 16, metric_types.get(key_result.metric_type, ""))
            sheet.write_string(row, 17, key_result.value_display or "")
            if key_result.deadline:
                sheet.write_datetime(row, 18, key_result.deadline, formats["date"])
            sheet.write_string(row, 19, results.get(key_result.result, ""))
            sheet.write_string(row, 20, band_labels.get(band, ""))
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
        sheet = workbook.add_worksheet(_("Check-ins"))
        self._write_header(
            sheet,
            formats,
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
        done_label, not_done_label = _("Done"), _("Not done")
        # the search applies the user's record rules once; the rows of these
        # ids are then read as plain tuples, a chunk at a time, by one fixed
        # query each (no record is built for a row)
        check_in_ids = (
            self.env["okr.check.in"]
            .search([("cycle_id", "=", cycle.id)], order="key_result_id, date, id")
            .ids
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
        row = 1
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
                    user_names[user.id] = user.name or ""
            for kr_id, day, value, progress, confidence, user_id, source, note in rows:
                objective_name, key_result_name, unit, metric_type, value_format = (
                    key_result_names.get(kr_id, ("", "", "", "", None))
                )
                sheet.write_string(row, 0, objective_name)
                sheet.write_string(row, 1, key_result_name)
                sheet.write_datetime(row, 2, day, formats["date"])
                if metric_type == "boolean":
                    sheet.write_string(
                        row, 3, done_label if value >= 1.0 else not_done_label
                    )
                else:
                    sheet.write_number(row, 3, value, value_format)
                sheet.write_string(row, 4, unit or "")
                sheet.write_number(row, 5, progress or 0.0, formats["percent"])
                sheet.write_number(row, 6, confidence or 0)
                sheet.write_string(row, 7, user_names.get(user_id, ""))
                sheet.write_string(row, 8, sources.get(source, ""))
                sheet.write_string(row, 9, note or "")
                row += 1

    @api.model
    def _write_changes(self, workbook, cycle, formats):
        """The Changes sheet: every change request of the cycle's key results
        the user may read, approved or not, with who asked and who decided."""
        sheet = workbook.add_worksheet(_("Changes"))
        self._write_header(
            sheet,
            formats,
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
        yes = _("Yes")
        for row, change in enumerate(changes, start=1):
            sheet.write_string(row, 0, change.objective_id.name or "")
            sheet.write_string(row, 1, change.key_result_name or "")
            sheet.write_string(row, 2, states.get(change.state, ""))
            sheet.write_string(row, 3, change.summary or "")
            sheet.write_string(row, 4, change.reason or "")
            sheet.write_string(row, 5, change.requested_by_id.name or "")
            if change.request_date:
                sheet.write_datetime(
                    row, 6, change.request_date.date(), formats["date"]
                )
            sheet.write_string(row, 7, change.approved_by_id.name or "")
            if change.effective_date:
                sheet.write_datetime(row, 8, change.effective_date, formats["date"])
            sheet.write_string(row, 9, yes if change.self_approved else "")
