"""Plain helpers of the suite: no model here, testable without records."""

from .cron import run_isolated
from .parsing import (
    EXTERNAL_ID_MAX_LENGTH,
    MAX_MAGNITUDE,
    check_finite,
    parse_date,
    parse_external_id,
    parse_number,
)
from .settings import SETTINGS, get_setting, setting_default, setting_key

__all__ = [
    "EXTERNAL_ID_MAX_LENGTH",
    "MAX_MAGNITUDE",
    "SETTINGS",
    "check_finite",
    "get_setting",
    "parse_date",
    "parse_external_id",
    "parse_number",
    "run_isolated",
    "setting_default",
    "setting_key",
]
