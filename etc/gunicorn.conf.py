# gunicorn configuration for the netservice REST API (see README, "Deploying").
#
#   NETSERVICE_CONFIG_FILES=/etc/netservice/netservice.conf \
#       gunicorn --config /etc/netservice/gunicorn.conf.py 'netservice.wsgi.api:init_application()'
#
# Each worker builds the application (and its database pool) itself:
# preload_app stays off.  netservice logs one access line per request with
# its request id, so gunicorn's access log stays off.
import multiprocessing
import os
from typing import Any

from prometheus_client import multiprocess

from netservice.wsgi import api

bind = os.environ.get("NETSERVICE_BIND", "127.0.0.1:9797")
workers = int(os.environ.get("NETSERVICE_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = 8
# On SIGTERM: stop accepting, let requests in progress finish for this long.
graceful_timeout = 30
timeout = 60
preload_app = False
accesslog = None
errorlog = "-"
proc_name = "netservice-api"
control_socket_disable = True


def post_fork(_server: object, _worker: object) -> None:
    # Only matters with preload_app = True: forget the master's connections.
    api.after_fork()


def child_exit(_server: object, worker: Any) -> None:
    # Prometheus multiprocess mode ([api] metrics with PROMETHEUS_MULTIPROC_DIR set).
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
