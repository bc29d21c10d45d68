"""X's figures: the two post exports of X analytics (today's and the older one).
The handle is read from each post's permalink."""

import re

from pregon.publishing.channels.network import CsvLayout

HANDLE = re.compile(r"(?:x|twitter)\.com/([^/]+)/status")
CLICKS = ("url_clicks", "hashtag_clicks", "permalink_clicks", "detail_expands")

EXPORT = CsvLayout(
    "x",
    "X · account_analytics_content",
    "x",
    {
        "remote_id": ("Post id",),
        "published_at": ("Date",),
        "text": ("Post text",),
        "permalink": ("Post Link",),
        "views": ("Impressions",),
        "reactions": ("Likes",),
        "engagements": ("Engagements",),
        "saves": ("Bookmarks",),
        "dm_shares": ("Shares",),
        "follows": ("New follows",),
        "comments": ("Replies",),
        "reposts": ("Reposts",),
        "profile_visits": ("Profile visits",),
        "detail_expands": ("Detail Expands",),
        "url_clicks": ("URL Clicks",),
        "hashtag_clicks": ("Hashtag Clicks",),
        "permalink_clicks": ("Permalink Clicks",),
    },
    ("remote_id", "published_at", "views", "reactions", "comments", "reposts"),
    {"shares": ("reposts", "dm_shares"), "clicks": CLICKS},
    HANDLE,
)
OLD_EXPORT = CsvLayout(
    "x_old",
    "X · tweet_activity_metrics",
    "x",
    {
        "remote_id": ("Tweet id",),
        "permalink": ("Tweet permalink",),
        "text": ("Tweet text",),
        "published_at": ("time",),
        "views": ("impressions",),
        "engagements": ("engagements",),
        "reposts": ("retweets",),
        "comments": ("replies",),
        "reactions": ("likes",),
        "profile_visits": ("user profile clicks",),
        "url_clicks": ("url clicks",),
        "hashtag_clicks": ("hashtag clicks",),
        "detail_expands": ("detail expands",),
        "permalink_clicks": ("permalink clicks",),
        "follows": ("follows",),
    },
    ("remote_id", "published_at", "views", "reactions", "comments", "reposts"),
    {"shares": ("reposts",), "clicks": CLICKS},
    HANDLE,
)
