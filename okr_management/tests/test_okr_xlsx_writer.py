"""The streaming XLSX writer (tools/xlsx.py), read back with openpyxl."""

import io
import re
import zipfile
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..report import okr_cycle_export
from ..tools import xlsx
from .common import OkrTestCommon

# what Excel shows of an "_xHHHH_" escape (openpyxl leaves inline strings as
# written)
_EXCEL_UNESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def _as_excel_reads(value):
    return _EXCEL_UNESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)


@tagged("post_install", "-at_install")
class TestOkrXlsxWriter(TransactionCase):
    def _write(self, build, **options):
        output = io.BytesIO()
        workbook = xlsx.Workbook(output, **options)
        build(workbook)
        workbook.close()
        return output.getvalue()

    def _load(self, content):
        return openpyxl.load_workbook(io.BytesIO(content))

    def _assert_well_formed(self, content):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertIsNone(archive.testzip())
            names = archive.namelist()
            for part in (
                "[Content_Types].xml",
                "_rels/.rels",
                "xl/workbook.xml",
                "xl/_rels/workbook.xml.rels",
                "xl/styles.xml",
                "xl/worksheets/sheet1.xml",
            ):
                self.assertIn(part, names)
            for name in names:
                # every part parses as XML
                etree.fromstring(archive.read(name))
            return {name: archive.read(name) for name in names}

    def test_values_read_back(self):
        long_text = "x" * 40000
        values = [
            "Tom & Jerry <b> \"quoted\" 'single'",
            "产量提升二成",
            "  padded  ",
            "bell\x07 and CR\r here",
            "_x0041_ stays literal",
            long_text,
            "=SUM(A1:A2)",
            7,
            -3,
            2.5,
            -0.125,
            1e15,
            date(2026, 3, 31),
            datetime(2026, 3, 31, 14, 30, 15),
            None,
            "",
            xlsx.text_cell("once & for all"),
            xlsx.text_cell(""),
        ]

        def build(workbook):
            sheet = workbook.add_sheet("Values")
            sheet.write_row(values)

        content = self._write(build)
        parts = self._assert_well_formed(content)
        sheet = self._load(content)["Values"]
        row = [sheet.cell(row=1, column=index + 1) for index in range(len(values))]
        self.assertEqual(row[0].value, "Tom & Jerry <b> \"quoted\" 'single'")
        self.assertEqual(row[1].value, "产量提升二成")
        self.assertEqual(row[2].value, "  padded  ")
        self.assertIn(
            b'xml:space="preserve">  padded  <', parts["xl/worksheets/sheet1.xml"]
        )
        # control characters as Excel writes them, restored by Excel on reading
        self.assertEqual(row[3].value, "bell_x0007_ and CR_x000D_ here")
        self.assertEqual(_as_excel_reads(row[3].value), values[3])
        self.assertEqual(_as_excel_reads(row[4].value), "_x0041_ stays literal")
        self.assertEqual(row[5].value, "x" * xlsx.MAX_STRING)
        # a text starting with "=" is text, never a formula
        self.assertEqual(row[6].value, "=SUM(A1:A2)")
        self.assertEqual(row[6].data_type, "s")
        self.assertEqual(row[7].value, 7)
        self.assertEqual(row[8].value, -3)
        self.assertEqual(row[9].value, 2.5)
        self.assertEqual(row[10].value, -0.125)
        self.assertEqual(row[11].value, 1e15)
        self.assertEqual(row[11].data_type, "n")
        self.assertEqual(row[12].value, datetime(2026, 3, 31))
        self.assertEqual(row[12].number_format, "yyyy-mm-dd")
        self.assertEqual(row[13].value, datetime(2026, 3, 31, 14, 30, 15))
        self.assertEqual(row[13].number_format, "yyyy-mm-dd hh:mm:ss")
        self.assertIsNone(row[14].value)
        self.assertIsNone(row[15].value)
        self.assertEqual(row[16].value, "once & for all")
        self.assertIsNone(row[17].value)
        # empty values write no cell at all
        self.assertNotIn(b'r="O1"', parts["xl/worksheets/sheet1.xml"])
        self.assertNotIn(b'r="R1"', parts["xl/worksheets/sheet1.xml"])

    def test_long_text_cut_as_excel_counts(self):
        """Excel's 32,767 characters are UTF-16 units: a text of emoji is cut
        at 16,383 of them, never inside one."""
        content = self._write(
            lambda workbook: workbook.add_sheet("Long").write_row(["😀" * 20000])
        )
        value = self._load(content)["Long"]["A1"].value
        self.assertEqual(value, "😀" * 16383)

    def test_an_error_while_adding_a_sheet_is_the_error_raised(self):
        with self.assertRaisesRegex(TypeError, "booleans"):
            with xlsx.Workbook(io.BytesIO()) as workbook:
                workbook.add_sheet("Header", [(False, 10)])

    def test_refused_values(self):
        """Booleans (Odoo's empty fields read False), NaN, infinity and
        unknown types are refused, not written as something else."""
        output = io.BytesIO()
        with self.assertRaises(TypeError), xlsx.Workbook(output) as workbook:
            workbook.add_sheet("Refused").write_row([False])
        for value in (float("nan"), float("inf"), -float("inf")):
            with self.assertRaises(ValueError), xlsx.Workbook(io.BytesIO()) as book:
                book.add_sheet("Refused").write_row([value])
        with self.assertRaises(TypeError), xlsx.Workbook(io.BytesIO()) as book:
            book.add_sheet("Refused").write_row([object()])
        with self.assertRaises(ValueError):
            xlsx.Workbook(io.BytesIO()).add_format({"bg_color": "red"})

    def test_styles_widths_and_frozen_header(self):
        def build(workbook):
            header = workbook.add_format({"bold": True, "bg_color": "#D9E1F2"})
            percent = workbook.add_format({"num_format": "0%"})
            amount = workbook.add_format({"num_format": '"$" #,##0.00'})
            fill = workbook.add_format({"bg_color": "#C6EFCE"})
            # the same properties give the same handle
            self.assertEqual(workbook.add_format({"num_format": "0%"}), percent)
            sheet = workbook.add_sheet(
                "Styled",
                [("Name", 40), ("Share", 10), ("Amount", 12), ("Score", 8)],
                header_format=header,
            )
            sheet.write_row(
                ["Line 2", 0.25, 1234.5, 0.7], [None, percent, amount, fill]
            )

        content = self._write(build)
        parts = self._assert_well_formed(content)
        sheet = self._load(content)["Styled"]
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet["A1"].font.b)
        self.assertEqual(sheet["A1"].fill.fgColor.rgb, "FFD9E1F2")
        self.assertEqual(sheet["A1"].value, "Name")
        self.assertFalse(sheet["A2"].font.b)
        self.assertEqual(sheet["A2"].fill.fill_type, None)
        self.assertEqual(sheet["B2"].number_format, "0%")
        self.assertEqual(sheet["C2"].number_format, '"$" #,##0.00')
        self.assertEqual(sheet["D2"].fill.fgColor.rgb, "FFC6EFCE")
        self.assertEqual(sheet["D2"].number_format, "General")
        self.assertAlmostEqual(sheet.column_dimensions["A"].width, 40.7109375)
        self.assertAlmostEqual(sheet.column_dimensions["B"].width, 10.7109375)
        styles = etree.fromstring(parts["xl/styles.xml"])
        ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
        # custom number formats from 164 on, the two fills Excel requires first
        self.assertEqual(styles.xpath("//m:numFmt/@numFmtId", namespaces=ns), ["164"])
        self.assertEqual(
            styles.xpath("//m:fills/m:fill/m:patternFill/@patternType", namespaces=ns)[
                :2
            ],
            ["none", "gray125"],
        )
        self.assertEqual(len(styles.xpath("//m:cellStyleXfs/m:xf", namespaces=ns)), 1)
        self.assertTrue(
            etree.fromstring(parts["xl/worksheets/sheet1.xml"]).xpath(
                "//m:sheetView[@tabSelected='1']", namespaces=ns
            )
        )

    def test_sheet_names(self):
        def build(workbook):
            for name in (
                "Check-ins",
                "check-ins",
                "Q1/Q2 [draft]: *what?*",
                "A name much longer than thirty-one characters",
                "A name much longer than thirty-one characters",
                "'quoted'",
                "",
                "History",
                "Bad\x01name",
                "a" * 30 + "'" + "b",
            ):
                workbook.add_sheet(name).write_row([name or "empty"])

        content = self._write(build)
        self._assert_well_formed(content)
        workbook = self._load(content)
        self.assertEqual(
            workbook.sheetnames,
            [
                "Check-ins",
                "check-ins (2)",
                "Q1_Q2 _draft__ _what__",
                "A name much longer than thirty-",
                "A name much longer than thi (2)",
                "quoted",
                "Sheet7",
                # Excel keeps History; no character XML forbids; no apostrophe
                # at either end, even once cut
                "History (2)",
                "Badname",
                "a" * 30,
            ],
        )
        self.assertTrue(all(len(name) <= 31 for name in workbook.sheetnames))
        self.assertEqual(workbook["check-ins (2)"]["A1"].value, "check-ins")
        self.assertEqual(workbook["Sheet7"]["A1"].value, "empty")

    def test_many_rows_and_compress_levels(self):
        """Rows past a write chunk keep their order; both compress levels
        give the same cells."""

        def build(workbook):
            sheet = workbook.add_sheet("Rows", [("Index", 8), ("Label", 20)])
            for index in range(2500):
                sheet.write_row([index, f"row {index}"])
            workbook.add_sheet("Second", [("Only", 8)]).write_row([1])

        contents = [self._write(build, compresslevel=level) for level in (1, 6)]
        for content in contents:
            self._assert_well_formed(content)
            workbook = self._load(content)
            rows = list(workbook["Rows"].iter_rows(min_row=2, values_only=True))
            self.assertEqual(len(rows), 2500)
            self.assertEqual(rows[0], (0, "row 0"))
            self.assertEqual(rows[-1], (2499, "row 2499"))
            self.assertEqual(workbook["Second"]["A2"].value, 1)
            self.assertEqual(workbook.active.title, "Rows")


