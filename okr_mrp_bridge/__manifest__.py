{
    "name": "OKR - Manufacturing Bridge",
    "version": "18.0.1.1.0",
    "category": "Manufacturing/OKR",
    "summary": "Key results fed by manufacturing work orders and quality "
    "inspections, with shop-floor alerts",
    "author": "OKR Factory Suite",
    "website": "https://github.com/okr-factory/okr-suite",
    "license": "AGPL-3",
    "maintainers": ["okr-factory"],
    "development_status": "Beta",
    "depends": ["okr_management", "mrp", "quality_control_mrp_oca"],
    "data": [
        "security/okr_mrp_security.xml",
        "security/ir.model.access.csv",
        "data/okr_mrp_data.xml",
        "data/ir_cron_data.xml",
        "views/okr_key_result_link_wizard_views.xml",
        "views/okr_key_result_views.xml",
        "views/mrp_workorder_views.xml",
        "views/mrp_production_views.xml",
        "views/mrp_workcenter_views.xml",
        "views/okr_objective_views.xml",
    ],
    "demo": [
        "demo/okr_mrp_demo.xml",
        "demo/okr_mrp_plan_demo.xml",
        "demo/okr_mrp_role_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "okr_mrp_bridge/static/tests/tours/*.js",
        ],
    },
    "installable": True,
    "uninstall_hook": "uninstall_hook",
    "auto_install": False,
}
