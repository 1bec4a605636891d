from . import okr_adoption_report
from . import okr_cycle_export
from . import okr_check_in_pace_report
from . import okr_responsibility_report
