import base64
import functools
import io

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, split_every

from odoo.addons.okr_management.tools import xlsx

CHUNK_SIZE = 5000


class OkrAppraisalReportExport(models.TransientModel):
    _name = "okr.appraisal.report.export"
    _inherit = ["okr.system.fields.mixin"]
    _description = "Export the OKR and Appraisal Linkage Report to XLSX"

    date_from = fields.Date(string="Appraisals From")
    date_to = fields.Date(string="Appraisals To")
    department_ids = fields.Many2many("hr.department", string="Departments")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_to < wizard.date_from
            ):
                raise ValidationError(
                    _(
                        "Appraisals To (%(end)s) must not be before Appraisals "
                        "From (%(start)s).",
                        end=wizard.date_to,
                        start=wizard.date_from,
                    )
                )

    def _get_report_domain(self):
        self.ensure_one()
        domain = []
        if self.date_from:
            domain.append(("date_close", ">=", self.date_from))
        if self.date_to:
            domain.append(("date_close", "<=", self.date_to))
        if self.department_ids:
            domain.append(("department_id", "child_of", self.department_ids.ids))
        return domain

    def action_export(self):
        """Write the report rows the user may read to an XLSX file and
        download it."""
        self.ensure_one()
        rows = self.env["okr.appraisal.report"].search(self._get_report_domain())
        if not rows:
            raise UserError(_("No appraisal matches the filters: nothing to export."))
        attachment = self.env["ir.attachment"].create(
            {
                "name": "okr_appraisal_linkage.xlsx",
                "datas": base64.b64encode(self._build_xlsx(rows)),
                # the rows its user may read: the file is theirs alone (an
                # attachment without a record is readable by its creator only)
                "res_model": False,
                "res_id": False,
                "public": False,
                "mimetype": "application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    @api.model
    def _build_xlsx(self, rows):
        """Bytes of the workbook of the report ``rows`` (the ones the user may
        read, as searched by the caller). The rows are read a chunk at a time
        and dropped from the cache after each chunk, and written by the
        suite's streaming writer: the memory stays flat whatever their
        number."""
        if len(rows) > xlsx.max_data_rows():
            raise UserError(
                _(
                    "%(count)s appraisals match the filters, more than the "
                    "%(limit)s rows a spreadsheet's sheet holds: narrow the "
                    "filters.",
                    count=len(rows),
                    limit=xlsx.max_data_rows(),
                )
            )
        format_score = functools.partial(
            self.env["okr.score.mixin"]._format_score,
            scale=self.env["okr.score.mixin"]._get_score_scale(),
        )
        output = io.BytesIO()
        with xlsx.Workbook(output) as workbook:
            bold = workbook.add_format({"bold": True})
            date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
            score_format = workbook.add_format({"num_format": "0.00"})
            percent_format = workbook.add_format({"num_format": "0%"})
            sheet = workbook.add_sheet(
                _("OKR and Appraisals"),
                [
                    (_("Employee"), 28),
                    (_("Department"), 28),
                    (_("Appraisal Date"), 18),
                    (_("OKR Reference Score"), 18),
                    (_("OKR Reference Score (scale)"), 18),
                    (_("Key Results"), 18),
                    (_("Check-in Regularity"), 18),
                ],
                header_format=bold,
            )
            styles = (None, None, date_format, score_format, None, None, percent_format)
            department_names = {}
            for chunk in self._read_report_rows(rows):
                # the names of the chunk's employees and of new departments,
                # one query each, under the user's rights
                employees = self.env["hr.employee"].browse({row[0] for row in chunk})
                employees.fetch(["name"])
                employee_names = {
                    employee.id: xlsx.text_cell(employee.name) for employee in employees
                }
                departments = self.env["hr.department"].browse(
                    {row[1] for row in chunk if row[1] not in department_names} - {None}
                )
                for department in departments:
                    department_names[department.id] = xlsx.text_cell(department.name)
                for (
                    employee_id,
                    department_id,
                    date_close,
                    score,
                    key_result_count,
                    regularity,
                ) in chunk:
                    score = score or 0.0
                    sheet.write_row(
                        (
                            employee_names.get(employee_id),
                            department_names.get(department_id),
                            date_close,
                            score,
                            format_score(score),
                            key_result_count or 0,
                            regularity or 0.0,
                        ),
                        styles,
                    )
                # the chunk's employees leave the cache before the next chunk
                employees.invalidate_recordset(["name"])
        return output.getvalue()

    @api.model
    def _read_report_rows(self, rows):
        """The report rows ``rows`` as plain tuples ``(employee id,
        department id, appraisal date, score, key results, regularity)`` in
        their order, a list per chunk, each read by one fixed query.
        ``rows`` come from a search, which applied the user's rules (the
        report's and hr.appraisal's) once.

        The view's estimate of its weekly series (a thousand weeks an
        appraisal) makes PostgreSQL JIT-compile any read of its regularity:
        about 330 ms of compiling for a chunk read in 10 ms (measured with
        10,000 appraisals). The chunks' reads run without JIT; the setting is
        put back after them."""
        for model_name in ("hr.appraisal", "okr.appraisal.line", "okr.check.in"):
            self.env[model_name].flush_model()
        cr = self.env.cr
        cr.execute(SQL("SELECT current_setting('jit')"))
        jit = cr.fetchone()[0]
        cr.execute(SQL("SELECT set_config('jit', 'off', true)"))
        # a failed read aborts the transaction, whose rollback puts jit back:
        # only a transaction still usable gets the setting restored here
        usable = True
        try:
            for chunk_ids in split_every(CHUNK_SIZE, rows.ids):
                usable = False
                cr.execute(
                    SQL(
                        """
                        SELECT r.employee_id, r.department_id, r.date_close,
                               r.okr_score, r.key_result_count,
                               r.check_in_regularity
                          FROM unnest(%s::int[]) WITH ORDINALITY
                               AS chunk(id, position)
                          JOIN okr_appraisal_report r ON r.id = chunk.id
                      ORDER BY chunk.position
                        """,
                        list(chunk_ids),
                    )
                )
                chunk = cr.fetchall()
                usable = True
                yield chunk
        finally:
            if usable:
                cr.execute(SQL("SELECT set_config('jit', %s, true)", jit))
