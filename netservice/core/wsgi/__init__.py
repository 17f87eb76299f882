"""The WSGI layer shared by the core and the plugins' REST APIs.

Plugin authors use ``Controller``, ``expects``, ``status``, ``Request``,
``paged``, ``paginate`` and ``links`` from here.
"""

from netservice.core.wsgi.controller import Controller, expects, paged, status
from netservice.core.wsgi.request import Page, Request, links, paginate

__all__ = ["Controller", "Page", "Request", "expects", "links", "paged", "paginate", "status"]
