"""YouTube's daily figures (Network.figures): the YouTube Analytics API's
reports.query for the channel (ids=channel==MINE, dimensions=day) and for the videos
of the last four weeks (dimensions=video, filters=video==id,…, lifetime totals), and
the subscriber count from the Data API's channels.list (part=statistics).

Analytics rows come as {"columnHeaders": [{"name"}…], "rows": [[…]…]}; the figures
go to analytics' AccountMetric and PostMetric fields."""

from datetime import date

from pregon.publishing.channels.base import ChannelError, DailyFigures
from pregon.publishing.channels.youtube.api import YouTubeApi

METRICS = ("views", "likes", "comments", "shares", "subscribersGained", "subscribersLost")
FIRST_DAY = "2005-04-23"  # before any video: a report from here is a video's lifetime
VIDEOS_A_QUERY = 200  # reports sorted by video give at most 200 rows


def rows(body: dict) -> list[dict]:
    """Each row as {column name: value}."""
    names = [header.get("name", "") for header in body.get("columnHeaders") or []]
    return [dict(zip(names, row, strict=False)) for row in body.get("rows") or []]


def account_figures(row: dict) -> dict[str, int]:
    """AccountMetric fields from a day's row."""
    figures = {
        "views": int(row.get("views") or 0),
        "follows_gained": int(row.get("subscribersGained") or 0),
        "follows_lost": int(row.get("subscribersLost") or 0),
        "engagements": sum(int(row.get(name) or 0) for name in ("likes", "comments", "shares")),
    }
    return figures


def post_figures(row: dict) -> dict[str, int]:
    """PostMetric fields from a video's row."""
    return {
        "views": int(row.get("views") or 0),
        "reactions": int(row.get("likes") or 0),
        "comments": int(row.get("comments") or 0),
        "shares": int(row.get("shares") or 0),
    }


class Figures(YouTubeApi):
    def _report(self, **params: str) -> dict:
        query = {"ids": "channel==MINE", "metrics": ",".join(METRICS), **params}
        response = self._call("GET", "/v2/reports", client=self.analytics_http, params=query)
        return self._checked(response, "Estadísticas")

    def daily_figures(self, day: date, remote_ids: list[str]) -> DailyFigures:
        figures = DailyFigures()
        day_text = day.isoformat()
        try:
            body = self._report(startDate=day_text, endDate=day_text, dimensions="day")
        except ChannelError as exc:
            if exc.reconnect or exc.rate_limited:
                raise
            figures.errors["views"] = exc.message
        else:
            for row in rows(body):
                if row.get("day") == day_text:
                    figures.account.update(account_figures(row))
        self._subscribers(figures)
        ids = list(dict.fromkeys(remote_ids))
        for start in range(0, len(ids), VIDEOS_A_QUERY):
            batch = ids[start : start + VIDEOS_A_QUERY]
            try:
                body = self._report(
                    startDate=FIRST_DAY,
                    endDate=day_text,
                    dimensions="video",
                    filters=f"video=={','.join(batch)}",
                    maxResults=str(VIDEOS_A_QUERY),
                    sort="-views",
                )
            except ChannelError as exc:
                if exc.reconnect or exc.rate_limited:
                    raise
                figures.errors["posts"] = exc.message
                continue
            for row in rows(body):
                figures.posts[str(row.get("video"))] = post_figures(row)
        return figures

    def _subscribers(self, figures: DailyFigures) -> None:
        try:
            statistics = self._channel("statistics").get("statistics") or {}
        except ChannelError as exc:
            if exc.reconnect or exc.rate_limited:
                raise
            figures.errors["followers"] = exc.message
            return
        if statistics.get("hiddenSubscriberCount"):
            figures.errors["followers"] = "el canal oculta su número de suscriptores"
        elif "subscriberCount" in statistics:
            figures.account["followers"] = int(statistics["subscriberCount"])
