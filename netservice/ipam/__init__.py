"""Fixed IP address management shared by the Flat, FlatDHCP and VLAN plugins.

- ``planner``: nova-manage ``network create`` semantics as pure functions,
  built from ``plans`` (the types), ``subnets`` (sizing and carving),
  ``numbering`` (VLAN ids, VPN ports) and ``fields`` (per-field checks);
- ``layout``: where a new network's gateway, VPN address and ``dhcp_start``
  go (nova's rules; ``allowed_start`` moves them);
- ``ranges``: a network's allocatable range and reserved addresses;
- ``models``: declarative mixins each plugin combines with its own tables;
- ``allocator``: allocate, deallocate, reserve, lease and release, serialised
  per network with the network row's lock (``cursor``: that lock and the
  never-used-address cursor).

No row is stored for an address that was never used: a network of any size
costs one network row plus its few reserved addresses.
"""
