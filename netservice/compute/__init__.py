"""What compute hosts are handed, rendered the same way for every plugin.

- ``injection``: the guest's Debian ``/etc/network/interfaces`` (file injection);
- ``libvirt``: the ``<interface type='bridge'>`` element;
- ``instances``: the calls compute makes (create, destroy, network info),
  routed to each project's network service.
"""
