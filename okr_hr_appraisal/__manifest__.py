{
    "name": "OKR - HR Appraisal Reference",
    "version": "18.0.1.0.0",
    "category": "Human Resources/OKR",
    "summary": "Each employee's OKR results in the appraisal, as a reference "
    "score and never as the rating",
    "author": "OKR Factory Suite",
    "website": "https://github.com/okr-factory/okr-suite",
    "license": "LGPL-3",
    "maintainers": ["okr-factory"],
    "development_status": "Beta",
    "depends": ["okr_management", "hr_appraisal_oca"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
    "auto_install": False,
}
