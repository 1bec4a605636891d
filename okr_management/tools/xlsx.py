"""A small streaming XLSX (SpreadsheetML) writer on ``zipfile``.

Rows go straight into the zip entry of their sheet, in chunks of
``ROWS_PER_WRITE`` rows: the memory stays flat whatever the number of rows
(only the compressed file grows, in the file object given). Sheets are written
one after another; styles, the workbook and its relationships are written at
``close()``. Plain Python, no model: testable without records.

Cells, by the type of the value:

- ``str``: an inline string (never a formula: a note starting with "=" stays
  text), escaped for XML, with the control characters XML 1.0 forbids written
  as ``_xHHHH_`` the way Excel does, and capped at Excel's 32,767 characters;
- ``int`` / ``float``: a number (NaN and infinity are refused: Excel has none);
- ``datetime.date`` / ``datetime.datetime``: Excel's serial number, with the
  workbook's date (or date and time) style unless the row gives one;
- ``None`` and ``""``: no cell;
- ``Fragment`` (from ``text_cell()``): a string escaped once, for a value
  repeated on many rows;
- anything else, ``bool`` included, is refused (TypeError): Odoo's empty
  fields read as False, which must not be written as 0 or FALSE unnoticed.
"""

import datetime
import math
import re
import zipfile

