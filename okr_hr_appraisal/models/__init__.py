from . import okr_appraisal_line
from . import hr_appraisal
from . import okr_key_result
from . import okr_objective
from . import okr_cycle
from . import res_config_settings
