"""Input parsing of the integrators' API and the check-in dialogs.

Plain functions: each takes the environment only to translate its message in
the caller's language, and raises a UserError that names the field.
"""

import math

from odoo import fields
from odoo.exceptions import UserError

# The largest value (in size) a check-in, a target or a weight may take.
MAX_MAGNITUDE = 1e15
# The longest external reference an integrator may give a reading.
EXTERNAL_ID_MAX_LENGTH = 255


def check_finite(number):
    """True when ``number`` is a finite number of at most MAX_MAGNITUDE."""
    return math.isfinite(number) and abs(number) <= MAX_MAGNITUDE


def parse_number(env, value, field_label):
    """``value`` as a float; refuses booleans, None, text that is not a
    number, NaN, infinity and numbers larger than MAX_MAGNITUDE."""
    if isinstance(value, bool) or value is None:
        raise UserError(
            env._(
                "%(field)s: a number is required, got %(value)r.",
                field=field_label,
                value=value,
            )
        )
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float
        number = math.inf
    except (TypeError, ValueError):
        raise UserError(
            env._(
                "%(field)s: a number is required, got %(value)r.",
                field=field_label,
                value=value,
            )
        ) from None
    if not check_finite(number):
        raise UserError(
            env._(
                "%(field)s: a finite number of at most %(max)g in size is "
                "required, got %(value)r.",
                field=field_label,
                max=MAX_MAGNITUDE,
                value=value,
            )
        )
    return number


def parse_date(env, value, field_label):
    """``value`` (a date or ``YYYY-MM-DD``) as a date."""
    try:
        parsed = fields.Date.to_date(value)
    except (TypeError, ValueError):
        parsed = None
    if not parsed:
        raise UserError(
            env._(
                "%(field)s: a date (YYYY-MM-DD) is required, got %(value)r.",
                field=field_label,
                value=value,
            )
        )
    return parsed


def parse_external_id(env, external_id):
    """An integrator's reference of a reading: a non-empty text of at most
    EXTERNAL_ID_MAX_LENGTH characters."""
    if not isinstance(external_id, str) or not external_id.strip():
        raise UserError(
            env._(
                "External Reference: a non-empty text is required, got %r.",
                external_id,
            )
        )
    if len(external_id) > EXTERNAL_ID_MAX_LENGTH:
        raise UserError(
            env._(
                "External Reference: at most %(max)s characters, got %(count)s.",
                max=EXTERNAL_ID_MAX_LENGTH,
                count=len(external_id),
            )
        )
    return external_id
