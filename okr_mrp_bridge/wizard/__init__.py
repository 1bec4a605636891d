from . import okr_key_result_link_wizard
