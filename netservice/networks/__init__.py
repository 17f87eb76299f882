"""The network layer shared by the plugins: networks, VNICs and ports, and their APIs.

A plugin binds it to its own tables (``schema.Schema``) and choices
(``topology.Topology``):

- ``models``: the ethernet-card (VNIC) mixin and its migration helpers;
- ``networks.Networks`` (reads in ``queries``): ``network create|delete|modify``,
  ``fixed reserve``; ``dhcp.DhcpNetworks`` adds host claims, the timeout
  sweep, DHCP leases and multi_host addresses;
- ``vnics.Vnics`` (rows in ``cards``): VNICs and ports, with ``PortExtra``
  parts (``port_floating.FloatingOnPorts``: floating IPs that follow the
  instance) and, for DHCP topologies, multi_host network info;
- ``floating``: the plugin-side check of floating IP association;
- ``writes``: write transactions that notify the plugin's net-service;
- ``info``, ``policies``: network info, default policy rules;
- ``api``: the REST controllers and routes; ``manage``: the ``-manage`` tool.
"""
