from netservice_testplugin.models import Base

from netservice.core.db.migration import run_env

run_env(Base.metadata)
