"""Meta organic (Facebook Page + Instagram professional account) as a team really saves it.

Four landing folders (format spec and citations: ``docs/sources/meta.md``):

* ``meta_page_insights/``: Graph API ``GET /{object-id}/insights`` responses saved as JSON,
  ``{object-id}_insights_{since}_{until}.json`` (``until`` exclusive), compact as curl saves them.
  Facebook: one request per month (at most 90 days are allowed) with ``page_follows``,
  ``page_daily_follows_unique``, ``page_daily_unfollows_unique``, ``page_total_media_view_unique``
  and ``page_media_view`` (the replacements of the deprecated ``page_fans`` / ``page_impressions*``).
  Instagram: ``reach`` and ``follower_count`` time series per month (in halves for a 31-day month:
  at most 30 days per request; a one-day request is saved with the suffix ``_time_series`` so it
  does not overwrite that day's total_value response), and ``views`` + ``follows_and_unfollows``
  (total_value only, ``breakdown=follow_type``)
  one request per day, whose responses carry no date. Daily values are stamped ``end_time`` =
  midnight America/Los_Angeles closing the day (07:00 or 08:00 UTC, ``+0000``): Meta's reporting
  days are US Pacific days. The simulated page-day figures of window day *d* are written as
  Meta's Pacific day *d*.
* ``meta_instagram_accounts/``: the account node ``GET /{ig-user-id}?fields=id,username,name,
  followers_count,follows_count,media_count`` saved on the 1st of every month (and the day after
  the window), ``{ig-user-id}_profile_{fetch-date}.json``, pretty-printed as Graph API Explorer
  shows it: the follower total at the end of the Pacific day before the fetch date (Instagram
  has no daily follower-total metric).
* ``meta_posts/``: the Meta Business Suite content export (Insights > Content > Export data,
  post-level "Lifetime" layout), one CSV per month for Facebook and one for Instagram, named as
  Meta names them ``{Mon}-{DD}-{YYYY}_{Mon}-{DD}-{YYYY}_{16-digit export id}.csv``: UTF-8 with
  BOM, LF, a field quoted when it holds a space, comma, quote or newline, captions with raw
  newlines, ``Publish time`` ``MM/DD/YYYY HH:MM`` in US Pacific wall-clock time. The Facebook
  file's link posts carry their tagged URL (``utm_*``) in ``Title``; Instagram captions carry no
  link ("link in bio") and the export has no click columns. The two negative-feedback columns
  come and go from month to month, as in real exports.
* ``meta_comments/``: ``GET /{page-id}/published_posts?fields=id,comments{...}`` and
  ``GET /{ig-user-id}/media?fields=id,comments{...}`` responses per month of publication,
  ``{object-id}_published_posts_comments_{since}_{until}.json`` / ``{object-id}_media_comments_...``:
  posts newest first, comments oldest first; a post without comments has no ``comments`` key.
  Facebook authors are page-scoped user ids (``from`` withheld on about 1% of comments),
  Instagram authors their username without ``@``.

Every identifier written (Facebook ``from.id``, Instagram ``username``) is registered in the
ground-truth ledger exactly as written, by the caller-supplied ``register`` function.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from seeds.generator import catalog
from seeds.generator.clock import Clock
from seeds.generator.rng import py_stream

FOLDERS = ("meta_page_insights", "meta_instagram_accounts", "meta_posts", "meta_comments")

PACIFIC = ZoneInfo("America/Los_Angeles")
API = "https://graph.facebook.com/v23.0"
PAGE_SLUG = "ergonova"
IG_USERNAME = "ergonova.it"
BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
SHORTCODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
CURSOR = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

FB_COLUMNS = (
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Reactions, Comments and Shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Other Clicks",
    "Link Clicks",
    "Matched Audience Targeting Consumption (Photo Click)",
    "Seconds viewed",
    "Average Seconds viewed",
)
FB_NEGATIVE_FEEDBACK = ("Negative feedback from users: Hide all", "Negative feedback from users: Hide")
IG_COLUMNS = (
    "Post ID",
    "Account ID",
    "Account username",
    "Account name",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Permalink",
    "Post type",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Likes",
    "Shares",
    "Follows",
    "Comments",
    "Saves",
)
FB_POST_TYPES = {"image": "Photos", "link": "Links", "text": "Status"}
IG_POST_TYPES = {"image": "IG image", "carousel": "IG carousel", "video": "IG reel"}
FB_METRICS = (
    ("page_follows", "Lifetime Total Follows", "Lifetime: The number of people who follow your Page."),
    ("page_daily_follows_unique", "Daily New Follows", "Daily: The number of people who followed your Page."),
    ("page_daily_unfollows_unique", "Daily Unfollows", "Daily: The number of people who unfollowed your Page."),
    (
        "page_total_media_view_unique",
        "Daily Total Viewers",
        "Daily: The number of people who saw any content from your Page.",
    ),
    ("page_media_view", "Daily Views", "Daily: The number of times your Page's content was played or displayed."),
)
IG_SERIES = (
    (
        "reach",
        "Accounts reached",
        "The number of unique accounts that have seen your content, at least once, including in ads.",
    ),
    ("follower_count", "Follower count", "The number of new followers each day."),
)


@dataclass
class PageDays:
    """Daily page figures of one platform, indexed by window day (= Meta's Pacific day)."""

    followers: Sequence[int]
    follows: Sequence[int]
    unfollows: Sequence[int]
    reach: Sequence[int]
    impressions: Sequence[int]


@dataclass
class MetaComment:
    ts: int
    comment_id: str
    author: object  # a Person
    handle: str  # Facebook page-scoped id, or the Instagram handle as the CRM stores it (@name)
    text: str
    likes: int


@dataclass
class MetaPost:
    post: object  # a social.Post
    link_clicks: int
    url: str | None  # the tagged landing URL, when the post links to the site
    comments: list[MetaComment] = field(default_factory=list)


# --------------------------------------------------------------------------- formats


def _end_time(day: date) -> str:
    """end_time of the daily value of Pacific ``day``: the next Pacific midnight, in UTC."""
    nxt = day + timedelta(days=1)
    utc = datetime(nxt.year, nxt.month, nxt.day, tzinfo=PACIFIC).astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _pacific_midnight_epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=PACIFIC).timestamp())


