"""WordPress REST API v2 pages, saved as the API returns them (docs/sources/wordpress.md).

* ``wordpress_posts/posts_page_<n>.json.gz`` — ``GET /wp-json/wp/v2/posts?per_page=100&page=n``
  (view context, published posts, newest first);
* ``wordpress_comments/comments_page_<n>.json.gz`` —
  ``GET /wp-json/wp/v2/comments?context=edit&status=all&per_page=100&page=n`` (approved + hold,
  with the commenter's e-mail, newest first by date_gmt);
* ``wordpress_comments/comments_spam_page_<n>.json.gz`` — the same with ``status=spam``.

Each file is the response body, gzipped by the pull script (the loader reads ``.json`` and
``.json.gz`` alike; mtime 0, so the same content gives the same bytes).

Each page is a top-level JSON array as PHP's ``json_encode`` writes it without flags (WordPress
``wp_json_encode``, developer.wordpress.org/reference/functions/wp_json_encode/): one line, no
spaces, ``/`` escaped as ``\\/``, non-ASCII as ``\\uXXXX`` (UTF-16 surrogate pairs beyond the BMP),
no trailing newline; an empty page is ``[]``. Object keys in the order of the core controllers
(``WP_REST_Posts_Controller`` / ``WP_REST_Comments_Controller::prepare_item_for_response``).
``date`` is the site's local time (Europe/Rome) without offset, ``date_gmt`` UTC without ``Z``.
Rendered fields carry what the core filters make of the text (``wptexturize`` entities such as
``&#8217;`` and ``&#038;``, ``wpautop`` paragraphs, ``make_clickable`` links with
``rel="nofollow ugc"``); ``texturize`` and ``autop`` below imitate the common cases.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from seeds.generator import gz  # gz.LEVEL: one-shot gzip.compress keeps these bytes

FOLDERS = ("wordpress_posts", "wordpress_comments")
PER_PAGE = 100
SITE_TZ = ZoneInfo("Europe/Rome")
_URL = re.compile(r"(https?://[^\s<]+[^\s<.,;:!?)\]])")


def php_json(value: Any) -> str:
    """``json_encode($value)`` with PHP's default flags."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


def wp_dates(ts: int) -> tuple[str, str]:
    """(date in the site's time zone, date_gmt), both ``YYYY-MM-DDTHH:MM:SS``."""
    local = datetime.fromtimestamp(ts, SITE_TZ).strftime("%Y-%m-%dT%H:%M:%S")
    gmt = datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return local, gmt


def texturize(text: str) -> str:
    """The entities ``wptexturize`` + ``convert_chars`` put in titles and comments (common cases)."""
    out = text.replace("&", "&#038;").replace("<", "&lt;").replace(">", "&gt;")
    out = out.replace("...", "&#8230;").replace(" -- ", " &#8212; ").replace(" - ", " &#8211; ")
    out = re.sub(r"(?<=\w)'(?=\w)", "&#8217;", out)  # apostrophes
    out = re.sub(r"(?<=\w)'", "&#8217;", out)  # closing single quote / elision at word end (po')
    out = re.sub(r"'(?=\w)", "&#8216;", out)
    out = re.sub(r'"(?=\w)', "&#8220;", out)
    out = out.replace('"', "&#8221;")
    return out


def clickable(html: str) -> str:
    """``make_clickable`` in comment context: bare URLs become nofollow ugc links."""
    return _URL.sub(lambda m: f'<a href="{m.group(1)}" rel="nofollow ugc">{m.group(1)}</a>', html)


def autop(text: str) -> str:
    """``wpautop``: paragraphs in ``<p>…</p>``, single line breaks as ``<br />``, a newline after each."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join("<p>" + p.replace("\n", "<br />\n") + "</p>\n" for p in paragraphs)


def render_comment(raw: str) -> str:
    return autop(clickable(texturize(raw)))


def avatar_urls(email: str) -> dict[str, str]:
    digest = hashlib.md5(email.strip().lower().encode("utf-8")).hexdigest()
    return {str(s): f"https://secure.gravatar.com/avatar/{digest}?s={s}&d=mm&r=g" for s in (24, 48, 96)}


def _write_pages(folder: Path, stem: str, records: list[dict[str, Any]]) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    pages = [records[i : i + PER_PAGE] for i in range(0, len(records), PER_PAGE)] or [[]]
    for n, page in enumerate(pages, start=1):
        body = php_json(page).encode("ascii")
        (folder / f"{stem}_page_{n}.json.gz").write_bytes(gzip.compress(body, compresslevel=gz.LEVEL, mtime=0))
    return len(pages)


def write(out: Path, posts: list[dict[str, Any]], comments: list[dict[str, Any]]) -> dict[str, int]:
    """Posts newest first; comments (status all) and spam newest first by date_gmt, 100 a page."""
    posts = sorted(posts, key=lambda p: (p["date_gmt"], p["id"]), reverse=True)
    listed = sorted(
        (c for c in comments if c["status"] in ("approved", "hold")),
        key=lambda c: (c["date_gmt"], c["id"]),
        reverse=True,
    )
    spam = sorted((c for c in comments if c["status"] == "spam"), key=lambda c: (c["date_gmt"], c["id"]), reverse=True)
    _write_pages(out / "wordpress_posts", "posts", posts)
    _write_pages(out / "wordpress_comments", "comments", listed)
    _write_pages(out / "wordpress_comments", "comments_spam", spam)
    return {"wordpress_posts": len(posts), "wordpress_comments": len(listed) + len(spam)}
