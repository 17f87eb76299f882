"""The firewall driver's decisions, with a fake nft and the dry-run twins."""

from __future__ import annotations

import io

import pytest

from netservice.linux import exceptions, firewall, nftables, process
from netservice.linux.links import Links
from netservice.linux.memory import DryRunBackend, MemoryBackend, World

CONFIG = nftables.NatConfig(public_interface="pub0", routing_source_ip="192.168.1.2")


class FakeNft(firewall.Nft):
    """Kernel maps and sets in dicts: refuses an add over a different value, as nft does."""

    def __init__(self) -> None:
        super().__init__(process.DryRunRunner(out=io.StringIO()))
        self.batches: list[str] = []
        self.maps: dict[str, dict[str, str]] = {"fip_dnat": {}, "fip_snat": {}}
        self.vpn: dict[str, str] = {}
        self.sets: dict[str, set[str]] = {"vpn_servers": set(), "isolated_bridges": set()}

    def apply(self, batch: str) -> None:
        maps = {name: dict(m) for name, m in self.maps.items()}
        maps["vpn_dnat"] = dict(self.vpn)
        sets = {name: set(m) for name, m in self.sets.items()}
        for line in batch.splitlines():
            words = line.split()
            if words[:2] not in (["add", "element"], ["delete", "element"]):
                continue
            name, body = words[4], line.split("{", 1)[1].rsplit("}", 1)[0].strip()
            if name in sets:
                members = sets[name]
                if words[0] == "add":
                    members.add(body)
                elif body not in members:
                    raise exceptions.NftBatchFailed(stderr="No such file or directory")
                else:
                    members.discard(body)
                continue
            if name not in maps:
                continue
            key, value = (part.strip() for part in body.split(" : "))
            current = maps[name].get(key)
            if words[0] == "add":
                if current not in (None, value):
                    raise exceptions.NftBatchFailed(stderr="File exists")
                maps[name][key] = value
            elif current is None:
                raise exceptions.NftBatchFailed(stderr="No such file or directory")
            else:
                del maps[name][key]
        self.vpn = maps.pop("vpn_dnat")
        self.maps, self.sets = maps, sets
        self.batches.append(batch)

    def get_element(self, family, table, set_name, key):
        return self.maps[set_name].get(key)

    def list_json(self, *what):
        if what[-1] == "vpn_dnat":
            elems = []
            for key, value in self.vpn.items():
                public, _, port = key.split()
                private, _, target = value.split()
                elems.append([{"concat": [public, int(port)]}, {"concat": [private, int(target)]}])
            return [{"map": {"name": "vpn_dnat", "elem": elems}}]
        if what[-1] == "isolated_bridges":
            names = [name.strip('"') for name in self.sets["isolated_bridges"]]
            return [{"set": {"name": "isolated_bridges", "elem": names}}]
        return []


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


# --- VPN and isolated bridges ---------------------------------------------------------------


def test_vpn_is_two_elements_idempotent_and_listable(fake):
    fake.ensure_vpn("192.168.1.2", 1000, "10.0.0.2")
    fake.ensure_vpn("192.168.1.2", 1000, "10.0.0.2")
    assert (
        fake.nft.batches[1:] == [nftables.vpn_batch(CONFIG, "192.168.1.2", 1000, "10.0.0.2")] * 2
    )
    assert fake.vpn_forwards() == {("192.168.1.2", 1000): "10.0.0.2"}
    assert fake.nft.sets["vpn_servers"] == {"10.0.0.2"}


def test_vpn_moved_to_another_address_replaces_the_forward(fake):
    fake.ensure_vpn("192.168.1.2", 1000, "10.0.0.2")
    fake.ensure_vpn("192.168.1.2", 1000, "10.0.0.66")
    assert fake.vpn_forwards() == {("192.168.1.2", 1000): "10.0.0.66"}
    assert fake.nft.sets["vpn_servers"] == {"10.0.0.66"}


