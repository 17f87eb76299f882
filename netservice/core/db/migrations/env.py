from netservice.core.db.migration import run_env
from netservice.core.db.models import CoreBase

run_env(CoreBase.metadata)
