"""The WSGI layer shared by the core and the plugins' REST APIs.

Plugin authors use ``Controller``, ``expects``, ``status``, ``Request``,
``paginate`` and ``links`` from here.
"""

from netservice.core.wsgi.controller import Controller, expects, status
from netservice.core.wsgi.request import Page, Request, links, paginate

__all__ = ["Controller", "Page", "Request", "expects", "links", "paginate", "status"]
