"""Every translatable term of okr_management has a zh_CN translation."""

from odoo.tests import TransactionCase, tagged

from .zh_cn_check import assert_zh_cn_complete


@tagged("post_install", "-at_install")
class TestZhCnComplete(TransactionCase):
    def test_every_term_translated(self):
        assert_zh_cn_complete(self, "okr_management")