@tagged("post_install", "-at_install")
class TestOkrCycleWorkbook(OkrTestCommon):
    """The cycle's workbook, written by the streaming writer."""

    def _workbook(self):
        content = (
            self.env["okr.cycle.export"]
            .with_user(self.user_manager)
            ._generate_xlsx(self.cycle.with_user(self.user_manager))
        )
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertIsNone(archive.testzip())
            for name in archive.namelist():
                etree.fromstring(archive.read(name))
        return openpyxl.load_workbook(io.BytesIO(content))

    def test_check_ins_read_by_chunks_with_their_formats(self):
        self.kr_yield.action_check_in(93, confidence=6, note="=1+1 & <done>")
        self.kr_yield.action_check_in(94, confidence=7, note="  kept  ")
        with patch.object(okr_cycle_export, "CHUNK_SIZE", 1):
            workbook = self._workbook()
        self.assertEqual(
            workbook.sheetnames, ["Objectives", "Key Results", "Check-ins", "Changes"]
        )
        sheet = workbook["Check-ins"]
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet["A1"].font.b)
        self.assertEqual(sheet["A1"].fill.fgColor.rgb, "FFD9E1F2")
        self.assertAlmostEqual(sheet.column_dimensions["J"].width, 60.7109375)
        rows = list(sheet.iter_rows(min_row=2))
        self.assertEqual(len(rows), 2)
        first, second = rows
        self.assertEqual(first[0].value, "Raise line capacity")
        self.assertEqual(first[1].value, "Yield 92 to 96")
        self.assertEqual(first[2].value.date(), self.today)
        self.assertEqual(first[2].number_format, "yyyy-mm-dd")
        self.assertEqual(first[3].value, 93)
        self.assertEqual(first[4].value, "%")
        self.assertEqual(first[5].number_format, "0%")
        self.assertEqual(first[6].value, 6)
        self.assertEqual(first[9].value, "=1+1 & <done>")
        self.assertEqual(first[9].data_type, "s")
        self.assertEqual(second[3].value, 94)
        self.assertEqual(second[9].value, "  kept  ")
        objectives = workbook["Objectives"]
        self.assertEqual(objectives["A2"].value, "Raise line capacity")
        self.assertEqual(objectives["H2"].number_format, "0%")

    def test_cycle_export_refused_past_a_sheets_rows(self):
        """More check-ins than a sheet holds: refused by name, no file."""
        self.kr_yield.action_check_in(93, confidence=6)
        self.kr_yield.action_check_in(94, confidence=6)
        Attachment = self.env["ir.attachment"]
        attachments = Attachment.search_count(
            [("create_uid", "=", self.user_manager.id)]
        )
        with (
            patch.object(xlsx, "MAX_ROWS", 2),
            self.assertRaisesRegex(UserError, "has 2 check-ins, more than the 1 rows"),
        ):
            self.cycle.with_user(self.user_manager).action_export_xlsx()
        self.assertEqual(
            Attachment.search_count([("create_uid", "=", self.user_manager.id)]),
            attachments,
        )
