"""Plugins that break the contract, for the manager's error paths."""

from __future__ import annotations

from netservice_testplugin.plugin import TestPlugin


class NoAgentPlugin:
    """Duck-typed, and missing get_net_agent()."""

    def __init__(self, context: object) -> None:
        self.context = context

    def get_os_service(self) -> None:
        return None

    def get_os_api_service(self) -> None:
        return None


class BadInitPlugin(TestPlugin):
    def __init__(self, context: object) -> None:
        raise RuntimeError("cannot reach the frobnicator")
