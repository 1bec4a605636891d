"""One failing record never stops a cron."""

import logging

_logger = logging.getLogger(__name__)


def run_isolated(records, method, label):
    """Run ``method(records)`` for a cron, so that one failing record does not
    stop the others.

    The batch runs first, in a savepoint. If it fails, each record runs alone
    in its own savepoint: a record that fails is logged with its id and the
    reason, and skipped. Returns the records that failed.
    """
    if not records:
        return records
    cr = records.env.cr
    try:
        with cr.savepoint():
            method(records)
        return records.browse()
    except Exception as error:  # pylint: disable=broad-except
        _logger.warning(
            "%s: the batch of %s %s failed (%s); retrying one by one",
            label,
            len(records),
            records._name,
            error,
        )
    failed_ids = []
    for record in records:
        try:
            with cr.savepoint():
                method(record)
        except Exception as error:  # pylint: disable=broad-except
            _logger.error(
                "%s: %s %s skipped: %s", label, record._name, record.id, error
            )
            failed_ids.append(record.id)
    return records.browse(failed_ids)
