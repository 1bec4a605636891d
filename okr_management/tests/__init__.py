from . import test_okr_core
