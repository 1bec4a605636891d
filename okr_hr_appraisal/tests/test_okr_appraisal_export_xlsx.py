"""The appraisal export written by the streaming writer, read by chunks."""

import base64
import io
import zipfile
from unittest.mock import patch

import openpyxl
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.okr_management.tools import xlsx

from ..wizard import okr_appraisal_report_export
from .common import OkrAppraisalCommon


@tagged("post_install", "-at_install")
class TestOkrAppraisalExportXlsx(OkrAppraisalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.appraisal = cls._create_appraisal(cls)
        cls.other = cls._create_appraisal(cls, employee=cls.emp_boss)

    def _attachments(self):
        return self.env["ir.attachment"].search_count(
            [("create_uid", "=", self.user_hr.id)]
        )

    def test_rows_read_by_chunks_with_their_formats(self):
        wizard = (
            self.env["okr.appraisal.report.export"]
            .with_user(self.user_hr)
            .create({"department_ids": [(6, 0, self.department.ids)]})
        )
        self.env.cr.execute("SELECT current_setting('jit')")
        jit = self.env.cr.fetchone()[0]
        with patch.object(okr_appraisal_report_export, "CHUNK_SIZE", 1):
            action = wizard.action_export()
        # the chunks are read without JIT; the setting is put back after them
        self.env.cr.execute("SELECT current_setting('jit')")
        self.assertEqual(self.env.cr.fetchone()[0], jit)
        attachment_id = int(action["url"].split("/")[3].split("?")[0])
        content = base64.b64decode(
            self.env["ir.attachment"]
            .with_user(self.user_hr)
            .browse(attachment_id)
            .datas
        )
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertIsNone(archive.testzip())
            for name in archive.namelist():
                etree.fromstring(archive.read(name))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet.title, "OKR and Appraisals")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet["A1"].font.b)
        self.assertAlmostEqual(sheet.column_dimensions["A"].width, 28.7109375)
        self.assertAlmostEqual(sheet.column_dimensions["G"].width, 18.7109375)
        rows = list(sheet.iter_rows(min_row=2))
        # one row per appraisal, each chunk of one row after the other
        self.assertEqual(
            sorted(row[0].value for row in rows),
            sorted([self.emp_staff.name, self.emp_boss.name]),
        )
        for row in rows:
            self.assertEqual(row[1].value, self.department.name)
            self.assertEqual(row[2].number_format, "yyyy-mm-dd")
            self.assertEqual(row[3].number_format, "0.00")
            self.assertEqual(row[5].data_type, "n")
            self.assertEqual(row[6].number_format, "0%")

    def test_export_refused_past_a_sheets_rows(self):
        """More appraisals than a sheet holds: refused by name, no file."""
        wizard = (
            self.env["okr.appraisal.report.export"]
            .with_user(self.user_hr)
            .create({"department_ids": [(6, 0, self.department.ids)]})
        )
        attachments = self._attachments()
        with (
            patch.object(xlsx, "MAX_ROWS", 2),
            self.assertRaisesRegex(UserError, "2 appraisals match the filters"),
        ):
            wizard.action_export()
        self.assertEqual(self._attachments(), attachments)
