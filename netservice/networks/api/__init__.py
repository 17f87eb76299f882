"""The REST API a plugin built on ``netservice.networks`` mounts under its prefix.

``service.NetworksAPIService`` registers networks, vnics (with their
``network_info``), ports and fixed_ips; a plugin subclasses it to add its own
resources (FlatDHCP: floating IPs and DHCP leases).
"""
