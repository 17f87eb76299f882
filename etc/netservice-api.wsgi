# mod_wsgi: WSGIScriptAlias / /etc/netservice/netservice-api.wsgi
# (with WSGIDaemonProcess netservice-api processes=N threads=8 and
#  SetEnv is not seen at import: name the config files in the environment of
#  the daemon, or edit the list below).
import os

os.environ.setdefault("NETSERVICE_CONFIG_FILES", "/etc/netservice/netservice.conf")

from netservice.wsgi.api import init_application  # noqa: E402

application = init_application()
