"""An entry point whose module fails to import."""

raise ImportError("netservice_testplugin.broken is broken on purpose")
