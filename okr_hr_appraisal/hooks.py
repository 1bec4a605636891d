def uninstall_hook(env):
    """Before the module's tables go: each completed appraisal keeps its
    frozen OKR reference (and the versions kept at each reopening) as a
    message in its chatter (Odoo runs the hook as superuser)."""
    Line = env["okr.appraisal.line"].with_context(active_test=False)
    lines = Line.search(
        [
            "|",
            ("appraisal_id.okr_score_frozen", "=", True),
            ("reopened_on", "!=", False),
        ]
    )
    lines.appraisal_id.with_context(active_test=False)._okr_post_reference()
