"""What compute hosts are handed, rendered the same way for every plugin.

- ``injection``: the guest's Debian ``/etc/network/interfaces`` (file injection);
- ``libvirt``: the ``<interface type='bridge'>`` element.
"""