def _api_time(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _pacific(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, PACIFIC)


def _publish_time(ts: int) -> str:
    return _pacific(ts).strftime("%m/%d/%Y %H:%M")


def _suite_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]}-{day.day:02d}-{day.year:04d}"


def _csv_field(value: object) -> str:
    text = "" if value is None else str(value)
    if any(c in text for c in ' ,"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _write_suite_csv(path: Path, header: Sequence[str], rows: list[Sequence[object]]) -> None:
    """A Business Suite export: UTF-8 with BOM, LF, Meta's quoting."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [",".join(_csv_field(h) for h in header)]
    lines += [",".join(_csv_field(v) for v in row) for row in rows]
    path.write_bytes(("\ufeff" + "\n".join(lines) + "\n").encode("utf-8"))


def _write_response(path: Path, document: object, pretty: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (
        json.dumps(document, ensure_ascii=False, indent=2)
        if pretty
        else json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    )
    path.write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------- writer


class MetaExport:
    def __init__(self, out: Path, clock: Clock, seed: int, page_id: str, ig_user_id: str) -> None:
        self.out, self.clock = out, clock
        self.r = py_stream(seed, "meta-export")
        self.page_id, self.ig_user_id = page_id, ig_user_id
        # export ids of the file names from a stream of their own, the same for every seed:
        # another seed gives other data in the same files
        self.ids = py_stream(0, "meta-export-file-ids")
        self.counts = dict.fromkeys(FOLDERS, 0)
        self._ig_scoped: dict[int, str] = {}

    # ----- helpers
    def _months(self) -> list[tuple[date, date]]:
        """(first day, day after the last day) of every month of the window, clipped to it."""
        out = []
        for m in self.clock.months:
            lo, hi = self.clock.month_bounds(m)
            out.append((self.clock.dates[lo], self.clock.dates[hi] + timedelta(days=1)))
        return out

    def _day(self, d: date) -> int:
        return (d - self.clock.start).days

    def _token(self, alphabet: str, n: int) -> str:
        return "".join(self.r.choice(alphabet) for _ in range(n))

    def _paging(self, object_id: str, query: str, since: date, until: date) -> dict[str, str]:
        span = (until - since).days
        before, after = since - timedelta(days=span), until + timedelta(days=span)
        url = f"{API}/{object_id}/insights?access_token=REDACTED&{query}"
        return {
            "previous": f"{url}&since={_pacific_midnight_epoch(before)}&until={_pacific_midnight_epoch(since)}",
            "next": f"{url}&since={_pacific_midnight_epoch(until)}&until={_pacific_midnight_epoch(after)}",
        }

    def _insights_file(self, object_id: str, since: date, until: date) -> Path:
        return self.out / "meta_page_insights" / f"{object_id}_insights_{since.isoformat()}_{until.isoformat()}.json"

    # ----- page insights
    def write_page_insights(self, facebook: PageDays, instagram: PageDays) -> None:
        for since, until in self._months():
            days = [since + timedelta(days=i) for i in range((until - since).days)]
            fb_series = {
                "page_follows": facebook.followers,
                "page_daily_follows_unique": facebook.follows,
                "page_daily_unfollows_unique": facebook.unfollows,
                "page_total_media_view_unique": facebook.reach,
                "page_media_view": facebook.impressions,
            }
            data = [
                {
                    "name": name,
                    "period": "day",
                    "values": [{"value": int(fb_series[name][self._day(d)]), "end_time": _end_time(d)} for d in days],
                    "title": title,
                    "description": text,
                    "id": f"{self.page_id}/insights/{name}/day",
                }
                for name, title, text in FB_METRICS
            ]
            query = "metric=" + "%2C".join(m for m, _, _ in FB_METRICS) + "&period=day"
            _write_response(
                self._insights_file(self.page_id, since, until),
                {"data": data, "paging": self._paging(self.page_id, query, since, until)},
                pretty=False,
            )
            self.counts["meta_page_insights"] += 1
            # Instagram time series: at most 30 days per request, so a 31-day month is asked in halves
            middle = since + timedelta(days=15) if (until - since).days > 30 else until
            for lo, hi in ((since, middle), (middle, until)):
                if lo >= hi:
                    continue
                part = [lo + timedelta(days=i) for i in range((hi - lo).days)]
                ig_series = {"reach": instagram.reach, "follower_count": instagram.follows}
                data = [
                    {
                        "name": name,
                        "period": "day",
                        "values": [
                            {"value": int(ig_series[name][self._day(d)]), "end_time": _end_time(d)} for d in part
                        ],
                        "title": title,
                        "description": text,
                        "id": f"{self.ig_user_id}/insights/{name}/day",
                    }
                    for name, title, text in IG_SERIES
                ]
                query = "metric=reach%2Cfollower_count&period=day&metric_type=time_series"
                path = self._insights_file(self.ig_user_id, lo, hi)
                if (hi - lo).days == 1:  # the day's total_value response has this name: keep both
                    path = path.with_name(path.stem + "_time_series.json")
                _write_response(
                    path, {"data": data, "paging": self._paging(self.ig_user_id, query, lo, hi)}, pretty=False
                )
                self.counts["meta_page_insights"] += 1
        # Instagram total_value metrics: one request per day, no date in the response
        for i, d in enumerate(self.clock.dates):
            views = int(instagram.impressions[i])
            from_followers = int(round(views * self.r.uniform(0.45, 0.68)))
            document = {
                "data": [
                    {
                        "name": "views",
                        "period": "day",
                        "title": "Views",
                        "description": "The number of times your content was played or displayed."
                        " Content includes reels, posts, stories.",
                        "total_value": {
                            "value": views,
                            "breakdowns": [
                                {
                                    "dimension_keys": ["follow_type"],
                                    "results": [
                                        {"dimension_values": ["FOLLOWER"], "value": from_followers},
                                        {"dimension_values": ["NON_FOLLOWER"], "value": views - from_followers},
                                    ],
                                }
                            ],
                        },
                        "id": f"{self.ig_user_id}/insights/views/day",
                    },
                    {
                        "name": "follows_and_unfollows",
                        "period": "day",
                        "title": "Follows and unfollows",
                        "description": "The number of accounts that followed you and the number of accounts"
                        " that unfollowed you "
                        "or left Instagram in the selected time period.",
                        "total_value": {
                            "breakdowns": [
                                {
                                    "dimension_keys": ["follow_type"],
                                    "results": [
                                        {"dimension_values": ["FOLLOWER"], "value": int(instagram.follows[i])},
                                        {"dimension_values": ["NON_FOLLOWER"], "value": int(instagram.unfollows[i])},
                                    ],
                                }
                            ]
                        },
                        "id": f"{self.ig_user_id}/insights/follows_and_unfollows/day",
                    },
                ]
            }
            _write_response(self._insights_file(self.ig_user_id, d, d + timedelta(days=1)), document, pretty=False)
            self.counts["meta_page_insights"] += 1

    # ----- Instagram account snapshots
    def write_instagram_accounts(self, instagram: PageDays, ig_posts: list[MetaPost], media_before: int) -> None:
        follows_count = 380 + self.r.randint(0, 60)
        for _, until in self._months():
            last = self._day(until) - 1
            follows_count += self.r.randint(-3, 9)
            cutoff = _pacific_midnight_epoch(until)
            media = media_before + sum(1 for p in ig_posts if p.post.ts < cutoff)
            document = {
                "id": self.ig_user_id,
                "username": IG_USERNAME,
                "name": catalog.BRAND,
                "followers_count": int(instagram.followers[last]),
                "follows_count": follows_count,
                "media_count": media,
            }
            path = self.out / "meta_instagram_accounts" / f"{self.ig_user_id}_profile_{until.isoformat()}.json"
            _write_response(path, document, pretty=True)
            self.counts["meta_instagram_accounts"] += 1

    # ----- posts (Business Suite content export)
    def _by_month(self, posts: list[MetaPost]) -> list[tuple[date, date, list[MetaPost]]]:
        out = []
        for since, until in self._months():
            chosen = [p for p in posts if since <= _pacific(p.post.ts).date() < until]
            out.append((since, until, sorted(chosen, key=lambda p: (p.post.ts, p.post.post_id))))
        return out

    def _export_name(self, since: date, until: date) -> str:
        export_id = str(self.ids.randint(10**15, 10**16 - 1))
        return f"{_suite_date(since)}_{_suite_date(until - timedelta(days=1))}_{export_id}.csv"

    def _facebook_row(self, mp: MetaPost, negative_feedback: bool) -> list[object]:
        r, post = self.r, mp.post
        bare = post.post_id.split("_", 1)[1]
        video = post.post_type == "video"
        ptype = ("Reels" if r.random() < 0.5 else "Videos") if video else FB_POST_TYPES[post.post_type]
        title = post.message + (f"\n{mp.url}" if mp.url else "")
        description = catalog.page_title(post.landing) if (post.post_type == "link" and post.landing) else None
        duration = r.randint(12, 95) if video else 0
        photo = int(post.reach * r.uniform(0.006, 0.025)) if post.post_type == "image" else 0
        other = int(post.reach * r.uniform(0.004, 0.018))
        comments = len(mp.comments)
        seconds = avg = None
        if video:
            avg = round(r.uniform(3.0, min(duration, 40)), 2)
            seconds = int(post.impressions * avg)
        row: list[object] = [
            bare,
            self.page_id,
            catalog.BRAND,
            title,
            description,
            duration,
            _publish_time(post.ts),
            "N/A",
            f"https://www.facebook.com/{PAGE_SLUG}/posts/pfbid0{self._token(BASE58, 48)}",
            0,
            0,
            ptype,
            None,
            None,
            None,
            None,
            "Lifetime",
            post.impressions,
            post.reach,
            post.reactions + comments + post.shares,
            post.reactions,
            comments,
            post.shares,
            other + mp.link_clicks + photo,
            other,
            mp.link_clicks,
            photo,
            seconds,
            avg,
        ]
        if negative_feedback:
            hide = int(r.random() < 0.15)
            row += [int(r.random() < 0.05), hide]
        return row

    def _instagram_row(self, mp: MetaPost) -> list[object]:
        r, post = self.r, mp.post
        video = post.post_type == "video"
        caption = post.message
        if r.random() < 0.5:
            caption += "\n.\n.\n#ergonova #smartworking #homeoffice"
        shortcode = self._token(SHORTCODE, 11)
        permalink = f"https://www.instagram.com/{'reel' if video else 'p'}/{shortcode}/"
        follows = int(r.random() < 0.6) * (1 + int(post.reach * r.uniform(0.0, 0.004)))
        return [
            post.post_id,
            self.ig_user_id,
            IG_USERNAME,
            catalog.BRAND,
            caption,
            r.randint(8, 60) if video else 0,
            _publish_time(post.ts),
            permalink,
            IG_POST_TYPES[post.post_type],
            None,
            "Lifetime",
            post.impressions,
            post.reach,
            post.reactions,
            post.shares,
            follows,
            len(mp.comments),
            post.saves,
        ]

    def write_posts(self, facebook: list[MetaPost], instagram: list[MetaPost]) -> None:
        folder = self.out / "meta_posts"
        for k, (since, until, chosen) in enumerate(self._by_month(facebook)):
            negative = k % 3 == 2
            header = FB_COLUMNS + (FB_NEGATIVE_FEEDBACK if negative else ())
            rows = [self._facebook_row(p, negative) for p in chosen]
            _write_suite_csv(folder / self._export_name(since, until), header, rows)
            self.counts["meta_posts"] += len(rows)
        for since, until, chosen in self._by_month(instagram):
            rows = [self._instagram_row(p) for p in chosen]
            _write_suite_csv(folder / self._export_name(since, until), IG_COLUMNS, rows)
            self.counts["meta_posts"] += len(rows)

    # ----- comments
    def _ig_scoped_id(self, person) -> str:
        scoped = self._ig_scoped.get(person.idx)
        if scoped is None:
            scoped = "1784" + "".join(str(self.r.randint(0, 9)) for _ in range(13))
            self._ig_scoped[person.idx] = scoped
        return scoped

    def _cursors(self) -> dict[str, str]:
        return {"before": "QVFIU" + self._token(CURSOR, 27), "after": "QVFIU" + self._token(CURSOR, 27)}

    def write_comments(
        self, facebook: list[MetaPost], instagram: list[MetaPost], register: Callable[[object, str, str, str], None]
    ) -> None:
        """``register(person, identifier_type, raw_value, normalized_value)`` records a written author."""
        folder = self.out / "meta_comments"
        for since, until, chosen in self._by_month(facebook):
            data = []
            for mp in sorted(chosen, key=lambda p: (-p.post.ts, p.post.post_id)):
                item: dict[str, object] = {"id": mp.post.post_id}
                if mp.comments:
                    rows = []
                    for c in sorted(mp.comments, key=lambda c: (c.ts, c.comment_id)):
                        comment: dict[str, object] = {"id": c.comment_id}
                        if self.r.random() >= 0.01:
                            comment["from"] = {"name": f"{c.author.first} {c.author.last}", "id": c.handle}
                            register(c.author, "facebook_id", c.handle, c.handle)
                        comment.update({"message": c.text, "created_time": _api_time(c.ts), "like_count": c.likes})
                        rows.append(comment)
                    item["comments"] = {"data": rows, "paging": {"cursors": self._cursors()}}
                    self.counts["meta_comments"] += len(rows)
                data.append(item)
            name = f"{self.page_id}_published_posts_comments_{since.isoformat()}_{until.isoformat()}.json"
            _write_response(folder / name, {"data": data, "paging": {"cursors": self._cursors()}}, pretty=False)
        for since, until, chosen in self._by_month(instagram):
            data = []
            for mp in sorted(chosen, key=lambda p: (-p.post.ts, p.post.post_id)):
                item = {"id": mp.post.post_id}
                if mp.comments:
                    rows = []
                    for c in sorted(mp.comments, key=lambda c: (c.ts, c.comment_id)):
                        username = c.handle.lstrip("@")
                        rows.append(
                            {
                                "id": c.comment_id,
                                "text": c.text,
                                "timestamp": _api_time(c.ts),
                                "username": username,
                                "like_count": c.likes,
                                "from": {"id": self._ig_scoped_id(c.author), "username": username},
                            }
                        )
                        register(c.author, "instagram_handle", username, c.handle)
                    item["comments"] = {"data": rows}
                    self.counts["meta_comments"] += len(rows)
                data.append(item)
            name = f"{self.ig_user_id}_media_comments_{since.isoformat()}_{until.isoformat()}.json"
            _write_response(folder / name, {"data": data, "paging": {"cursors": self._cursors()}}, pretty=False)
