"""JSON and XML bodies, and the XML attacks defusedxml stops."""

from __future__ import annotations

import pytest
from defusedxml import ElementTree as SafeElementTree

from netservice.core import exceptions
from netservice.core.wsgi import serializers

SCHEMA = {
    "type": "object",
    "properties": {
        "network": {
            "type": "object",
            "properties": {
                "label": {"type": "string"},
                "num_networks": {"type": "integer"},
                "multi_host": {"type": "boolean"},
                "gateway": {"type": ["string", "null"]},
                "dns": {"type": "array", "items": {"type": "string"}},
            },
        }
    },
}

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<network><label>&lol9;</label></network>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<network><label>&xxe;</label></network>"""


def test_xml_round_trips_to_the_json_shape():
    body = {
        "network": {
            "label": "net",
            "num_networks": 3,
            "multi_host": True,
            "gateway": None,
            "dns": ["8.8.4.4", "8.8.8.8"],
        }
    }
    assert serializers.from_xml(serializers.to_xml(body), SCHEMA) == body


def test_xml_attributes_are_fields_too():
    parsed = serializers.from_xml(b'<network label="a" num_networks="2"/>', SCHEMA)
    assert parsed == {"network": {"label": "a", "num_networks": 2}}


def test_xml_text_that_is_not_an_integer_stays_a_string():
    parsed = serializers.from_xml(b"<network><num_networks>two</num_networks></network>", SCHEMA)
    assert parsed["network"]["num_networks"] == "two"


def test_list_items_are_singular_and_faults_have_the_code():
    xml = serializers.to_xml({"networks": [{"id": 1}, {"id": 2}]}).decode()
    assert xml.count("<network>") == 2
    fault = serializers.to_xml({"itemNotFound": {"code": 404, "message": "gone"}}).decode()
    assert (
        "<itemNotFound" in fault
        and "<code>404</code>" in fault
        and "<message>gone</message>" in fault
    )


@pytest.mark.parametrize("attack", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_dtds_and_entities_are_refused(attack):
    with pytest.raises(exceptions.MalformedBody, match="DTD or entities"):
        serializers.from_xml(attack, SCHEMA)


@pytest.mark.parametrize("data", [b"<network>", b"not xml at all"])
def test_malformed_xml(data):
    with pytest.raises(exceptions.MalformedBody, match="not well-formed XML"):
        serializers.from_xml(data, SCHEMA)


@pytest.mark.parametrize(
    ("data", "reason"), [(b"{", "not valid JSON"), (b"[1, 2]", "must be an object")]
)
def test_malformed_json(data, reason):
    with pytest.raises(exceptions.MalformedBody, match=reason):
        serializers.from_json(data)


@pytest.mark.parametrize(
    ("plural", "single"),
    [
        ("networks", "network"),
        ("addresses", "address"),
        ("floating_ip_pools", "floating_ip_pool"),
        ("dns", "server"),
        ("policies", "policy"),
    ],
)
def test_singular(plural, single):
    assert serializers.singular(plural) == single


def test_xml_output_is_well_formed_whatever_the_text_and_keys():
    body = {"network": {"label": "a\x01b\x00c\ud800", "map": {"not a name": 1, "xmlns": 2}}}
    root = SafeElementTree.fromstring(serializers.to_xml(body))
    assert root.find("{*}label").text == "a\ufffdb\ufffdc\ufffd"
    keys = [item.get("key") for item in root.find("{*}map")]
    assert keys == ["not a name", "xmlns"]


def test_json_output_refuses_nan():
    with pytest.raises(ValueError):
        serializers.to_json({"x": float("nan")})