MAX_ROWS = 1048576
MAX_COLUMNS = 16384
MAX_STRING = 32767
SHEET_NAME_MAX = 31
ROWS_PER_WRITE = 1000
# deflate level, measured on the cycle workbook of the benchmark (82,000
# check-ins, four sheets): level 1 writes it in 1.47 s (4.6 MB), level 6 in
# 1.75 s (3.1 MB). The export holds a worker while it runs and the file is
# downloaded once: the fifth of the time matters more than the megabytes.
COMPRESS_LEVEL = 1

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# what needs more than a copy: markup characters, the characters XML 1.0
# forbids (and CR, which XML would read as LF), and a literal "_xHHHH_" that
# Excel would otherwise read as an escaped character
_SPECIAL = re.compile(
    "[&<>\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)
_EXCEL_ESCAPE = re.compile(
    "[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)
_WHITESPACE = frozenset(" \t\n\r")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BUILTIN_NUM_FORMATS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
}
_DATE_ORIGIN = datetime.date(1899, 12, 30).toordinal()
_DATETIME_ORIGIN = datetime.datetime(1899, 12, 30)


class Fragment(str):
    """A cell's content already rendered (escaped), for ``write_row``."""

    __slots__ = ()


def _escape_char(match):
    return f"_x{ord(match.group()):04X}_"


def _escape_xml(value):
    """``value`` escaped for an XML attribute or text."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def _cap(value):
    """``value`` cut to Excel's 32,767 characters, counted as Excel counts
    them (UTF-16 units), never inside a surrogate pair."""
    if len(value) <= MAX_STRING // 2:
        return value
    units = value.encode("utf-16-le", "surrogatepass")
    if len(units) <= 2 * MAX_STRING:
        return value
    return units[: 2 * MAX_STRING].decode("utf-16-le", "ignore")


def _text(value):
    """The content of a string cell after its attributes (``t``, ``<is>``)."""
    value = _cap(value)
    if _SPECIAL.search(value):
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        value = _EXCEL_ESCAPE.sub(_escape_char, value)
    if value[0] in _WHITESPACE or value[-1] in _WHITESPACE:
        return f' t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
    return f' t="inlineStr"><is><t>{value}</t></is></c>'


def text_cell(value):
    """A string cell escaped once, to write on many rows; None when empty."""
    if not value:
        return None
    return Fragment(_text(value))


def text_cells():
    """A function from a text repeated on many rows (a name, a unit, a
    label) to its cell, escaped once per text; None when empty."""
    cells = {}

    def text_cell_of(value):
        if not value:
            return None
        cell = cells.get(value)
        if cell is None:
            cell = cells[value] = text_cell(value)
        return cell

    return text_cell_of


def max_data_rows():
    """The rows a sheet holds below its header row."""
    return MAX_ROWS - 1


def column_letters(index):
    """Excel's name of the 0-based column ``index``: 0 -> A, 27 -> AB."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name


def _column_width(width):
    """A width in characters as Excel stores it (Calibri 11: 7 pixels per
    digit and 5 of padding), the way xlsxwriter computes it."""
    if width < 1:
        pixels = int(width * 12 + 0.5)
    else:
        pixels = int(width * 7 + 0.5) + 5
    return int(pixels / 7 * 256) / 256


class Sheet:
    """A sheet being written: ``write_row(values, styles)`` appends a row."""

    def __init__(self, workbook, name, stream, columns, header_format, selected):
        self.name = name
        self._workbook = workbook
        self._stream = stream
        self._row = 0
        self._pending = []
        self._pending_rows = 0
        self._width = max(len(columns), 1)
        self._letters = [column_letters(index) for index in range(self._width)]
        selected_attr = ' tabSelected="1"' if selected else ""
        parts = [
            _XML_DECL,
            f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">',
            "<sheetViews>",
            f'<sheetView{selected_attr} workbookViewId="0">',
        ]
        if columns:
            parts.append(
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
                'state="frozen"/><selection pane="bottomLeft" activeCell="A2" '
                'sqref="A2"/>'
            )
        parts.append('</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        widths = [width for _title, width in columns]
        if any(widths):
            parts.append("<cols>")
            for index, width in enumerate(widths, start=1):
                if width:
                    parts.append(
                        f'<col min="{index}" max="{index}" '
                        f'width="{_column_width(width)!r}" customWidth="1"/>'
                    )
            parts.append("</cols>")
        parts.append("<sheetData>")
        self._stream.write("".join(parts).encode())
        if columns:
            self.write_row(
                [title for title, _width in columns],
                [header_format] * len(columns),
            )

    def write_row(self, values, styles=None):
        """Append a row: ``values`` in column order, ``styles`` (optional) a
        style handle or None per column."""
        row = self._row + 1
        if row > MAX_ROWS:
            raise ValueError(f"A sheet holds at most {MAX_ROWS} rows.")
        if len(values) > self._width:
            if len(values) > MAX_COLUMNS:
                raise ValueError(f"A sheet holds at most {MAX_COLUMNS} columns.")
            self._letters.extend(
                column_letters(index) for index in range(self._width, len(values))
            )
            self._width = len(values)
        self._row = row
        r = str(row)
        letters = self._letters
        attrs = self._workbook._style_attrs
        out = self._pending
        out.append(f'<row r="{r}">')
        for col, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            style = attrs[styles[col]] if styles is not None else ""
            if kind is Fragment:
                out.append(f'<c r="{letters[col]}{r}"{style}{value}')
            elif kind is str:
                if value:
                    out.append(f'<c r="{letters[col]}{r}"{style}{_text(value)}')
            elif kind is float:
                if not math.isfinite(value):
                    raise ValueError(
                        f"Cell {letters[col]}{r}: {value!r} is not a number a "
                        "spreadsheet stores."
                    )
                out.append(f'<c r="{letters[col]}{r}"{style}><v>{value!r}</v></c>')
            elif kind is int:
                out.append(f'<c r="{letters[col]}{r}"{style}><v>{value}</v></c>')
            else:
                out.append(self._other_cell(value, f"{letters[col]}{r}", style))
        out.append("</row>")
        self._pending_rows += 1
        if self._pending_rows >= ROWS_PER_WRITE:
            self._flush()

    def _other_cell(self, value, ref, style):
        """A cell of a date, a datetime or a subclass of str, int or float."""
        workbook = self._workbook
        if isinstance(value, datetime.datetime):
            if value.tzinfo is not None:
                raise TypeError(f"Cell {ref}: write naive datetimes (UTC).")
            delta = value - _DATETIME_ORIGIN
            serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
            if not style:
                style = workbook._style_attrs[workbook.datetime_format]
            return f'<c r="{ref}"{style}><v>{serial!r}</v></c>'
        if isinstance(value, datetime.date):
            if not style:
                style = workbook._style_attrs[workbook.date_format]
            return f'<c r="{ref}"{style}><v>{value.toordinal() - _DATE_ORIGIN}</v></c>'
        if isinstance(value, bool):
            raise TypeError(f"Cell {ref}: booleans are not written, got {value!r}.")
        if isinstance(value, str):
            return f'<c r="{ref}"{style}{_text(str(value))}' if value else ""
        if isinstance(value, int):
            return f'<c r="{ref}"{style}><v>{int(value)}</v></c>'
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(
                    f"Cell {ref}: {value!r} is not a number a spreadsheet stores."
                )
            return f'<c r="{ref}"{style}><v>{float(value)!r}</v></c>'
        raise TypeError(f"Cell {ref}: cannot write a {type(value).__name__}.")

    def _flush(self):
        if self._pending:
            self._stream.write("".join(self._pending).encode())
            self._pending.clear()
        self._pending_rows = 0

    def _close(self):
        self._flush()
        self._stream.write(b"</sheetData></worksheet>")
        self._stream.close()


class Workbook:
    """``Workbook(fileobj)``: formats, then sheets one after another, then
    ``close()``. Also a context manager (closing on success)."""

    def __init__(self, fileobj, compresslevel=None):
        if compresslevel is None:
            compresslevel = COMPRESS_LEVEL
        self._zip = zipfile.ZipFile(
            fileobj, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self._sheets = []
        self._sheet = None
        self._fonts = [
            '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        ]
        self._fills = [
            '<fill><patternFill patternType="none"/></fill>',
            '<fill><patternFill patternType="gray125"/></fill>',
        ]
        self._num_formats = {}
        self._xfs = [(0, 0, 0)]
        self._xf_index = {(0, 0, 0): 0}
        self._style_attrs = {None: "", 0: ""}
        self._date_format = None
        self._datetime_format = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if exc_type is None:
            self.close()
        else:
            # an unfinished workbook: release its streams, write nothing more
            if self._sheet is not None:
                self._sheet._stream.close()
            self._zip.close()

    # ------------------------------------------------------------------
    # Formats
    # ------------------------------------------------------------------
    def add_format(self, properties=None):
        """A style handle for ``{"bold": bool, "bg_color": "#RRGGBB",
        "num_format": str}``; the same properties give the same handle."""
        properties = dict(properties or {})
        unknown = set(properties) - {"bold", "bg_color", "num_format"}
        if unknown:
            raise ValueError(f"Unknown format properties: {sorted(unknown)}")
        font_id = 0
        if properties.get("bold"):
            font = (
                '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
            )
            font_id = self._index_of(self._fonts, font)
        fill_id = 0
        color = properties.get("bg_color")
        if color:
            if not re.fullmatch(r"#[0-9A-Fa-f]{6}", color):
                raise ValueError(f"bg_color must read #RRGGBB, got {color!r}")
            fill = (
                '<fill><patternFill patternType="solid"><fgColor '
                f'rgb="FF{color[1:].upper()}"/><bgColor indexed="64"/>'
                "</patternFill></fill>"
            )
            fill_id = self._index_of(self._fills, fill)
        num_format_id = 0
        num_format = properties.get("num_format")
        if num_format:
            num_format_id = _BUILTIN_NUM_FORMATS.get(num_format)
            if num_format_id is None:
                num_format_id = self._num_formats.setdefault(
                    num_format, 164 + len(self._num_formats)
                )
        key = (num_format_id, font_id, fill_id)
        if key not in self._xf_index:
            self._xf_index[key] = len(self._xfs)
            self._xfs.append(key)
            handle = self._xf_index[key]
            self._style_attrs[handle] = f' s="{handle}"'
        return self._xf_index[key]

    @staticmethod
    def _index_of(items, item):
        if item not in items:
            items.append(item)
        return items.index(item)

    @property
    def date_format(self):
        """The style of dates written without one (yyyy-mm-dd)."""
        if self._date_format is None:
            self._date_format = self.add_format({"num_format": "yyyy-mm-dd"})
        return self._date_format

    @property
    def datetime_format(self):
        """The style of datetimes written without one."""
        if self._datetime_format is None:
            self._datetime_format = self.add_format(
                {"num_format": "yyyy-mm-dd hh:mm:ss"}
            )
        return self._datetime_format

    # ------------------------------------------------------------------
    # Sheets
    # ------------------------------------------------------------------
    def _sheet_name(self, name):
        """``name`` made a valid, unique sheet name: at most 31 characters,
        none of []:*?/\\ nor a character XML forbids, no apostrophe at
        either end, not Excel's own History."""
        name = _SHEET_NAME_FORBIDDEN.sub("_", name or "")
        name = _XML_FORBIDDEN.sub("", name)
        taken = {sheet.name.lower() for sheet in self._sheets}
        taken.add("history")
        candidate = name[:SHEET_NAME_MAX].strip("'").strip() or (
            f"Sheet{len(self._sheets) + 1}"
        )
        base, number = candidate, 1
        while candidate.lower() in taken:
            number += 1
            suffix = f" ({number})"
            candidate = base[: SHEET_NAME_MAX - len(suffix)].strip("'") + suffix
        return candidate

    def add_sheet(self, name, columns=(), header_format=None):
        """Start a sheet (closing the previous one): ``columns`` are
        ``(title, width)`` pairs, written as a bold header row that stays
        frozen on top. Returns the sheet, to ``write_row`` into."""
        if self._sheet is not None:
            self._sheet._close()
        index = len(self._sheets) + 1
        # Zip64 whatever the size: a sheet's XML may pass 2 GiB
        stream = self._zip.open(
            f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True
        )
        try:
            self._sheet = Sheet(
                self,
                self._sheet_name(name),
                stream,
                list(columns),
                header_format,
                selected=index == 1,
            )
        except Exception:
            # the entry is closed, so that the caller sees this error and not
            # the zip's refusal to close with an entry open
            self._sheet = None
            stream.close()
            raise
        self._sheets.append(self._sheet)
        return self._sheet

    # ------------------------------------------------------------------
    # Closing
    # ------------------------------------------------------------------
    def close(self):
        if self._sheet is None:
            self.add_sheet("Sheet1")
        self._sheet._close()
        self._sheet = None
        count = len(self._sheets)
        self._zip.writestr("xl/styles.xml", self._styles_xml())
        sheets = "".join(
            f'<sheet name="{_escape_xml(sheet.name)}" sheetId="{index}" '
            f'r:id="rId{index}"/>'
            for index, sheet in enumerate(self._sheets, start=1)
        )
        self._zip.writestr(
            "xl/workbook.xml",
            f'{_XML_DECL}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets></workbook>",
        )
        relations = "".join(
            f'<Relationship Id="rId{index}" Type="{_REL_NS}/worksheet" '
            f'Target="worksheets/sheet{index}.xml"/>'
            for index in range(1, count + 1)
        )
        self._zip.writestr(
            "xl/_rels/workbook.xml.rels",
            f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">{relations}'
            f'<Relationship Id="rId{count + 1}" Type="{_REL_NS}/styles" '
            'Target="styles.xml"/></Relationships>',
        )
        self._zip.writestr(
            "_rels/.rels",
            f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{index}.xml" '
            f'ContentType="{content_type}.worksheet+xml"/>'
            for index in range(1, count + 1)
        )
        self._zip.writestr(
            "[Content_Types].xml",
            f"{_XML_DECL}<Types "
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            f'ContentType="{content_type}.sheet.main+xml"/>{overrides}'
            '<Override PartName="/xl/styles.xml" '
            f'ContentType="{content_type}.styles+xml"/></Types>',
        )
        self._zip.close()

    def _styles_xml(self):
        num_formats = "".join(
            f'<numFmt numFmtId="{num_format_id}" formatCode="{_escape_xml(code)}"/>'
            for code, num_format_id in self._num_formats.items()
        )
        if num_formats:
            num_formats = (
                f'<numFmts count="{len(self._num_formats)}">{num_formats}</numFmts>'
            )
        xfs = []
        for num_format_id, font_id, fill_id in self._xfs:
            applied = "".join(
                (
                    ' applyNumberFormat="1"' if num_format_id else "",
                    ' applyFont="1"' if font_id else "",
                    ' applyFill="1"' if fill_id else "",
                )
            )
            xfs.append(
                f'<xf numFmtId="{num_format_id}" fontId="{font_id}" '
                f'fillId="{fill_id}" borderId="0" xfId="0"{applied}/>'
            )
        return (
            f'{_XML_DECL}<styleSheet xmlns="{_MAIN_NS}">{num_formats}'
            f'<fonts count="{len(self._fonts)}">{"".join(self._fonts)}</fonts>'
            f'<fills count="{len(self._fills)}">{"".join(self._fills)}</fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/>'
            "<diagonal/></border></borders>"
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" '
            'borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" '
            'builtinId="0"/></cellStyles></styleSheet>'
        )
