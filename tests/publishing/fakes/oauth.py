"""Fake authorisation servers that follow each network's documented flow: a consent
page (a real HTML form a browser can click), a one-use code bound to the redirect URI
and the PKCE challenge, the token exchange, and what comes after (Meta's long-lived
token and Page list, X's rotating refresh tokens, WordPress application passwords).
What every network's authorisation server does alike (consent, one-use codes, PKCE,
single-use refresh tokens) is in authorization.py, shared with the newer fakes.

    graph = MetaLoginFake(app_id="app-1", app_secret="s3cret").start()
    graph.add_login_user("u-1", [("111", "Gobierno", "page-tok", "178", "chapultepec.gob")])
    graph.declined_scopes = {"read_insights"}      # the person unticks it on the consent page
    x = XLoginFake(client_id="x-client").start(); x.login_as("42", "gobchapultepec")
    wp = WordPressLoginFake().start(); wp.login_as("comunicacion")
"""

import base64
import secrets

from tests.publishing.fakes.authorization import (
    HTML,
    AuthorizationServer,
    consent_page,
    oauth_error,
    redirect,
)
from tests.publishing.fakes.graph import GraphFake, graph_error
from tests.publishing.fakes.server import Answer, Recorded
from tests.publishing.fakes.wordpress import WordPressFake, wp_error
from tests.publishing.fakes.x import XFake


