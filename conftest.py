"""pytest configuration shared by every test of the suite (run by scripts/test.sh)."""

from odoo.tools import config

# pytest-odoo imports Odoo's test framework before it turns test mode on, and
# Odoo logs that import as an error with a stack trace. Importing it here, in
# test mode, keeps the run's output to what the tests say.
_test_enable = config["test_enable"]
config["test_enable"] = True
import odoo.tests  # noqa: E402,F401  pylint: disable=wrong-import-position

config["test_enable"] = _test_enable
