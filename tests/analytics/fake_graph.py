"""A small stand-in for Meta's Graph API insights endpoints on 127.0.0.1, port 0.

It answers like the documented API: GET /{id}/insights?metric=NAME&period=day&since&until
returns {"data": [{"name", "period", "values": [{"value", "end_time"}], "title", "id"}]}
(or "total_value" with metric_type=total_value); a metric name that Meta retired gives
HTTP 400 {"error": {"message": "(#100) ...", "type": "OAuthException", "code": 100}}."""

import json
import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class FakeGraph:
    def __init__(self, token: str = "token-de-prueba") -> None:  # noqa: S107 - fake
        self.token = token
        self.values: dict[tuple[str, str], int] = {}  # (object id, metric) -> value
        self.fields: dict[str, dict] = {}  # object id -> fields
        self.retired: set[str] = set()
        self.requests: list[dict] = []
        # Answers to give first, in order, whatever is asked: (status, body, headers).
        self.failures: list[tuple[int, dict, dict]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/v23.0"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeGraph":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, query: dict) -> tuple[int, dict]:
        parts = path.strip("/").split("/")
        if query.get("access_token") != self.token:
            return 400, _error("Invalid OAuth access token - Cannot parse access token", 190)
        if len(parts) == 3 and parts[2] == "insights":
            return self._insights(parts[1], query)
        if len(parts) == 2 and parts[1] in self.fields:
            return 200, {"id": parts[1], **self.fields[parts[1]]}
        return 400, _error("(#803) Some of the aliases you requested do not exist", 803)

    def _insights(self, object_id: str, query: dict) -> tuple[int, dict]:
        metric = query.get("metric", "")
        if "," in metric:
            return 400, _error("(#100) request one metric at a time in this fake", 100)
        if metric in self.retired:
            return 400, _error(f"(#100) The value must be a valid insights metric: {metric}", 100)
        value = self.values.get((object_id, metric), 0)
        item = {
            "name": metric,
            "period": query.get("period", "lifetime"),
            "title": metric,
            "description": f"Descripción de {metric}",
            "id": f"{object_id}/insights/{metric}/{query.get('period', 'lifetime')}",
        }
        if query.get("metric_type") == "total_value":
            item["total_value"] = {"value": value}
        else:
            until = int(query.get("until", 0)) or int(datetime.now(UTC).timestamp())
            end = datetime.fromtimestamp(until, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
            item["values"] = [{"value": value, "end_time": end}]
        return 200, {"data": [item], "paging": {"previous": "", "next": ""}}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                parsed = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
                fake.requests.append({"path": parsed.path, **query})
                headers = {}
                if fake.failures:
                    status, body, headers = fake.failures.pop(0)
                else:
                    status, body = fake.answer(parsed.path, query)
                raw = json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args) -> None:
                pass

        return Handler


def _error(message: str, code: int) -> dict:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "fbtrace_id": "AbCdEfGh123",
        }
    }
