from netservice.core.db.migration import run_env

from netservice_vlan.models import Base

run_env(Base.metadata)
