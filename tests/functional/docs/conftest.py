"""The walkthroughs run as root (the sandbox namespace, real bridges) and also
without root (the dry run), so this directory does not require root the way
the rest of the functional tier does; blocks marked ``root`` are skipped
without it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _root_and_ip() -> None:
    """Overrides the functional tier's root requirement for this directory."""
