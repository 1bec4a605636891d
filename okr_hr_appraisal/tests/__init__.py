from . import test_okr_appraisal_access
from . import test_okr_appraisal_i18n
from . import test_okr_appraisal_report
from . import test_okr_appraisal_score
from . import test_okr_appraisal_trust
from . import test_tours
from . import test_translations
from . import test_appraisal_trust_round2
