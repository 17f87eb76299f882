"""The core's configuration options, and ``list_opts`` for oslo-config-generator.

Options are declared here and registered on a ``cfg.ConfigOpts`` that the
entry points create (``netservice.core.config.load``); nothing registers them
on a global object at import time.
"""

from __future__ import annotations

import socket

from oslo_config import cfg

# Also a command-line option (--network_service_conf), as nova-network's was.
NETWORK_SERVICE_CONF = cfg.StrOpt(
    "network_service_conf",
    default="/etc/nova/nova-network.conf",
    help="File listing the network services to load, one per line: an entry "
    "point name in the netservice.plugins namespace, a Python path "
    "'package.module:Class', or a module path whose module has one plugin class "
    "(or a 'plugin' attribute). Blank lines and lines starting with # are "
    "ignored. A relative path is taken from the directory of the config file that "
    "sets it.",
)

DEFAULT_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "default_network_service",
        default="vlan",
        help="Network service a project gets when it has no association.",
    ),
    NETWORK_SERVICE_CONF,
    cfg.StrOpt(
        "state_path",
        default="/var/lib/netservice",
        help="Directory for the embedded SQLite database and the data plane's files. A "
        "relative path is taken from the directory of the config file that sets it.",
    ),
    cfg.StrOpt(
        "host",
        default=socket.gethostname(),
        sample_default="<hostname>",
        help="Name of this host, as recorded on networks and fixed IPs it serves.",
    ),
    cfg.FloatOpt(
        "resync_interval",
        default=60.0,
        min=1.0,
        help="Seconds between full reconciles of the net-services, which catch any "
        "change notification that was lost.",
    ),
]

API_OPTS: list[cfg.Opt] = [
    cfg.HostAddressOpt(
        "bind_host",
        default="127.0.0.1",
        help="Address the REST API listens on. The default noauth strategy trusts "
        "identity headers, so keep it on loopback unless auth_strategy is keystone.",
    ),
    cfg.PortOpt("bind_port", default=9797, help="Port the REST API listens on."),
    cfg.StrOpt(
        "auth_strategy",
        default="noauth",
        choices=[
            ("noauth", "trust X-Project-Id, X-User-Id and X-Roles (loopback only)"),
            ("keystone", "validate tokens with keystonemiddleware auth_token"),
        ],
        help="How requests are authenticated.",
    ),
    cfg.IntOpt(
        "workers",
        min=1,
        sample_default="<number of CPUs; 1 on the embedded SQLite default>",
        help="Processes netservice-api serves with (gunicorn's pre-fork server when "
        "over 1), each with its own database connection pool. Unset: the number of "
        "CPUs, or 1 when the database is SQLite or embedded_net_services is on.",
    ),
    cfg.IntOpt("threads", default=8, min=1, help="Threads of each API worker process."),
    cfg.FloatOpt(
        "graceful_shutdown_timeout",
        default=30.0,
        min=0.0,
        help="On SIGTERM or SIGINT, seconds the server lets requests in progress finish "
        "before it closes their connections. New connections are refused at once.",
    ),
    cfg.BoolOpt(
        "embedded_net_services",
        default=False,
        help="Also run the plugins' net-services (the data plane) inside "
        "netservice-api, as etc/netservice-dev.conf does for development. Keep it "
        "false where netservice-network runs on the network hosts: an API process "
        "running them claims networks for its own host. Runs one API process.",
    ),
    cfg.ListOpt(
        "pipeline",
        default=[
            "cors",
            "http_proxy_to_wsgi",
            "request_id",
            "access_log",
            "healthcheck",
            "metrics",
        ],
        help="Middleware in front of the API, outermost first (netservice's "
        "api-paste.ini; see netservice/core/wsgi/pipeline.py). Known: cors, "
        "http_proxy_to_wsgi, request_id, access_log, healthcheck, metrics. "
        "Authentication ([api] auth_strategy) always comes last.",
    ),
    cfg.BoolOpt(
        "metrics",
        default=False,
        help="Answer GET /metrics with Prometheus figures: requests and latency "
        "per route and status, and the database pool. Anyone who reaches the API "
        "can read them.",
    ),
    cfg.IntOpt("max_limit", default=1000, min=1, help="Largest page a list request may ask for."),
    cfg.IntOpt(
        "max_request_body_size",
        default=1024 * 1024,
        min=1024,
        help="Largest request body, in bytes; larger ones get 413.",
    ),
]

