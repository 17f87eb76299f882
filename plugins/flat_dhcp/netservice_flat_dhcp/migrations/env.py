from netservice.core.db.migration import run_env

from netservice_flat_dhcp.models import Base

run_env(Base.metadata)
