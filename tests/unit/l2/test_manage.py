"""netservice-l2-manage: network create, list and delete; errors exit 1, usage 2."""

from __future__ import annotations

import pytest
from netservice_l2 import manage


def test_the_manage_tool_creates_lists_and_deletes(config_path, capsys):
    argv = ["--config-file", config_path, "network"]
    assert manage.main([*argv, "create", "--label", "seg", "--bridge", "brseg"]) == 0
    network_id = capsys.readouterr().out.strip()
    assert manage.main([*argv, "list"]) == 0
    assert network_id in capsys.readouterr().out
    assert manage.main([*argv, "create", "--label", "again", "--bridge", "brseg"]) == 1
    assert "bridge brseg" in capsys.readouterr().err
    assert manage.main([*argv, "delete", "--uuid", network_id]) == 0
    assert manage.main([*argv, "delete", "--uuid", network_id]) == 1
    assert network_id in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:  # argparse's own exit for a subcommand
        manage.main([*argv, "create", "--label", "x", "--kind", "ring"])
    assert usage.value.code == 2