DATABASE_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "connection",
        default="sqlite:///$state_path/netservice.sqlite",
        secret=True,
        help="SQLAlchemy URL. SQLite is the embedded default; use "
        "postgresql+psycopg://... or mysql+pymysql://... for several hosts.",
    ),
    cfg.IntOpt(
        "connect_retries",
        default=10,
        min=0,
        help="How many more times a program tries to reach the database at start-up "
        "before it exits, announcing each wait on stderr.",
    ),
    cfg.FloatOpt(
        "connect_retry_interval",
        default=2.0,
        min=0.0,
        help="Seconds between two attempts to reach the database at start-up.",
    ),
    cfg.BoolOpt(
        "sync_on_start",
        default=True,
        help="Let netservice-api upgrade an SQLite schema at start-up. Server "
        "databases are never upgraded implicitly: run 'netservice-manage db sync'.",
    ),
]


AGENT_OPTS: list[cfg.Opt] = [
    cfg.URIOpt(
        "api_url",
        schemes=["http", "https"],
        help="On a compute host without database access: the netservice API the net "
        "agents call (e.g. http://controller:9797). Empty: they call the plugins "
        "in-process, as the embedded default does.",
    ),
    cfg.StrOpt(
        "auth_token",
        secret=True,
        help="Service token sent as X-Auth-Token with the agents' API calls (keystone).",
    ),
    cfg.FloatOpt("timeout", default=10.0, min=0.1, help="Seconds an agent waits for the API."),
]


COMPUTE_OPTS: list[cfg.Opt] = [
    cfg.StrOpt(
        "hypervisor",
        default="standin",
        choices=[
            ("standin", "a network namespace per instance, wired as libvirt would"),
            ("libvirt", "a QEMU domain through libvirt, built around the agent's XML"),
        ],
        help="What netservice-compute boots instances as.",
    ),
    cfg.StrOpt("libvirt_uri", default="qemu:///system", help="The libvirtd to use."),
    cfg.IntOpt("guest_memory_mb", default=160, min=64, help="Memory of each libvirt guest."),
    cfg.FloatOpt(
        "boot_timeout",
        default=180.0,
        min=1,
        help="Seconds a libvirt guest has to report its network on its console.",
    ),
]


def _middleware_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """The options of the oslo.middleware filters the API pipeline uses."""
    from oslo_middleware import opts as middleware_opts  # noqa: PLC0415 - generator hook

    found = [
        *middleware_opts.list_opts_cors(),
        *middleware_opts.list_opts_http_proxy_to_wsgi(),
        *middleware_opts.list_opts_healthcheck(),
    ]
    return [(group, list(group_opts)) for group, group_opts in found]


def list_opts() -> list[tuple[str | None, list[cfg.Opt]]]:
    """The core's options, for oslo-config-generator and ``config.register_core_opts``.

    The data plane's groups (``[linux]``) are not here: the core does not
    import the data plane, whose distribution registers them under
    ``FRAMEWORK_OPTS_NAMESPACE`` instead.
    """
    return [
        ("DEFAULT", DEFAULT_OPTS),
        ("api", API_OPTS),
        ("database", DATABASE_OPTS),
        ("agent", AGENT_OPTS),
        *_middleware_opts(),
        ("compute", COMPUTE_OPTS),
    ]


FRAMEWORK_OPTS_NAMESPACE = "netservice.framework_opts"
"""Entry points, each a ``list_opts`` like the one above, for framework parts
outside the core (the data plane): the core registers their groups on every
program's configuration, as it does its own."""
