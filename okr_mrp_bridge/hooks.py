import json

from odoo.tools import SQL

from .sources import get_selection

# the core value the check-ins of the bridge's sources keep
KEPT_SOURCE = "import"


def uninstall_hook(env):
    """Keep each check-in's provenance readable without the bridge.

    The check-ins that production data recorded keep their value, date, note
    and author; their source, a value of this module, becomes the core's
    ``import`` (data that came from another system), and the source's label is
    folded into the front of the note, e.g. ``[Manufacturing: OEE (%)] OEE 81.2%
    from 40 productivity logs on ...``. Facts are written in one fixed,
    parameterised statement, below the check-ins' write protection, once.
    """
    labels = dict(get_selection())
    env.cr.execute(
        SQL(
            """
            UPDATE okr_check_in ci
               SET note = '[' || labels.label || ']'
                          || COALESCE(' ' || NULLIF(ci.note, ''), ''),
                   source = %(kept)s
              FROM jsonb_each_text(%(labels)s::jsonb) AS labels(key, label)
             WHERE ci.source = labels.key
            """,
            kept=KEPT_SOURCE,
            labels=json.dumps(labels),
        )
    )
    env["okr.check.in"].invalidate_model(["note", "source"])
