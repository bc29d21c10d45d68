"""Fake networks for tests and benchmarks: real HTTP servers on 127.0.0.1, port 0.

    from tests.publishing.fakes import GraphFake, WordPressFake, XFake

    with GraphFake(latency=0.05) as graph:   # start() / stop() also work
        graph.add_page("111", "Gobierno de Chapultepec", token="page-token")
        AccountConfig("facebook_page", "111", graph.url, {"access_token": "page-token"})

Each fake speaks its network's documented contract (paths, error bodies, status codes,
rate-limit headers), records every request in `.requests`, and can be told to fail:
`fail(status, body, headers, times=, method=, path=)` answers without doing anything,
`slow(seconds, ...)` does the work and answers late (a client timeout then cannot know
whether it published), `latency` delays every answer. See each module for the
network-specific knobs (expired tokens, rate limits, duplicates, processing states).
"""

from tests.publishing.fakes.graph import GraphFake
from tests.publishing.fakes.server import Answer, FakeServer, Recorded
from tests.publishing.fakes.wordpress import WordPressFake
from tests.publishing.fakes.x import XFake

__all__ = ["Answer", "FakeServer", "GraphFake", "Recorded", "WordPressFake", "XFake"]
