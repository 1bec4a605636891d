from . import sources
from . import models
from . import wizard
from .hooks import uninstall_hook
