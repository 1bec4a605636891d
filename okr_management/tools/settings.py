"""The OKR Settings: every key with its default and type, in one table.

The Settings screen (``res.config.settings``), the models and the SQL reports
read the keys through this table only, so a default is written once.
"""

import math

# key (without the "okr_management." prefix): (type, default)
SETTINGS = {
    "on_track_ratio": (float, 0.9),
    "off_track_ratio": (float, 0.6),
    "require_alignment": (bool, False),
    "score_scale": (str, "unit"),
    "reminder_days": (int, 7),
    "summary_weekday": (str, "0"),  # Monday: date.weekday() as text
    "max_objectives_per_owner": (int, 5),
    "max_key_results_per_objective": (int, 5),
    "committed_threshold": (float, 1.0),
    "aspirational_threshold": (float, 0.7),
    "missed_below": (float, 0.3),
    "band_unit_low": (float, 0.6),
    "band_unit_high": (float, 0.7),
    "band_five_low": (float, 2.5),
    "band_five_high": (float, 3.5),
}
PREFIX = "okr_management."


def setting_key(name):
    """The ``ir.config_parameter`` key of setting ``name``."""
    assert name in SETTINGS, name
    return PREFIX + name


def setting_default(name):
    return SETTINGS[name][1]


def get_setting(env, name):
    """Setting ``name`` as its type; the default when unset or not valid
    (a number that is not a finite number, a text that is not one)."""
    kind, default = SETTINGS[name]
    # the Settings are the company's configuration, read by every user's code
    raw = env["ir.config_parameter"].sudo().get_param(setting_key(name))
    if raw is None or raw is False or raw == "":
        return default
    if kind is bool:
        return str(raw).strip().lower() in ("1", "true", "yes")
    if kind is str:
        return raw
    try:
        value = kind(float(raw)) if kind is int else float(raw)
    except (TypeError, ValueError):
        return default
    if kind is float and not math.isfinite(value):
        return default
    return value
