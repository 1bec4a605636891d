"""Every translatable term of okr_mrp_bridge has a zh_CN translation."""

from odoo.tests import TransactionCase, tagged

from odoo.addons.okr_management.tests.zh_cn_check import assert_zh_cn_complete


@tagged("post_install", "-at_install")
class TestZhCnComplete(TransactionCase):
    def test_every_term_translated(self):
        assert_zh_cn_complete(self, "okr_mrp_bridge")
