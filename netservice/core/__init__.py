"""The framework core: the plugin contract, loading, routing, REST and the core DB.

Nothing in this package imports a plugin (DESIGN.md).
"""
