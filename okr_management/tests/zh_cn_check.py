"""The zh_CN completeness check, shared by the three modules' translation
tests. Not a test module."""

import polib

from odoo.modules.module import get_module_path
from odoo.tools.translate import TranslationModuleReader


def assert_zh_cn_complete(case, module):
    """Every term Odoo extracts from ``module`` (code, views, data) has a
    zh_CN translation, and the module's zh_CN.po says it is zh_CN."""
    po_path = f"{get_module_path(module)}/i18n/zh_CN.po"
    with open(po_path, encoding="utf-8") as handle:
        case.assertIn("Language: zh_CN", handle.read(2000), module)
    translated = {
        entry.msgid
        for entry in polib.pofile(po_path)
        if not entry.obsolete and "fuzzy" not in entry.flags and entry.msgstr.strip()
    }
    # a file Odoo cannot read for terms would hide its terms from the check
    with case.assertNoLogs("odoo.tools.translate", level="ERROR"):
        terms = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(case.env.cr, modules=[module])
            )
            if source and source.strip()
        }
    case.assertTrue(terms, f"{module}: no translatable term extracted")
    missing = sorted(terms - translated)
    case.assertFalse(
        missing,
        f"{module}: {len(missing)} of {len(terms)} terms lack a zh_CN "
        f"translation, e.g. {missing[:5]}",
    )
