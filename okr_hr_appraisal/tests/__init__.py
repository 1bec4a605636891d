from . import test_okr_appraisal_access
from . import test_okr_appraisal_i18n
from . import test_okr_appraisal_report
from . import test_okr_appraisal_score
from . import test_okr_appraisal_trust
