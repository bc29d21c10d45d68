"""The client's address behind reverse proxies: the rightmost address not written
by one of our proxies (anything to its left the client may have forged)."""

from django.test import RequestFactory

from pregon.core.clientip import client_address, parse_trusted_proxies

rf = RequestFactory()


def request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return rf.get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.PREGON_TRUSTED_PROXIES = 0
    assert client_address(request("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_one_proxy_takes_the_address_it_appended(settings):
    settings.PREGON_TRUSTED_PROXIES = 1
    forged = request("10.0.0.2", "6.6.6.6, 203.0.113.5")
    assert client_address(forged) == "203.0.113.5"
    assert client_address(request("10.0.0.2", "203.0.113.5")) == "203.0.113.5"


def test_two_proxies(settings):
    settings.PREGON_TRUSTED_PROXIES = 2
    assert client_address(request("10.0.0.2", "6.6.6.6, 203.0.113.5, 10.0.0.9")) == "203.0.113.5"


def test_a_request_that_skipped_the_proxy_gets_what_we_know(settings):
    settings.PREGON_TRUSTED_PROXIES = 1
    assert client_address(request("203.0.113.5")) == "203.0.113.5"


def test_networks_skip_every_trusted_hop(settings):
    settings.PREGON_TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.0/8, 192.168.1.1")
    chain = "6.6.6.6, 203.0.113.5, 192.168.1.1, 10.1.2.3"
    assert client_address(request("10.0.0.2", chain)) == "203.0.113.5"
    # Not from a trusted proxy: its header is the client's own word.
    assert client_address(request("198.51.100.1", "6.6.6.6")) == "198.51.100.1"


def test_parse_trusted_proxies():
    assert parse_trusted_proxies("") == 0
    assert parse_trusted_proxies(" 2 ") == 2
    assert [str(n) for n in parse_trusted_proxies("10.0.0.0/8,::1")] == ["10.0.0.0/8", "::1/128"]
