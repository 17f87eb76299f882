"""The ``oslo.policy.enforcer`` entry points, for oslo.policy's tools.

``oslopolicy-policy-generator``, ``oslopolicy-list-redundant`` and
``oslopolicy-validator`` load an enforcer by namespace and read the policy
file from the global ``cfg.CONF`` they parsed (``--config-file``).  The
``netservice`` enforcer has the core's rules and those of every plugin the
service list (``network_service_conf``) names, or of every installed plugin
when there is no service list to read; a plugin's own namespace
(``netservice.flat``, ...) has the core's rules and that plugin's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from importlib import metadata

from oslo_config import cfg
from oslo_policy import policy

from netservice.core import exceptions, manager, opts
from netservice.core.policy import CORE_RULES

LOG = logging.getLogger(__name__)


def _enforcer(rules: Iterable[policy.RuleDefault]) -> policy.Enforcer:
    enforcer = policy.Enforcer(cfg.CONF)
    enforcer.register_defaults(CORE_RULES)
    enforcer.register_defaults(list(rules))
    return enforcer


def _installed() -> dict[str, type]:
    found: dict[str, type] = {}
    for ep in metadata.entry_points(group=manager.NAMESPACE):
        try:
            found[ep.name] = ep.load()
        except Exception as err:
            LOG.warning("plugin entry point %s does not load: %s", ep.name, err)
    return found


def _loaded_plugins(conf: cfg.ConfigOpts) -> dict[str, type]:
    if opts.NETWORK_SERVICE_CONF.dest not in conf:
        conf.register_opt(opts.NETWORK_SERVICE_CONF)
    try:
        return manager.plugin_classes(conf.network_service_conf)
    except exceptions.ConfigurationError as err:
        LOG.warning("%s: listing every installed plugin's rules", err)
        return _installed()


def get_enforcer() -> policy.Enforcer:
    """The ``netservice`` enforcer: the core's and every loaded plugin's rules."""
    rules: dict[str, policy.RuleDefault] = {}
    for plugin_cls in _loaded_plugins(cfg.CONF).values():
        for rule in getattr(plugin_cls, "POLICY_RULES", ()):
            rules.setdefault(rule.name, rule)
    return _enforcer(rules.values())


def plugin_enforcer(rules: Iterable[policy.RuleDefault]) -> policy.Enforcer:
    """A plugin's namespace enforcer: the core's rules (which it names) and ``rules``."""
    return _enforcer(rules)
