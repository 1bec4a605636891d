from . import okr_appraisal_report_export
