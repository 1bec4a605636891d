from . import test_alerts
from . import test_events
from . import test_performance
from . import test_planned_value
from . import test_registry
from . import test_security
from . import test_sources
