from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import PoFileReader


@tagged("post_install", "-at_install")
class TestOkrAppraisalTranslation(TransactionCase):
    def _terms(self, file_name):
        with open(file_path(f"okr_hr_appraisal/i18n/{file_name}"), "rb") as po_file:
            return {entry["src"]: entry["value"] for entry in PoFileReader(po_file)}

    def test_zh_cn_complete(self):
        template = self._terms("okr_hr_appraisal.pot")
        chinese = self._terms("zh_CN.po")
        self.assertEqual(set(chinese), set(template), "zh_CN.po follows the .pot")
        untranslated = [source for source, value in chinese.items() if not value]
        self.assertFalse(untranslated, f"untranslated: {untranslated}")

    def test_zh_cn_loads(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["okr_hr_appraisal"], ["zh_CN"])
        field = self.env["ir.model.fields"]._get("hr.appraisal", "okr_score")
        self.assertEqual(
            field.with_context(lang="zh_CN").field_description, "OKR 参考分"
        )
