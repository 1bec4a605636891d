from . import okr_check_in_wizard
from . import okr_team_check_in
from . import okr_team_check_in_line
from . import okr_template_apply
from . import okr_carry_over
from . import okr_carry_over_line
from . import okr_key_result_grade
from . import okr_check_in_acknowledge
