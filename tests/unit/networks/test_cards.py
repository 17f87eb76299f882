"""``netservice.networks.cards``' MAC drawing, shared with plugins that keep their own cards."""

from __future__ import annotations

import pytest

from netservice.networks import cards


def test_unique_mac_draws_until_one_is_free(monkeypatch):
    macs = iter(["fa:16:3e:00:00:01", "fa:16:3e:00:00:02"])
    monkeypatch.setattr(cards, "random_mac", lambda: next(macs))
    assert cards.unique_mac(lambda mac: mac.endswith("01")) == "fa:16:3e:00:00:02"


def test_unique_mac_gives_up_after_mac_attempts():
    with pytest.raises(cards.MacAddressExhausted, match=f"{cards.MAC_ATTEMPTS} attempts"):
        cards.unique_mac(lambda mac: True)
