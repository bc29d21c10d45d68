"""The common part of every fake network: a real HTTP server on 127.0.0.1, port 0.

    with GraphFake() as graph:          # or: graph = GraphFake().start(); ...; graph.stop()
        graph.url                       # base URL to give the connector
        graph.fail(500, times=1)        # the next request gets a 500 and changes nothing
        graph.slow(2.0, path="/feed")   # the next /feed call is done, answered 2 s late
        graph.swallow(path="/feed")     # the next /feed call is done, never answered
        graph.latency = 0.05            # every answer waits 50 ms (benchmarks)
        graph.requests                  # every request received, in order (Recorded)

Faults are consumed in the order they were added, by the first request they match
(method and a substring of the path). Subclasses implement `route(request)`.
"""

import email.parser
import email.policy
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    headers: dict
    body: bytes
    form: dict = field(default_factory=dict)  # urlencoded or multipart text fields
    files: dict = field(default_factory=dict)  # multipart files: name -> (filename, bytes)

    @property
    def json(self) -> dict:
        return json.loads(self.body or b"{}")


@dataclass
class Answer:
    status: int
    body: object = None  # dict/list -> JSON; bytes/str as is
    headers: dict = field(default_factory=dict)


@dataclass
class Fault:
    answer: Answer | None  # None: handle normally (with a delay)
    delay: float = 0.0
    times: int = 1
    method: str | None = None
    path: str | None = None
    drop: bool = False  # carried out, then the connection is closed without an answer

    def matches(self, request: Recorded) -> bool:
        return (self.method is None or self.method == request.method) and (
            self.path is None or self.path in request.path
        )


def page(items: list, limit: int, after: str, key: str = "id") -> tuple[list, str]:
    """One page of a newest-first list after the item whose `key` is `after`, and the
    cursor of the next page ("" on the last one)."""
    start = 0
    if after:
        ids = [str(item[key]) for item in items]
        start = ids.index(after) + 1 if after in ids else len(items)
    chunk = items[start : start + limit]
    more = start + limit < len(items)
    return chunk, str(chunk[-1][key]) if more and chunk else ""


def complete_jpeg(data: bytes) -> bool:
    """What an image decoder needs: the start-of-image marker and the end-of-image one."""
    return data[:3] == b"\xff\xd8\xff" and data.rstrip(b"\0\r\n")[-2:] == b"\xff\xd9"


def parse_body(content_type: str, body: bytes) -> tuple[dict, dict]:
    """Form fields and files of an urlencoded or multipart body."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(body.decode(), keep_blank_values=True)), {}
    if not content_type.startswith("multipart/form-data"):
        return {}, {}
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    form, files = {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_filename():
            files[name] = (part.get_filename(), payload)
        else:
            form[name] = payload.decode()
    return form, files


class _Handler(BaseHTTPRequestHandler):
    fake: "FakeServer"

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _handle(self) -> None:
        self.server.fake._dispatch(self)  # type: ignore[attr-defined]

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class FakeServer:
    """Start/stop a threaded HTTP server; record requests; inject faults."""

    prefix = ""  # a path prefix the fake strips (Graph's "/v23.0")

    def __init__(self, latency: float = 0.0) -> None:
        self.latency = latency
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._counter = 1000
        self.fetched: list[tuple[str, int, str]] = []  # (url, status, content type)

    def fetch(self, url: str) -> tuple[str, bytes] | None:
        """What the network downloads itself (media at Pregón's public address): its
        content type and bytes, or None when it could not; each try is in `fetched`."""
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                kind, body = response.headers.get("Content-Type", ""), response.read()
                self.fetched.append((url, response.status, kind))
                return kind, body
        except (urllib.error.URLError, TimeoutError) as exc:
            self.fetched.append((url, getattr(exc, "code", 0), ""))
            return None

    # Lifecycle ---------------------------------------------------------------
    def start(self) -> "FakeServer":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.prefix}"

    # Faults ----------------------------------------------------------------
    def fail(
        self,
        status: int,
        body: object = None,
        headers: dict | None = None,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        """The next matching request(s) get this answer and change nothing."""
        answer = Answer(status, body if body is not None else {"error": "fake"}, headers or {})
        with self.lock:
            self.faults.append(Fault(answer, times=times, method=method, path=path))

    def slow(
        self, seconds: float, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> None:
        """The next matching request(s) are carried out, but answered `seconds` late."""
        with self.lock:
            self.faults.append(Fault(None, delay=seconds, times=times, method=method, path=path))

    def swallow(
        self, *, times: int = 1, method: str | None = "POST", path: str | None = None
    ) -> None:
        """The next matching request(s) are carried out (the post exists) and the
        connection is closed without an answer: the client cannot know."""
        with self.lock:
            self.faults.append(Fault(None, times=times, method=method, path=path, drop=True))

    def window(self, seconds: float, answer: Answer | None = None) -> None:
        """For the next `seconds`, every request gets `answer` (changing nothing), or
        with answer=None is carried out and never answered (benchmarks' fault windows)."""
        with self.lock:
            self._window = (time.monotonic() + seconds, answer)

    def _window_fault(self) -> Fault | None:
        until, answer = getattr(self, "_window", (0.0, None))
        if time.monotonic() >= until:
            return None
        return Fault(answer, drop=answer is None)

    def _take_fault(self, request: Recorded) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.matches(request):
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                    return fault
        return None

    # Helpers for subclasses -------------------------------------------------
    def next_id(self) -> str:
        with self.lock:
            self._counter += 1
            return str(self._counter)

    def route(self, request: Recorded) -> Answer:
        raise NotImplementedError

    def requests_to(self, method: str, path_part: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and path_part in r.path]

    # Dispatch --------------------------------------------------------------
    def _read(self, handler: BaseHTTPRequestHandler) -> Recorded:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        split = urlsplit(handler.path)
        path = split.path
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :]
        form, files = parse_body(handler.headers.get("Content-Type", ""), body)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        return Recorded(handler.command, path, query, headers, body, form, files)

    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        request = self._read(handler)
        with self.lock:
            self.requests.append(request)
        fault = self._window_fault() or self._take_fault(request)
        if fault and fault.answer:
            answer = fault.answer
        else:
            with self.lock:
                answer = self.route(request)
        time.sleep(self.latency + (fault.delay if fault else 0.0))
        if fault and fault.drop:
            handler.close_connection = True
            return
        self._write(handler, answer)

    def _write(self, handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        body = answer.body
        content_type = "application/json; charset=UTF-8"
        if isinstance(body, dict | list):
            data = json.dumps(body).encode()
        else:
            data = body.encode() if isinstance(body, str) else (body or b"")
            content_type = "text/plain; charset=UTF-8"
        try:
            handler.send_response(answer.status)
            headers = {"Content-Type": content_type, **answer.headers}
            headers["Content-Length"] = str(len(data))
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test): the work is done anyway
