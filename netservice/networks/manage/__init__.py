"""A plugin's ``-manage`` tool: nova-manage's ``network`` and ``fixed`` commands.

``args`` builds the parsers, ``commands`` runs them against the plugin's
service layer (the same one the REST API uses), and ``tool.Tool`` is the
``main()`` a plugin's console script calls.  A plugin adds commands of its
own (FlatDHCP: ``floating``) by passing more parsers and handlers to ``Tool``.
"""
