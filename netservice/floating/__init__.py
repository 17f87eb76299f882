"""Floating IPs shared by the FlatDHCP and VLAN plugins.

- ``models``: the declarative mixin each plugin combines with its own table,
  and the column helpers its alembic migration uses;
- ``ranges``: ``floating create --ip_range`` parsing (one address or a CIDR);
- ``service.FloatingIps``: the one entry point, composed of
  ``pools`` (operator side: create, delete, list ranges),
  ``allocation`` (allocate and deallocate, with the quota),
  ``association`` (associate, disassociate, auto-assign, migration) and
  ``lookups`` (the getters);
- ``store`` and ``locking``: the tables, the queries and the transactions
  those modules share.

Unlike fixed IPs, every floating address has a row: ``floating create``
writes them, so "first free in the pool" is one indexed, row-locked read.

Lock order, for every transaction that takes more than one lock: a
plugin's network row (ipam), then fixed IP rows, then the project's
allocation lock, then floating IP rows.  Nothing here takes them in another
order, so plugins that follow it cannot deadlock with this module.
"""
