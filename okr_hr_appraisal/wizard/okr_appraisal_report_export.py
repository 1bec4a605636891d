import base64
import io

import xlsxwriter

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


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
        format_score = self.env["okr.score.mixin"]._format_score
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        sheet = workbook.add_worksheet(_("OKR and Appraisals"))
        bold = workbook.add_format({"bold": True})
        date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        score_format = workbook.add_format({"num_format": "0.00"})
        percent_format = workbook.add_format({"num_format": "0%"})
        headers = [
            _("Employee"),
            _("Department"),
            _("Appraisal Date"),
            _("OKR Reference Score"),
            _("OKR Reference Score (scale)"),
            _("Key Results"),
            _("Check-in Regularity"),
        ]
        sheet.write_row(0, 0, headers, bold)
        for row_index, row in enumerate(rows, start=1):
            sheet.write(row_index, 0, row.employee_id.name or "")
            sheet.write(row_index, 1, row.department_id.name or "")
            if row.date_close:
                sheet.write_datetime(
                    row_index,
                    2,
                    fields.Datetime.to_datetime(row.date_close),
                    date_format,
                )
            sheet.write_number(row_index, 3, row.okr_score, score_format)
            sheet.write(row_index, 4, format_score(row.okr_score))
            sheet.write_number(row_index, 5, row.key_result_count)
            sheet.write_number(row_index, 6, row.check_in_regularity, percent_format)
        sheet.set_column(0, 1, 28)
        sheet.set_column(2, 6, 18)
        sheet.freeze_panes(1, 0)
        workbook.close()
        return output.getvalue()