def test_remove_vpn_leaves_no_trace_and_is_idempotent(fake):
    fake.ensure_vpn("192.168.1.2", 1000, "10.0.0.2")
    fake.remove_vpn("192.168.1.2", 1000)
    fake.remove_vpn("192.168.1.2", 1000)
    assert fake.vpn_forwards() == {} and fake.nft.sets["vpn_servers"] == set()


def test_remove_vpn_keeps_a_server_another_forward_still_needs(fake):
    fake.ensure_vpn("192.168.1.2", 1000, "10.0.0.2")
    fake.ensure_vpn("192.168.1.2", 1001, "10.0.0.2")
    fake.remove_vpn("192.168.1.2", 1000)
    assert fake.vpn_forwards() == {("192.168.1.2", 1001): "10.0.0.2"}
    assert fake.nft.sets["vpn_servers"] == {"10.0.0.2"}


def test_isolated_bridges(fake):
    fake.isolate_bridge("br100")
    fake.isolate_bridge("br100")
    fake.isolate_bridge("br101")
    assert fake.isolated_bridges() == {"br100", "br101"}
    fake.unisolate_bridge("br100")
    fake.unisolate_bridge("br100")
    assert fake.isolated_bridges() == {"br101"}


def test_dry_run_reads_see_no_vpn_and_no_bridge():
    out = io.StringIO()
    runner = process.DryRunRunner("sandbox", out=out)
    fw = firewall.Firewall(
        firewall.DryRunNft(runner, out=out), runner, Links(DryRunBackend("sandbox", World())),
        CONFIG,
    )  # fmt: skip
    fw.ensure_vpn("192.168.1.2", 1000, "10.0.0.2")
    assert "vpn_dnat { 192.168.1.2 . 1000 : 10.0.0.2 . 1194 }" in out.getvalue()
    assert fw.vpn_forwards() == {} and fw.isolated_bridges() == set()


class JsonRunner(process.Runner):
    """Answers every nft command with ``answer``, recording the command lines."""

    def __init__(self, answer: str, returncode: int = 0) -> None:
        super().__init__("")
        self.answer, self.returncode = answer, returncode
        self.argvs: list[list[str]] = []

    def run(self, argv, *, stdin=None, ok_codes=(0,), env=None, timeout=60):
        self.argvs.append(list(argv))
        return process.Result(self.returncode, self.answer, "")


MAP_JSON = (
    '{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}, '
    '{"map": {"family": "ip", "name": "fip_dnat", "table": "nova", "type": "ipv4_addr", '
    '"map": "ipv4_addr", "elem": [["1.2.3.4", "10.0.0.2"], ["1.2.3.5", "10.0.0.3"]]}}]}'
)


def test_get_element_reads_the_map_as_json():
    runner = JsonRunner(MAP_JSON)
    nft = firewall.Nft(runner)
    assert nft.get_element("ip", "nova", "fip_dnat", "1.2.3.5") == "10.0.0.3"
    assert nft.get_element("ip", "nova", "fip_dnat", "1.2.3.9") is None
    assert runner.argvs[0] == ["nft", "-j", "list", "map", "ip", "nova", "fip_dnat"]


def test_get_element_of_a_missing_map_is_none():
    runner = JsonRunner("", returncode=1)
    assert firewall.Nft(runner).get_element("ip", "nova", "fip_dnat", "1.2.3.4") is None


def test_the_driver_reads_nft_only_as_json():
    # Every nft command line in the driver either applies a batch (-f -) or reads JSON (-j).
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(firewall))
    commands = [
        [elt.value for elt in node.elts if isinstance(elt, ast.Constant)]
        for node in ast.walk(tree)
        if isinstance(node, ast.List)
        and node.elts
        and isinstance(node.elts[0], ast.Constant)
        and node.elts[0].value == "nft"
    ]
    assert commands, "found no nft command line"
    for argv in commands:
        assert argv[1:3] == ["-f", "-"] or argv[1] == "-j", argv
