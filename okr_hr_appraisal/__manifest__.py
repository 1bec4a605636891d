{
    "name": "OKR - HR Appraisal Reference",
    "version": "18.0.1.0.0",
    "category": "Human Resources/OKR",
    "summary": "Each employee's OKR results in the appraisal, as a reference "
    "score and never as the rating",
    "author": "OKR Factory Suite",
    "website": "https://github.com/okr-factory/okr-suite",
    "license": "AGPL-3",
    "maintainers": ["okr-factory"],
    "development_status": "Beta",
    "depends": ["okr_management", "hr_appraisal_oca"],
    "data": [
        "security/okr_hr_appraisal_security.xml",
        "security/ir.model.access.csv",
        "views/hr_appraisal_views.xml",
        "views/okr_appraisal_report_views.xml",
        "views/okr_appraisal_report_export_views.xml",
        "views/res_config_settings_views.xml",
        "views/okr_hr_appraisal_menus.xml",
    ],
    "demo": [
        "demo/okr_hr_appraisal_demo.xml",
        "demo/okr_hr_appraisal_role_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "okr_hr_appraisal/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
    "auto_install": False,
}
