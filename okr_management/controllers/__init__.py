from . import okr_tv_board
