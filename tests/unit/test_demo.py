"""The demo's instance kinds (demo/instances.py) and its command line, without root."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo import run
from demo.instances import Guests, StandIns, addresses, choose
from netservice.linux import exceptions
from netservice.linux.guestimage import GuestImage
from netservice.linux.guests import LibvirtGuests


def test_addresses_read_both_kinds_of_boot_output():
    standin = [
        "nsdemo-1-a2 eth0 fa:16:3e:00:00:01 on br170: 10.70.0.3/24 via 10.70.0.1 (dhcp)",
        "nsdemo-1-a2 eth1 fa:16:3e:00:00:02 on br171: 10.71.0.2/24 via - (dhcp)",
    ]
    guest = [
        "nsdemo-1-a2 eth0 fa:16:3e:00:00:01 on br170: inet=10.70.0.3/24, (dhcp)",
        "nsdemo-1-a2 eth1 fa:16:3e:00:00:02 on br171: inet=10.71.0.2/24, (dhcp)",
        "nsdemo-1-a2 console: nic eth0 mac=fa:16:3e:00:00:01 inet=10.70.0.3/24, inet6=",
        "nsdemo-1-a2 console: ready 8.50s",
    ]
    assert addresses(standin) == addresses(guest) == ["10.70.0.3", "10.71.0.2"]
    assert addresses(["c1 eth0 fa:16:3e:00:00:03 on br190: inet=, (dhcp)"]) == [""]


def test_choose_and_stand_ins_need_nothing_started():
    assert isinstance(choose(real=True), Guests) and isinstance(choose(real=False), StandIns)
    standins = StandIns()
    assert standins.start("host", "/nowhere", print) == {"hypervisor": "standin"}
    assert standins.console("nsdemo-1-a1") == []
    standins.close()
    Guests().close()  # nothing started: nothing to stop


def test_run_refuses_unknown_arguments(capsys):
    assert run.main(["--fake"]) == 2
    assert "usage: demo/run.py [--real]" in capsys.readouterr().err


def test_find_names_a_guests_files(tmp_path: Path):
    image = GuestImage(tmp_path / "vmlinuz", tmp_path / "initrd.gz")
    guest = LibvirtGuests("qemu:///x", tmp_path, image).find("nsdemo-1-a1")
    assert guest.console == tmp_path / "nsdemo-1-a1" / "console.log"
    assert guest.control == tmp_path / "nsdemo-1-a1" / "control.sock"


class FlakyShell(LibvirtGuests):
    """A control shell that loses the first ``lost`` commands."""

    def __init__(self, tmp_path: Path, lost: int) -> None:
        super().__init__("qemu:///x", tmp_path, GuestImage(tmp_path / "k", tmp_path / "i"))
        self.lost, self.sent = lost, []

    def shell(self, guest, command, timeout=20):
        self.sent.append((guest.name, command))
        if len(self.sent) <= self.lost:
            raise exceptions.CommandFailed(cmd=command, status="timeout", stderr="")
        return 0, "2 packets received"


def test_a_guest_ping_is_asked_again_when_unanswered(tmp_path):
    guests = Guests()
    guests.guests = FlakyShell(tmp_path, lost=1)
    assert guests.pings("nsdemo-1-a1", "10.70.0.3")
    assert guests.guests.sent == [("nsdemo-1-a1", "ping -c2 -W2 10.70.0.3")] * 2
    guests.guests = FlakyShell(tmp_path, lost=3)
    with pytest.raises(exceptions.CommandFailed):
        guests.pings("nsdemo-1-a1", "10.70.0.3")
