"""A fake WordPress REST API (wp/v2 posts, media, users/me) with Application Passwords.

    wp = WordPressFake().start()
    wp.url                                     # the site root, "http://127.0.0.1:PORT"
    wp.add_user("comunicacion", "abcd EFGH 1234 ijkl MNOP 5678")
    wp.revoke("comunicacion")                  # 401 incorrect_password from now on
    wp.rate_limit(times=1, retry_after=30)     # 429 with Retry-After
    wp.add_posts(50)                           # 50 newer posts made by people
    wp.swallow(path="/posts")                  # post created, connection closed unanswered
    wp.posts / wp.media                        # what was created
    wp.stop()

Errors follow WordPress's shape {"code", "message", "data": {"status"}}.
"""

import base64
import html
import re
from datetime import UTC, datetime

from tests.publishing.fakes.server import Answer, FakeServer, Recorded, complete_jpeg

# A few of WordPress's default upload types (wp_get_mime_types): images, MP4, WebVTT.
ALLOWED_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "video/mp4", "text/vtt"}


def wp_error(status: int, code: str, message: str) -> Answer:
    return Answer(status, {"code": code, "message": message, "data": {"status": status}})


class WordPressFake(FakeServer):
    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency)
        self.users: dict[str, str] = {}
        self.posts: dict[int, dict] = {}
        self.media: dict[int, dict] = {}

    def add_user(self, username: str, application_password: str) -> None:
        self.users[username] = application_password

    def revoke(self, username: str) -> None:
        self.users[username] = "revoked"

    def rate_limit(self, *, times: int = 1, retry_after: int = 30) -> None:
        answer = wp_error(429, "too_many_requests", "Too many requests.")
        self.fail(429, answer.body, {"Retry-After": str(retry_after)}, times=times)

    def route(self, request: Recorded) -> Answer:
        user = self._user(request.headers.get("authorization", ""))
        if isinstance(user, Answer):
            return user
        routes = {
            ("POST", "/wp-json/wp/v2/media"): self._create_media,
            ("POST", "/wp-json/wp/v2/posts"): self._create_post,
            ("GET", "/wp-json/wp/v2/posts"): self._list_posts,
            ("GET", "/wp-json/wp/v2/users/me"): lambda r: Answer(
                200, {"id": 1, "name": user, "slug": user}
            ),
        }
        handler = routes.get((request.method, request.path))
        if handler is None:
            return wp_error(
                404, "rest_no_route", "No route was found matching the URL and request method."
            )
        return handler(request)

    def _user(self, header: str) -> str | Answer:
        if not header.startswith("Basic "):
            return wp_error(401, "rest_not_logged_in", "You are not currently logged in.")
        username, _, password = base64.b64decode(header[6:]).decode().partition(":")
        if username not in self.users:
            return wp_error(401, "invalid_username", "Unknown username.")
        # WordPress ignores the spaces it shows in application passwords.
        if self.users[username].replace(" ", "") != password.replace(" ", ""):
            return wp_error(
                401,
                "incorrect_password",
                "The provided password is an invalid application password.",
            )
        return username

    def _create_media(self, request: Recorded) -> Answer:
        match = re.search(r'filename="?([^";]+)"?', request.headers.get("content-disposition", ""))
        if not match:
            return wp_error(
                400, "rest_upload_no_content_disposition", "No Content-Disposition supplied."
            )
        if not request.body:
            return wp_error(400, "rest_upload_no_data", "No data supplied.")
        mime = request.headers.get("content-type", "")
        if mime == "image/jpeg" and not complete_jpeg(request.body):
            return wp_error(500, "rest_upload_unknown_error", "The image could not be processed.")
        if mime not in ALLOWED_TYPES:
            refused = "Sorry, you are not allowed to upload this file type."
            return wp_error(500, "rest_upload_sideload_error", refused)
        media_id = int(self.next_id())
        self.media[media_id] = {
            "id": media_id,
            "source_url": f"{self.url}/wp-content/uploads/2026/11/{match.group(1)}",
            "alt_text": request.query.get("alt_text", ""),
            "mime_type": mime,
            "media_type": "image" if mime.startswith("image/") else "file",
            "bytes": len(request.body),
        }
        return Answer(201, self.media[media_id])

    def _create_post(self, request: Recorded) -> Answer:
        body = request.json
        if not body.get("title") and not body.get("content"):
            return wp_error(400, "empty_content", "Content, title, and excerpt are empty.")
        featured = body.get("featured_media", 0)
        if featured and featured not in self.media:
            return wp_error(400, "rest_invalid_featured_media", "Invalid featured media ID.")
        post_id = int(self.next_id())
        slug = body.get("slug") or re.sub(r"[^a-z0-9]+", "-", body.get("title", "").lower())
        slug = self._unique_slug(slug.strip("-") or str(post_id))
        self.posts[post_id] = {
            "id": post_id,
            "date_gmt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "status": body.get("status", "draft"),
            "link": f"{self.url}/{slug}/",
            "title": {"raw": body.get("title", ""), "rendered": html.escape(body.get("title", ""))},
            "content": {"raw": body.get("content", ""), "rendered": body.get("content", "")},
            "featured_media": featured,
            "slug": slug,
        }
        return Answer(201, self.posts[post_id])

    def _unique_slug(self, slug: str) -> str:
        """WordPress appends -2, -3… to a slug already taken (wp_unique_post_slug)."""
        taken = {post["slug"] for post in self.posts.values()}
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def add_posts(self, count: int, text: str = "Otra publicación") -> None:
        """Posts published by people on the portal itself."""
        for n in range(count):
            post_id = int(self.next_id())
            self.posts[post_id] = {
                "id": post_id,
                "date_gmt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"),
                "status": "publish",
                "link": f"{self.url}/otra-{post_id}/",
                "title": {"raw": f"{text} {n}", "rendered": f"{text} {n}"},
                "content": {"raw": "", "rendered": ""},
                "featured_media": 0,
                "slug": f"otra-{post_id}",
            }

    def _list_posts(self, request: Recorded) -> Answer:
        """GET /posts: published only, `search`, `after`, `slug` (exact), `per_page`
        (1–100, else 400) and `page`, with X-WP-Total and X-WP-TotalPages."""
        query = request.query
        search = query.get("search", "").lower()
        after = query.get("after", "").removesuffix("Z")[:19]
        per_page = int(query.get("per_page", "10"))
        if not 1 <= per_page <= 100:
            return wp_error(400, "rest_invalid_param", "Invalid parameter(s): per_page")
        items = [
            post
            for post in reversed(self.posts.values())
            if post["status"] == "publish"
            and search in (post["title"]["raw"] + post["content"]["raw"]).lower()
            and post["date_gmt"] > after
            and query.get("slug", post["slug"]) == post["slug"]
        ]
        number = int(query.get("page", "1"))
        pages = max(1, -(-len(items) // per_page))
        headers = {"X-WP-Total": str(len(items)), "X-WP-TotalPages": str(pages)}
        chunk = items[(number - 1) * per_page : number * per_page]
        return Answer(200, chunk, headers)
