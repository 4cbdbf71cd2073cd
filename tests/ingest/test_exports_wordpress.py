"""WordPress REST API v2 pages (posts; comments in edit context, status=all and status=spam) and the
blog generic CSV: loader, end to end (fixtures in tests/fixtures/exports/wordpress and generic/blog_*),
the blog marts, and the generator's native files.

Figures: tests/fixtures/exports/wordpress/EXPECTED.md. Generic CSV fixture (generic/blog_*): post G-101
("Tips &amp; tricks: <em>la scrivania</em> perfetta", published 28 Sep 2026) and draft G-102; comments
GC-1 (Anna, approved, HTML with &#8211;), GC-2 (staff reply to GC-1), GC-3 (spam).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import RawLoadError, load_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures
from tests.ingest.test_exports_eventbrite import digest, generate_bundle, read_page

LOADED_AT = datetime(2026, 11, 22, 12, 0, 0)
FIXTURES = EXPORT_FIXTURES_DIR / "wordpress"
TABLES = ("wordpress_posts", "wordpress_comments")


def load(con, landing: Path, table: str):
    return load_table(con, raw_table(table), landing, LOADED_AT)


def fixture_page(table: str, name: str) -> list:
    return json.loads((FIXTURES / table / name).read_text(encoding="utf-8"))


def land(landing: Path, table: str, name: str, records: list | str) -> Path:
    from seeds.generator.exports.wordpress import php_json

    folder = landing / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(records if isinstance(records, str) else php_json(records), encoding="ascii")
    return path


# --------------------------------------------------------------------------- loader


def test_the_api_pages_load_with_escapes_decoded_and_both_dates(con, tmp_path: Path) -> None:
    for table in TABLES:
        shutil.copytree(FIXTURES / table, tmp_path / table)
    results = {table: load(con, tmp_path, table) for table in TABLES}
    assert {t: r.rows_added for t, r in results.items()} == {"wordpress_posts": 3, "wordpress_comments": 8}
    # "\/" and "\u00f2" decoded by the JSON reader; rendered fields keep their HTML entities (staging decodes)
    assert con.execute(
        "select link, title.rendered, date, date_gmt, categories from raw.wordpress_posts where id = 425"
    ).fetchone() == (
        "https://www.bottega-aurora.it/blog/2025/04/arte-della-tavola-primavera/",
        "L&#8217;arte della tavola: 5 idee per la primavera",
        datetime(2025, 4, 7, 8, 15),
        datetime(2025, 4, 7, 6, 15),
        [9],
    )
    assert con.execute("select content.raw, status from raw.wordpress_comments where id = 1053").fetchone() == (
        "Ma il lino si può stirare umido? Io l'ho fatto e si è un po' rovinato...",
        "approved",
    )
    assert con.execute("select status, count(*) from raw.wordpress_comments group by 1 order by 1").fetchall() == [
        ("approved", 6),
        ("hold", 1),
        ("spam", 1),
    ]


def test_an_empty_page_and_a_view_context_page_load(con, tmp_path: Path) -> None:
    """status=spam with no spam is `[]`; a public (view context) pull has no e-mail and no raw text."""
    view = fixture_page("wordpress_comments", "comments_page_1.json")
    for comment in view:
        for key in ("author_email", "author_ip", "author_user_agent"):
            comment.pop(key)
        comment["content"].pop("raw")
    land(tmp_path, "wordpress_comments", "comments_page_1.json", view)
    land(tmp_path, "wordpress_comments", "comments_spam_page_1.json", "[]")
    result = load(con, tmp_path, "wordpress_comments")
    assert result.rows_added == 7 and len(result.files_loaded) == 2
    assert con.execute(
        "select count(author_email), count(content.raw), count(content.rendered) from raw.wordpress_comments"
    ).fetchone() == (0, 0, 7)


def test_a_missing_required_field_names_file_line_and_field(con, tmp_path: Path) -> None:
    comments = fixture_page("wordpress_comments", "comments_page_1.json")
    del comments[3]["status"]
    text = "[" + ",\n".join(json.dumps(c) for c in comments) + "]"  # one comment per line, as in the fixtures
    land(tmp_path, "wordpress_comments", "comments_page_1.json", text)
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "wordpress_comments")
    assert (error.value.file, error.value.line, error.value.column) == (
        "wordpress_comments/comments_page_1.json",
        4,
        "status",
    )


def test_added_plugin_fields_load(con, tmp_path: Path) -> None:
    posts = fixture_page("wordpress_posts", "posts_page_1.json")
    for post in posts:
        post["yoast_head"] = '<meta name="robots" content="index">'
        post["jetpack_featured_media_url"] = "https://example.com/a.jpg"
        post.pop("class_list")  # older WordPress versions
    land(tmp_path, "wordpress_posts", "posts_page_1.json", posts)
    result = load(con, tmp_path, "wordpress_posts")
    assert result.rows_added == 3  # (the reader samples keys of an object page only: no warning for a top-level array)
    assert con.execute("select count(class_list) from raw.wordpress_posts").fetchone() == (0,)


# --------------------------------------------------------------------------- end to end (all tools' fixtures)


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_end_to_end_raw_and_staging(exports_run) -> None:
    workspace, result = exports_run
    failures = [f for f in run_failures(result) if "wordpress" in f or "blog" in f]
    assert not failures, failures
    assert query(
        workspace, "select (select count(*) from raw.wordpress_posts), (select count(*) from raw.wordpress_comments)"
    ) == [(3, 8)]
    assert query(
        workspace,
        "select post_id, title, page_path, published_at_utc, published_date_local"
        " from staging.stg_wordpress__posts order by 1",
    ) == [
        (
            412,
            "Come lavare il lino: la guida di Bottega Aurora",
            "/blog/2025/03/come-lavare-il-lino",
            datetime(2025, 3, 3, 8, 0),
            date(2025, 3, 3),
        ),
        (
            418,
            "Siena’s leather workshop: behind the scenes",
            "/blog/2025/03/siena-leather-workshop-behind-the-scenes",
            datetime(2025, 3, 24, 16, 30),
            date(2025, 3, 24),
        ),
        (
            425,
            "L’arte della tavola: 5 idee per la primavera",
            "/blog/2025/04/arte-della-tavola-primavera",
            datetime(2025, 4, 7, 6, 15),
            date(2025, 4, 7),
        ),
    ]
    texts = dict(query(workspace, "select comment_id, comment_text from staging.stg_wordpress__comments"))
    assert texts[1053] == "Ma il lino si può stirare umido? Io l’ho fatto e si è un po’ rovinato…"
    assert texts[1057].startswith("Beautiful work – I can’t wait")
    assert texts[1062] == "Love these ideas & the colours! The “Primavera” set is my favourite."
    assert texts[1061] == "Avete anche i piatti fondi? Li ho visti qui: https://www.example.com/ceramiche"
    assert query(
        workspace,
        "select comment_id, parent_comment_id, is_staff, email, comment_status, commented_at_utc"
        " from staging.stg_wordpress__comments where comment_id in (1052, 1058, 1061) order by 1",
    ) == [
        (1052, 1051, True, "redazione@bottega-aurora.it", "approved", datetime(2025, 3, 4, 8, 5, 47)),
        (1058, None, False, "marco.rossi@example.com", "approved", datetime(2025, 3, 30, 7, 12)),  # CEST: +2 h
        (1061, None, False, "luca.ferrari@example.com", "pending", datetime(2025, 4, 7, 20, 18, 40)),
    ]


def test_end_to_end_marts(exports_run) -> None:
    workspace, _ = exports_run
    assert query(
        workspace,
        """
        select period_start_date, posts_published, posts_live, comments_approved, reader_comments, staff_replies,
               comments_pending, comments_spam, commenters, comments_per_post
        from marts.mart_blog_kpis_monthly where period_start_date < date '2025-05-01' order by 1""",
    ) == [
        (date(2025, 3, 1), 2, 2, 5, 4, 1, 0, 0, 4, 2.0),
        (date(2025, 4, 1), 1, 3, 1, 1, 0, 1, 1, 1, 1 / 3),
    ]
    assert query(
        workspace,
        """
        select post_id, comments_approved, reader_comments, comments_pending, comments_spam, commenters,
               first_comment_at_utc, last_comment_at_utc
        from marts.mart_blog_post_kpis where source_system = 'wordpress' order by 1""",
    ) == [
        ("412", 3, 2, 0, 0, 2, datetime(2025, 3, 3, 17, 22, 10), datetime(2025, 3, 5, 20, 40, 3)),
        ("418", 2, 2, 0, 0, 2, datetime(2025, 3, 25, 9, 5, 33), datetime(2025, 3, 30, 7, 12)),
        ("425", 1, 1, 1, 1, 1, datetime(2025, 4, 8, 18, 47, 12), datetime(2025, 4, 8, 18, 47, 12)),
    ]
    # the five distinct reader e-mails of approved + pending comments are all Shopify customers in the fixtures
    assert query(
        workspace,
        "select count(distinct email) from intermediate.int_blog__comments where source_system = 'wordpress'"
        " and not is_staff and comment_status in ('approved', 'pending')",
    ) == [(5,)]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    workspace, _ = exports_run
    assert query(
        workspace,
        "select post_id, title, page_path, post_status, is_published from intermediate.int_blog__posts"
        " where source_system = 'generic_csv' order by 1",
    ) == [
        ("G-101", "Tips & tricks: la scrivania perfetta", "/scrivania-perfetta", "publish", True),
        ("G-102", "Bozza: novità 2027", "/novita-2027", "draft", False),
    ]
    assert query(
        workspace,
        "select comment_id, parent_comment_id, is_staff, email, comment_status, comment_text"
        " from intermediate.int_blog__comments where source_system = 'generic_csv' order by 1",
    ) == [
        ("GC-1", None, False, "anna.neri@example.it", "approved", "Articolo utilissimo – grazie!"),
        ("GC-2", "GC-1", True, "redazione@example.it", "approved", "Grazie a te Anna!"),
        ("GC-3", None, False, "cheap@spam.example", "spam", "Buy now"),
    ]
    assert query(
        workspace,
        "select posts_published, comments_approved, reader_comments, comments_spam from"
        " marts.mart_blog_kpis_monthly where period_start_date in (date '2026-09-01', date '2026-10-01') order by"
        " period_start_date",
    ) == [(1, 0, 0, 0), (0, 2, 1, 1)]


# --------------------------------------------------------------------------- generator


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    return generate_bundle(str(tmp_path_factory.getbasetemp()))


def test_the_generator_writes_the_api_pages(generated: Path) -> None:
    from seeds.generator import catalog

    posts_dir, comments_dir = generated / "wordpress_posts", generated / "wordpress_comments"
    assert sorted(p.name for p in posts_dir.iterdir()) == ["posts_page_1.json.gz"]
    names = sorted(p.name for p in comments_dir.iterdir())
    assert all(re.fullmatch(r"comments_(spam_)?page_\d+\.json\.gz", n) for n in names)
    assert "comments_page_1.json.gz" in names and "comments_spam_page_1.json.gz" in names
    raw = gzip.decompress((posts_dir / "posts_page_1.json.gz").read_bytes())
    assert raw.startswith(b"[{") and raw.endswith(b"}]") and b"\\/" in raw and raw.isascii()  # PHP json_encode
    posts = json.loads(raw)
    assert [p["slug"] for p in sorted(posts, key=lambda p: p["id"])] == [b.slug for b in catalog.BLOG]
    assert [p["date_gmt"] for p in posts] == sorted((p["date_gmt"] for p in posts), reverse=True)  # newest first
    assert all(p["link"] == f"{catalog.SITE}/blog/{p['slug']}/" and p["status"] == "publish" for p in posts)
    assert any("&#8217;" in p["title"]["rendered"] for p in posts)  # wptexturize
    assert all(p["date"] != p["date_gmt"] for p in posts)  # local vs UTC
    comments = [c for n in names for c in read_page(comments_dir / n)]
    assert comments
    assert {c["status"] for c in read_page(comments_dir / "comments_spam_page_1.json.gz")} <= {"spam"}
    assert {c["status"] for n in names if "spam" not in n for c in read_page(comments_dir / n)} <= {"approved", "hold"}
    post_ids = {p["id"] for p in posts}
    comment_ids = {c["id"] for c in comments}
    assert all(c["post"] in post_ids and (c["parent"] == 0 or c["parent"] in comment_ids) for c in comments)
    assert all(
        c["content"]["rendered"].startswith("<p>") and c["content"]["rendered"].endswith("</p>\n") for c in comments
    )
    assert all(c["link"].endswith(f"#comment-{c['id']}") for c in comments)
    staff = [c for c in comments if c["author"] != 0]
    assert all(c["parent"] != 0 and c["status"] == "approved" for c in staff)


def test_the_ground_truth_knows_every_reader_email(generated: Path) -> None:
    with duckdb.connect() as connection:
        known = {
            r[0]
            for r in connection.execute(
                "select identifier_value"
                f" from read_csv('{generated}/_ground_truth/identifiers.csv.gz', all_varchar=true)"
                " where identifier_type = 'email'"
            ).fetchall()
        }
    comments = [c for p in sorted((generated / "wordpress_comments").iterdir()) for c in read_page(p)]
    readers = {c["author_email"] for c in comments if c["author"] == 0 and c["status"] != "spam"}
    assert readers and readers <= known
    assert not {c["author_email"] for c in comments if c["status"] == "spam"} & known  # bots are nobody


def test_the_generator_is_deterministic(generated: Path, tmp_path: Path) -> None:
    folders = ("wordpress_posts", "wordpress_comments")
    assert digest(generate_bundle(str(tmp_path), seed=7), folders) == digest(generated, folders)


def test_rendering_imitates_wordpress_filters() -> None:
    from seeds.generator.exports.wordpress import php_json, render_comment, texturize

    assert (
        texturize("L'arte & il \"design\"... po' - ok")
        == "L&#8217;arte &#038; il &#8220;design&#8221;&#8230; po&#8217; &#8211; ok"
    )
    assert render_comment("Vedi https://www.example.com/x.\n\nCiao") == (
        '<p>Vedi <a href="https://www.example.com/x" rel="nofollow ugc">https://www.example.com/x</a>.</p>\n<p>Ciao</p>\n'
    )
    assert (
        php_json({"u": "https://a.it/b", "t": "può 😍"})
        == '{"u":"https:\\/\\/a.it\\/b","t":"pu\\u00f2 \\ud83d\\ude0d"}'
    )
