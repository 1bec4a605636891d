from . import okr_pace_mixin
from . import okr_cycle
from . import okr_objective
from . import okr_key_result
from . import okr_check_in
from . import res_config_settings
