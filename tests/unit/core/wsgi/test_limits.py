"""Request limits: depth, strings, integers, checked without recursion."""

from __future__ import annotations

import pytest

from netservice.core import exceptions
from netservice.core.wsgi import limits


def _refused(func, *args):
    with pytest.raises(exceptions.InvalidInput) as caught:
        func(*args)
    return str(caught.value)


def test_json_depth_counts_brackets_outside_strings_only():
    limits.check_json_depth(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')
    limits.check_json_depth(b'{"a": "\\"[[[["}' + b"")
    deep = b"[" * (limits.MAX_DEPTH + 1) + b"]" * (limits.MAX_DEPTH + 1)
    assert "'body'" in _refused(limits.check_json_depth, deep)
    limits.check_json_depth(b"[" * limits.MAX_DEPTH + b"]" * limits.MAX_DEPTH)


def test_a_million_deep_costs_no_recursion():
    deep = b"[" * 1_000_000
    assert "deep" in _refused(limits.check_json_depth, deep)
    nested: list = []
    for _ in range(100_000):
        nested = [nested]
    assert "deep" in _refused(limits.check_body, {"a": nested})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"network": {"label": "a\x00b"}}, "'network.label'"),
        ({"network": {"tags": ["ok", "b\x1b"]}}, "'network.tags[1]'"),
        ({"network": {"label": "\ud800"}}, "'network.label'"),
        ({"network": {"a\x00": 1}}, "'network key'"),
        ({"network": {"n": 2**31}}, "'network.n'"),
        ({"network": {"n": -(2**31) - 1}}, "'network.n'"),
        ({"network": {"n": float("nan")}}, "'network.n'"),
        ({"network": {"label": "x" * (limits.MAX_STRING + 1)}}, "'network.label'"),
    ],
)
def test_body_values_break_a_rule_and_name_their_field(body, field):
    assert field in _refused(limits.check_body, body)


def test_a_body_within_the_limits_passes():
    limits.check_body(
        {"network": {"label": "ünïcode ok", "n": 2**31 - 1, "m": -(2**31), "on": True, "x": None}}
    )


def test_check_text_refuses_controls_and_length():
    assert limits.check_text("p1", "project_id") == "p1"
    assert "'id'" in _refused(limits.check_text, "a\x7fb", "id")
    assert "at most 255" in _refused(limits.check_text, "x" * 256, "id")
