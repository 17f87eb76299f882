"""scripts/stop-leftovers.py: what `make clean` runs before it deletes the state directory."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "stop-leftovers.py"
SLEEPER = "import time; time.sleep(120)"


def _spawn(argv0: str, *args: str, cwd: pathlib.Path) -> subprocess.Popen[bytes]:
    # exec -a sets argv[0], as a console script or dnsmasq shows in /proc.
    return subprocess.Popen(
        ["bash", "-c", 'exec -a "$0" "$@"', argv0, sys.executable, "-c", SLEEPER, *args],
        cwd=cwd,
    )


def _wait_for(proc: subprocess.Popen[bytes], argv0: str) -> None:
    deadline = time.monotonic() + 10
    while not pathlib.Path(f"/proc/{proc.pid}/cmdline").read_bytes().startswith(argv0.encode()):
        assert time.monotonic() < deadline, "the stand-in process did not start"
        time.sleep(0.02)


def test_it_stops_a_server_started_here_and_dnsmasq_on_its_state(tmp_path):
    checkout = tmp_path / "checkout"
    state = checkout / "state"
    (state / "dhcp" / "flat_dhcp-1").mkdir(parents=True)
    api = _spawn("netservice-api", "--config-file", "etc/netservice-dev.conf", cwd=checkout)
    dnsmasq = _spawn("dnsmasq", f"--pid-file={state}/dhcp/flat_dhcp-1/pid", cwd=tmp_path)
    other = _spawn("dnsmasq", f"--pid-file={tmp_path}/elsewhere/pid", cwd=tmp_path)
    try:
        for proc, name in ((api, "netservice-api"), (dnsmasq, "dnsmasq"), (other, "dnsmasq")):
            _wait_for(proc, name)
        done = subprocess.run(
            [sys.executable, str(SCRIPT), str(checkout), str(state)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert api.wait(timeout=10) is not None
        assert dnsmasq.wait(timeout=10) is not None
        assert other.poll() is None, "a dnsmasq of another state directory was stopped"
        assert f"stopping {api.pid}" in done.stdout and f"stopping {dnsmasq.pid}" in done.stdout
    finally:
        for proc in (api, dnsmasq, other):
            proc.kill()
            proc.wait()


def test_it_exits_0_when_nothing_runs(tmp_path):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path), str(tmp_path / "state")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