class MetaLoginFake(AuthorizationServer, GraphFake):
    """Facebook Login (dialog + Graph token endpoints) on top of the Graph fake, so
    the Page tokens it hands out publish through the same server."""

    denied_reason = {"error_reason": "user_denied"}

    def __init__(self, app_id: str, app_secret: str, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.app_id, self.app_secret = app_id, app_secret
        self.login_user = ""
        self.user_pages: dict[str, list[dict]] = {}
        self.user_tokens: dict[str, dict] = {}  # token -> {"user", "long", "scopes"}
        self.token_expiry = 0  # debug_token's expires_at (0: never)

    def add_login_user(self, user_id: str, pages: list[tuple]) -> None:
        self.login_user = user_id
        self.user_pages[user_id] = []
        for page_id, name, token, ig_id, ig_username in pages:
            self.add_page(page_id, name, token)
            entry = {"id": page_id, "name": name, "access_token": token}
            if ig_id:
                self.add_instagram(ig_id, ig_username, token=f"ig-{token}")
                self.tokens[token] = page_id  # the Page token also publishes to Instagram
                entry["instagram_business_account"] = {"id": ig_id, "username": ig_username}
            self.user_pages[user_id].append(entry)

    def route(self, request: Recorded) -> Answer:
        params = {**request.query, **request.form}
        if request.path == "/dialog/oauth" and request.method == "GET":
            return self._dialog(params)
        if request.path == "/dialog/oauth/consent" and request.method == "POST":
            return self.consent_answer(request, user=self.login_user)
        if request.path == "/oauth/access_token":
            return self._access_token(params)
        if request.path in ("/me/accounts", "/me/permissions", "/debug_token"):
            return self._user_edge(request.path, params)
        if params.get("access_token", "").startswith("ig-"):
            params["access_token"] = params["access_token"][3:]
        return super().route(request)

    def _dialog(self, params: dict) -> Answer:
        if params.get("client_id") != self.app_id or not params.get("redirect_uri"):
            return Answer(400, "Invalid app ID or redirect URI", HTML)
        if params.get("code_challenge_method") != "S256" or not params.get("state"):
            return Answer(400, "state and an S256 code_challenge are required", HTML)
        return self.consent_screen(params, f"{self.url}/dialog/oauth/consent", ",")

    def _access_token(self, params: dict) -> Answer:
        if params.get("client_id") != self.app_id or params.get("client_secret") != self.app_secret:
            return graph_error(400, 1, "Invalid Client ID or secret")
        if params.get("grant_type") == "fb_exchange_token":
            short = self.user_tokens.get(params.get("fb_exchange_token", ""))
            if short is None or short["long"]:
                return graph_error(400, 190, "Invalid OAuth access token.")
            return self._issue({**short, "long": True}, 5_184_000)
        grant = self.take_code(params)
        if grant is None:
            return graph_error(400, 100, "Invalid verification code format.", subcode=36007)
        if not self.verifier_matches(grant, params):
            return graph_error(400, 100, "Invalid code verifier.")
        scopes = set(grant["scopes"])
        return self._issue({"user": grant["user"], "long": False, "scopes": scopes}, 3600)

    def _issue(self, grant: dict, seconds: int) -> Answer:
        token = f"user-{secrets.token_hex(8)}"
        self.user_tokens[token] = grant
        return Answer(200, {"access_token": token, "token_type": "bearer", "expires_in": seconds})

    def _user_edge(self, path: str, params: dict) -> Answer:
        grant = self.user_tokens.get(params.get("access_token", ""))
        if path == "/debug_token":
            grant = self.user_tokens.get(params.get("input_token", ""))
            valid = grant is not None
            return Answer(
                200,
                {
                    "data": {
                        "is_valid": valid,
                        "app_id": self.app_id,
                        "scopes": sorted(grant["scopes"]) if grant else [],
                        "expires_at": self.token_expiry if grant else 0,
                    }
                },
            )
        if grant is None:
            return graph_error(400, 190, "Error validating access token.", subcode=463)
        if path == "/me/permissions":
            asked = self.declined_scopes  # what the consent page offered and was unticked
            data = [
                {"permission": s, "status": "granted" if s in grant["scopes"] else "declined"}
                for s in sorted(asked | grant["scopes"])
            ]
            return Answer(200, {"data": data})
        return self._accounts(grant["user"], params)

    def _accounts(self, user: str, params: dict) -> Answer:
        pages = self.user_pages.get(user, [])
        limit = min(int(params.get("limit", 25)), 100)
        after = params.get("after", "")
        start = next((i + 1 for i, p in enumerate(pages) if p["id"] == after), 0) if after else 0
        chunk = pages[start : start + limit]
        body: dict = {"data": chunk}
        if chunk:
            body["paging"] = {"cursors": {"before": chunk[0]["id"], "after": chunk[-1]["id"]}}
            if start + limit < len(pages):
                body["paging"]["next"] = f"{self.url}/me/accounts?after={chunk[-1]['id']}"
        return Answer(200, body)


class XLoginFake(XFake):
    """X's OAuth 2.0 authorisation screen and the authorization_code grant (PKCE)."""

    def __init__(self, client_id: str, client_secret: str = "", latency: float = 0.0) -> None:
        super().__init__(latency)
        self.client_id, self.client_secret = client_id, client_secret
        self.login_user: tuple[str, str] = ("", "")

    def login_as(self, user_id: str, username: str) -> None:
        self.login_user = (user_id, username)
        self.users[user_id] = {"id": user_id, "name": username, "username": username}

    def route(self, request: Recorded) -> Answer:
        if request.path == "/i/oauth2/authorize" and request.method == "GET":
            return self._authorize(request.query)
        if request.path == "/i/oauth2/authorize" and request.method == "POST":
            return self.consent_answer(request)
        return super().route(request)

    def _authorize(self, q: dict) -> Answer:
        if q.get("client_id") != self.client_id or q.get("response_type") != "code":
            return Answer(400, "Something went wrong: invalid client.", HTML)
        if q.get("code_challenge_method") != "S256" or not q.get("state"):
            return Answer(400, "PKCE (S256) and state are required.", HTML)
        return self.consent_screen(q, f"{self.url}/i/oauth2/authorize", " ")

    def _token(self, request: Recorded) -> Answer:
        form = request.form
        if not self._client_ok(request):
            return oauth_error(401, "unauthorized_client", "Missing valid authorization header")
        if form.get("grant_type") != "authorization_code":
            return super()._token(request)
        grant = self.take_code(form)
        if grant is None:
            return oauth_error(
                400, "invalid_request", "Value passed for the authorization code was invalid."
            )
        if not self.verifier_matches(grant, form):
            return oauth_error(400, "invalid_grant", "code_verifier does not match")
        return self.token_answer(self.login_user[0], " ".join(grant["scopes"]))

    def _client_ok(self, request: Recorded) -> bool:
        if not self.client_secret:
            return request.form.get("client_id") == self.client_id or "authorization" in (
                request.headers
            )
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        return request.headers.get("authorization", "") == f"Basic {expected}"


class WordPressLoginFake(WordPressFake):
    """The Application Passwords authorisation screen (WordPress 5.6+)."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.login = ""

    def login_as(self, username: str) -> None:
        self.login = username

    def route(self, request: Recorded) -> Answer:
        if request.path != "/wp-admin/authorize-application.php":
            return super().route(request)
        if request.method == "GET":
            q = request.query
            if not q.get("app_name") or not q.get("success_url"):
                return wp_error(400, "invalid_request", "app_name and success_url are required")
            hidden = {
                k: q[k] for k in ("app_name", "app_id", "success_url", "reject_url") if k in q
            }
            return consent_page(f"{self.url}/wp-admin/authorize-application.php", hidden, [], set())
        one = dict(request.form)
        if one.get("accion") != "permitir":
            return redirect(one.get("reject_url") or one["success_url"], {"success": "false"})
        password = " ".join(secrets.token_hex(2) for _ in range(6))
        self.add_user(self.login, password)
        return redirect(
            one["success_url"],
            {"site_url": self.url, "user_login": self.login, "password": password},
        )
