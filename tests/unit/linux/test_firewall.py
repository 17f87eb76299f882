"""The firewall driver's decisions, with a fake nft and the dry-run twins."""

from __future__ import annotations

import io

import pytest

from netservice.linux import exceptions, firewall, nftables, process
from netservice.linux.links import Links
from netservice.linux.memory import DryRunBackend, MemoryBackend, World

CONFIG = nftables.NatConfig(public_interface="pub0", routing_source_ip="192.168.1.2")


class FakeNft(firewall.Nft):
    """A kernel map in a dict: refuses an add over a different value, as nft does."""

    def __init__(self) -> None:
        super().__init__(process.DryRunRunner(out=io.StringIO()))
        self.batches: list[str] = []
        self.maps: dict[str, dict[str, str]] = {"fip_dnat": {}, "fip_snat": {}}

    def apply(self, batch: str) -> None:
        maps = {name: dict(m) for name, m in self.maps.items()}
        for line in batch.splitlines():
            words = line.split()
            if words[:2] in (["add", "element"], ["delete", "element"]) and words[4] in maps:
                key, value = words[6], words[8]
                current = maps[words[4]].get(key)
                if words[0] == "add":
                    if current not in (None, value):
                        raise exceptions.NftBatchFailed(stderr="File exists")
                    maps[words[4]][key] = value
                elif current is None:
                    raise exceptions.NftBatchFailed(stderr="No such file or directory")
                else:
                    del maps[words[4]][key]
        self.maps = maps
        self.batches.append(batch)

    def get_element(self, family, table, set_name, key):
        return self.maps[set_name].get(key)


@pytest.fixture
def fake():
    backend = MemoryBackend("", World())
    backend.add_link("pub0", "veth")
    nft = FakeNft()
    runner = process.DryRunRunner(out=io.StringIO())
    return firewall.Firewall(nft, runner, Links(backend), CONFIG, send_arp_count=3)


def test_bind_applies_base_once_then_only_elements(fake):
    fake.bind_floating_ip("192.168.1.50", "10.0.0.5")
    fake.bind_floating_ip("192.168.1.51", "10.0.0.6")
    assert fake.nft.batches[0] == nftables.base_batch(CONFIG)
    assert fake.nft.batches[1:] == [
        nftables.bind_batch(CONFIG, "192.168.1.50", "10.0.0.5"),
        nftables.bind_batch(CONFIG, "192.168.1.51", "10.0.0.6"),
    ]
    assert fake.links.backend.world.local_routes[("", "pub0")] == {"192.168.1.50", "192.168.1.51"}
    assert fake.links.backend.addresses("pub0") == []  # no /32 addresses any more
    assert "arping -q -U -c 3 -i pub0 -S 192.168.1.50 192.168.1.50 &" in fake.runner.out.getvalue()


def test_rebinding_replaces_the_old_elements(fake):
    fake.bind_floating_ip("192.168.1.50", "10.0.0.5")
    fake.bind_floating_ip("192.168.1.50", "10.0.0.9")
    assert fake.nft.maps == {
        "fip_dnat": {"192.168.1.50": "10.0.0.9"},
        "fip_snat": {"10.0.0.5": "192.168.1.50", "10.0.0.9": "192.168.1.50"},
    }
    fake.unbind_floating_ip("192.168.1.50", "10.0.0.5")
    assert fake.nft.maps["fip_dnat"] == {"192.168.1.50": "10.0.0.9"}


def test_unbind_is_idempotent_and_flushes_conntrack(fake):
    fake.bind_floating_ip("192.168.1.50", "10.0.0.5")
    fake.unbind_floating_ip("192.168.1.50", "10.0.0.5")
    fake.unbind_floating_ip("192.168.1.50", "10.0.0.5")
    assert fake.nft.maps == {"fip_dnat": {}, "fip_snat": {}}
    assert not fake.links.backend.world.local_routes.get(("", "pub0"))
    assert "conntrack -D --reply-src 10.0.0.5" in fake.runner.out.getvalue()


def test_missing_public_interface_binds_nothing(fake):
    fake.links.backend.del_link("pub0")
    with pytest.raises(exceptions.LinkNotFound, match="pub0"):
        fake.bind_floating_ip("192.168.1.50", "10.0.0.5")
    assert fake.nft.batches == []


def test_dry_run_bind_prints_the_exact_batch():
    out = io.StringIO()
    runner = process.DryRunRunner("sandbox", out=out)
    backend = DryRunBackend("sandbox", World(), out=out)
    backend.add_link("pub0", "veth")
    out.seek(0)
    out.truncate()
    fw = firewall.Firewall(firewall.DryRunNft(runner, out=out), runner, Links(backend), CONFIG)
    fw.ensure_base()
    out.seek(0)
    out.truncate()
    fw.bind_floating_ip("192.168.1.50", "10.0.0.5")
    assert out.getvalue() == (
        "nft[sandbox] -f - <<EOF\n"
        "add element ip netservice fip_dnat { 192.168.1.50 : 10.0.0.5 }\n"
        "add element ip netservice fip_snat { 10.0.0.5 : 192.168.1.50 }\n"
        "EOF\n"
        "netlink[sandbox]: route add local 192.168.1.50/32 dev=pub0 table=local\n"
        "exec: ip netns exec sandbox arping -q -U -c 3 -i pub0 -S 192.168.1.50 192.168.1.50 &\n"
    )
