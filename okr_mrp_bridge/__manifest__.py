{
    "name": "OKR - Manufacturing Bridge",
    "version": "18.0.1.0.0",
    "category": "Manufacturing/OKR",
    "summary": "Key results fed by manufacturing work orders and quality "
    "inspections, with shop-floor alerts",
    "author": "OKR Factory Suite",
    "website": "https://github.com/okr-factory/okr-suite",
    "license": "LGPL-3",
    "maintainers": ["okr-factory"],
    "development_status": "Beta",
    "depends": ["okr_management", "mrp", "quality_control_mrp_oca"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
    "auto_install": False,
}
