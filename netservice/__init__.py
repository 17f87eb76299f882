"""netservice: pluggable Flat, FlatDHCP and VLAN network services."""
