"""``make typecheck``: mypy --strict on netservice, and on each plugin as an outside project.

Run with the virtualenv's python.  ``netservice`` is checked in the
repository, with its configuration.  Each plugin package is then checked
from an empty temporary directory, with no configuration, against the
installed packages: found where this python imports them from, which
mypy (PEP 561) reads as installed distributions, so a base class whose
distribution lacks ``py.typed`` would be an error, not ``Any``.  Exits 1
when any check fails.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
# The plugin packages of the repository's distributions (the test one too).
PLUGINS = sorted(
    p.name
    for p in [*ROOT.glob("plugins/*/netservice_*"), *ROOT.glob("tests/plugins/*/netservice_*")]
    if (p / "__init__.py").is_file()
)


def _mypy(*args: str, cwd: pathlib.Path, env: dict[str, str] | None = None) -> int:
    command = [sys.executable, "-m", "mypy", "--strict", *args]
    print(f"$ (cd {cwd}) {' '.join(command[2:])}", flush=True)
    return subprocess.run(command, cwd=cwd, env=env, check=False).returncode


def _installed_root(package: str) -> str:
    """The directory ``package`` is imported from (its parent), as installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise SystemExit(f"typecheck: {package} is not installed (make .venv/.installed)")
    return str(pathlib.Path(spec.origin).parent.parent)


def main() -> int:
    failed = []
    if _mypy("netservice", cwd=ROOT) != 0:
        failed.append("netservice")
    core_root = _installed_root("netservice")
    with tempfile.TemporaryDirectory(prefix="typecheck-") as outside:
        for package in PLUGINS:
            roots = dict.fromkeys([_installed_root(package), core_root])
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(roots)}
            cache = os.path.join(outside, ".mypy_cache")
            if _mypy("--cache-dir", cache, "-p", package, cwd=pathlib.Path(outside), env=env):
                failed.append(package)
    if failed:
        print(f"typecheck: mypy --strict fails on {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
