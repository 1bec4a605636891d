"""Every translatable term of the three modules has a zh_CN translation."""

from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("okr_management", "okr_mrp_bridge", "okr_hr_appraisal")


@tagged("post_install", "-at_install")
class TestZhCnComplete(TransactionCase):
    def _translated_terms(self, module):
        po_path = ROOT / module / "i18n" / "zh_CN.po"
        self.assertTrue(po_path.is_file(), f"{po_path} is missing")
        return {
            entry.msgid
            for entry in polib.pofile(str(po_path))
            if not entry.obsolete
            and "fuzzy" not in entry.flags
            and entry.msgstr.strip()
        }

    def test_every_term_translated(self):
        for module in MODULES:
            with self.subTest(module=module):
                translated = self._translated_terms(module)
                # the terms Odoo itself extracts from the module's code, views and data
                terms = {
                    source
                    for _module, _type, _name, _res_id, source, _value, _comments in (
                        TranslationModuleReader(self.env.cr, modules=[module])
                    )
                    if source and source.strip()
                }
                self.assertTrue(terms, f"{module}: no translatable term extracted")
                missing = sorted(terms - translated)
                self.assertFalse(
                    missing,
                    f"{module}: {len(missing)} of {len(terms)} terms lack a zh_CN "
                    f"translation, e.g. {missing[:5]}",
                )

    def test_po_files_are_zh_cn(self):
        for module in MODULES:
            po_path = ROOT / module / "i18n" / "zh_CN.po"
            header = po_path.read_text(encoding="utf-8")[:2000]
            self.assertIn("Language: zh_CN", header, module)
