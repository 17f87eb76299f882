from netservice.core.db.migration import run_env

from netservice_l2.models import Base

run_env(Base.metadata)
