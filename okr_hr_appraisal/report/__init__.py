from . import okr_appraisal_report
