from odoo import api, models
from odoo.exceptions import UserError

# as many readings in one call as check-ins
CHECK_IN_BATCH_LIMIT = 1000
KPI_BATCH_KEYS = frozenset({"kpi_id", "value", "date", "note", "external_id"})


class OkrKeyResult(models.Model):
    """The integrators' batch call takes daily KPI readings too: an item
    with a ``kpi_id`` is recorded by :meth:`okr.kpi.action_record`."""

    _inherit = "okr.key.result"

    @api.model
    def action_check_in_batch(self, items):
        """Items with a ``kpi_id`` key are KPI readings (``kpi_id``,
        ``value`` and, optionally, ``date``, ``note``, ``external_id``),
        answered like check-ins: ``index``, ``kpi_id``, ``external_id``,
        ``status`` ("created", "duplicate" or "refused"), ``kpi_value_id``
        and ``error`` (``key_result_id`` and ``check_in_id`` False). The
        others are key result check-ins."""
        if not isinstance(items, list | tuple) or len(items) > CHECK_IN_BATCH_LIMIT:
            return super().action_check_in_batch(items)
        kpi_indexes = [
            index
            for index, item in enumerate(items)
            if isinstance(item, dict) and "kpi_id" in item
        ]
        if not kpi_indexes:
            return super().action_check_in_batch(items)
        kpi_set = set(kpi_indexes)
        other_indexes = [index for index in range(len(items)) if index not in kpi_set]
        answers = {}
        if other_indexes:
            other_answers = super().action_check_in_batch(
                [items[index] for index in other_indexes]
            )
            for index, answer in zip(other_indexes, other_answers, strict=True):
                answers[index] = dict(answer, index=index)
        for index in kpi_indexes:
            answers[index] = self._record_kpi_batch_item(index, items[index])
        return [answers[index] for index in range(len(items))]

    @api.model
    def _record_kpi_batch_item(self, index, item):
        # the check-in answer's keys, and the KPI's own
        result = {
            "index": index,
            "key_result_id": False,
            "kpi_id": item.get("kpi_id"),
            "external_id": item.get("external_id") or False,
            "status": "refused",
            "check_in_id": False,
            "kpi_value_id": False,
            "error": False,
        }
        try:
            with self.env.cr.savepoint():
                unknown = set(item) - KPI_BATCH_KEYS
                if unknown:
                    raise UserError(
                        self.env._(
                            "KPI batch item: unknown keys %(keys)s; use %(known)s.",
                            keys=", ".join(sorted(map(str, unknown))),
                            known=", ".join(sorted(KPI_BATCH_KEYS)),
                        )
                    )
                kpi_id = item["kpi_id"]
                if isinstance(kpi_id, bool) or not isinstance(kpi_id, int):
                    raise UserError(
                        self.env._(
                            "KPI: the id of a KPI is required, got %(value)r.",
                            value=kpi_id,
                        )
                    )
                if "value" not in item:
                    raise UserError(
                        self.env._("Value: a number is required, got nothing.")
                    )
                kwargs = {key: item[key] for key in item if key != "kpi_id"}
                record, status = (
                    self.env["okr.kpi"].browse(kpi_id)._record_value(**kwargs)
                )
                result.update(
                    status="duplicate" if status == "duplicate" else "created",
                    kpi_value_id=record.id,
                )
        except UserError as error:
            result["error"] = error.args[0] if error.args else str(error)
        return result
