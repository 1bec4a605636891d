"""Odoo's own list-view Export to XLSX, run outside an HTTP request, for the
benchmarks to set beside the suite's workbooks. Not a test module."""

from types import SimpleNamespace


def export_fields_info(records, field_names):
    """The fields as the export dialog sends them: name, label and type."""
    infos = []
    for name in field_names:
        model = records
        *path, last = name.split("/")
        for part in path:
            model = model.env[model._fields[part].comodel_name]
        field = model._fields[last]
        infos.append({"name": name, "label": field.string, "type": field.type})
    return infos


def odoo_list_export_xlsx(records, field_names):
    """What ``/web/export/xlsx`` does for a list view's Export with the
    dialog's default (not import-compatible) and no grouping:
    ``export_data`` of the records, then the controller's own
    ``ExcelExport.from_data`` (Odoo's ``ExportXlsxWriter``, xlsxwriter in
    memory). The writer reads ``request.env`` (the currencies' decimal
    places, its messages): a stand-in request holding the records'
    environment is pushed for the call. Returns the file's bytes."""
    # pylint: disable=import-outside-toplevel
    from odoo import http

    from odoo.addons.web.controllers.export import ExcelExport

    records = records.with_context(import_compat=False)
    fields = export_fields_info(records, field_names)
    http._request_stack.push(SimpleNamespace(env=records.env))
    try:
        rows = records.export_data(field_names).get("datas", [])
        return ExcelExport().from_data(
            fields, [field["label"].strip() for field in fields], rows
        )
    finally:
        http._request_stack.pop()
