"""Fixed IP address management shared by the Flat, FlatDHCP and VLAN plugins.

- ``planner``: nova-manage ``network create`` semantics as pure functions;
- ``ranges``: a network's allocatable range and reserved addresses;
- ``models``: declarative mixins each plugin combines with its own tables;
- ``allocator``: allocate, deallocate, reserve, lease and release, serialised
  per network with the network row's lock.

No row is stored for an address that was never used: a network of any size
costs one network row plus its few reserved addresses.
"""
