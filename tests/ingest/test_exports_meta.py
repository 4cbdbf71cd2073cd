"""Meta organic (Facebook Page + Instagram account): Graph API JSON (insights, account node,
comments) and the Business Suite content export (CSV). Loader, end to end (fixtures in
tests/fixtures/exports/meta and the social generic CSV in generic/social_*), and the generator's
native files.

Figures: tests/fixtures/exports/meta/EXPECTED.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from dagster_project.ingest.raw_contract import raw_table
from dagster_project.ingest.raw_loader import RawLoadError, load_table
from dagster_project.quality.gx_validation import validate_table
from tests.conftest import EXPORT_FIXTURES_DIR, run_failures

LOADED_AT = datetime(2026, 11, 1, 12, 0, 0)
FIXTURES = EXPORT_FIXTURES_DIR / "meta"
TABLES = ("meta_page_insights", "meta_instagram_accounts", "meta_posts", "meta_comments")
PAGE, IG = "104857392018475", "17841405793187218"
FB_CSV = "Mar-17-2025_Mar-21-2025_1183746502918374.csv"
IG_CSV = "Mar-17-2025_Mar-21-2025_1290384756102938.csv"
FB_INSIGHTS = f"{PAGE}_insights_2025-03-17_2025-03-22.json"
IG_HEADER = (
    '"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)","Publish time",'
    'Permalink,"Post type","Data comment",Date,Views,Reach,Likes,Shares,Follows,Comments,Saves'
)


def land_fixtures(landing: Path, *tables: str) -> None:
    for table in tables or TABLES:
        shutil.copytree(FIXTURES / table, landing / table)


def land(landing: Path, table: str, name: str, data: bytes | str) -> Path:
    folder = landing / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def load(con, landing: Path, table: str):
    return load_table(con, raw_table(table), landing, LOADED_AT)


def fb_csv_text() -> str:
    return (FIXTURES / "meta_posts" / FB_CSV).read_text(encoding="utf-8-sig")


# --------------------------------------------------------------------------- loader


def test_the_graph_api_responses_load_pretty_printed_and_compact(con, tmp_path: Path) -> None:
    land_fixtures(tmp_path)
    results = {table: load(con, tmp_path, table) for table in TABLES}
    assert {t: r.rows_added for t, r in results.items()} == {
        "meta_page_insights": 5 + 2 + 5 * 2,
        "meta_instagram_accounts": 1,
        "meta_posts": 4,
        "meta_comments": 4,
    }
    assert not any(r.warnings for r in results.values())
    # the one-day total_value responses carry no date: it comes from the file name
    totals = con.execute(
        "select request_object_id, request_since, request_until, total_value.value from raw.meta_page_insights"
        " where name = 'views' order by request_since"
    ).fetchall()
    assert [t[1] for t in totals] == [date(2025, 3, d) for d in range(17, 22)]
    assert totals[0] == (IG, date(2025, 3, 17), date(2025, 3, 18), 3105)
    assert con.execute(
        "select count(*) from raw.meta_page_insights where name = 'follows_and_unfollows' and total_value.value is null"
    ).fetchone() == (5,)
    end_times = con.execute(
        "select distinct strftime(timezone('UTC', v.end_time), '%H:%M') from raw.meta_page_insights,"
        ' unnest("values") as t(v)'
    ).fetchall()
    assert end_times == [("07:00",)]  # midnight PDT
    assert con.execute(
        "select id, username, followers_count, snapshot_date from raw.meta_instagram_accounts"
    ).fetchall() == [(IG, "bottega.aurora", 6318, date(2025, 3, 22))]
    comments = con.execute(
        "select request_edge, id, len(comments.data) from raw.meta_comments order by request_edge, id"
    ).fetchall()
    assert comments == [
        ("media", "18047392615820374", 2),
        ("media", "18113847502938475", 1),
        ("published_posts", f"{PAGE}_1043872619058213", 2),
        ("published_posts", f"{PAGE}_1045129837460192", 1),
    ]


def test_the_content_export_keeps_ids_text_multiline_captions_quotes_and_emoji(con, tmp_path: Path) -> None:
    land_fixtures(tmp_path, "meta_posts")
    assert (tmp_path / "meta_posts" / FB_CSV).read_bytes()[:3] == b"\xef\xbb\xbf"
    assert (tmp_path / "meta_posts" / IG_CSV).read_text(encoding="utf-8-sig").split("\n")[0] == IG_HEADER
    result = load(con, tmp_path, "meta_posts")
    assert result.rows_added == 4 and not result.warnings
    rows = con.execute(
        "select post_id, page_id, account_id, title, description, publish_time, post_type, date, views, reach,"
        " reactions, likes, saves, link_clicks, is_share, report_start, report_end, export_id"
        " from raw.meta_posts order by post_id"
    ).fetchall()
    assert [r[0] for r in rows] == ["1043872619058213", "1045129837460192", "18047392615820374", "18113847502938475"]
    photo, link, carousel, reel = rows
    assert photo[3].count("\n") == 3 and "\n\n" in photo[3] and "🌿" in photo[3]
    assert '"Primavera"' in link[3] and "utm_campaign=spring_2025" in link[3] and "💡" in link[3]
    assert link[4] == "Collezione Primavera 2025 | Bottega Aurora"
    assert photo[5] == datetime(2025, 3, 17, 12, 30) and photo[1:3] == (PAGE, None)
    assert carousel[1:3] == (None, IG) and carousel[6] == "IG carousel" and carousel[11:13] == (184, 23)
    assert link[13] == 142 and carousel[13] is None and photo[14] is False
    assert {r[7] for r in rows} == {"Lifetime"}
    assert photo[15:] == ("Mar-17-2025", "Mar-21-2025", "1183746502918374")


def test_crlf_line_endings_an_older_impressions_column_and_a_renamed_file_load(con, tmp_path: Path) -> None:
    text = fb_csv_text().replace(",Views,", ",Impressions,").replace("\n", "\r\n")
    # the caption's own line breaks become CRLF too: they stay inside the quoted field
    land(tmp_path, "meta_posts", "facebook posts march.csv", "\ufeff" + text)
    result = load(con, tmp_path, "meta_posts")
    assert result.rows_added == 2 and not result.warnings
    assert con.execute(
        "select views, impressions, report_end, export_id from raw.meta_posts order by post_id"
    ).fetchall() == [(None, 2410, None, None), (None, 3180, None, None)]
    assert con.execute("select count(*) from raw.meta_posts where title like '%#MadeInItaly'").fetchone() == (1,)


def test_added_columns_load_and_unknown_ones_are_reported(con, tmp_path: Path) -> None:
    lines = fb_csv_text().split("\n")
    header, *body = lines
    header += ',"Negative feedback from users: Hide all","Boost status"'
    body = [line + (",1,Not boosted" if line.endswith(",,") else "") for line in body]
    land(tmp_path, "meta_posts", FB_CSV, "\ufeff" + "\n".join([header, *body]))
    result = load(con, tmp_path, "meta_posts")
    assert result.rows_added == 2
    assert result.warnings and "Boost status" in result.warnings[0]
    assert con.execute("select sum(negative_feedback_from_users_hide_all) from raw.meta_posts").fetchone() == (2,)


def test_a_missing_required_column_names_file_line_and_column(con, tmp_path: Path) -> None:
    land(tmp_path, "meta_posts", FB_CSV, "\ufeff" + fb_csv_text().replace(",Reach,", ",Audience,", 1))
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "meta_posts")
    assert (error.value.file, error.value.line, error.value.column) == (f"meta_posts/{FB_CSV}", 1, "reach")
    assert "Nothing was loaded" in str(error.value)


def test_a_bad_publish_time_is_refused_with_its_line(con, tmp_path: Path) -> None:
    # the second record starts on line 6: the first caption spans lines 2-5
    land(tmp_path, "meta_posts", FB_CSV, "\ufeff" + fb_csv_text().replace('"03/19/2025 13:05"', '"2025-19-03 13:05"'))
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "meta_posts")
    assert (error.value.line, error.value.column) == (6, "Publish time")


def test_an_insights_response_without_the_metric_id_is_refused(con, tmp_path: Path) -> None:
    document = json.loads((FIXTURES / "meta_page_insights" / FB_INSIGHTS).read_text(encoding="utf-8"))
    del document["data"][2]["id"]
    land(tmp_path, "meta_page_insights", FB_INSIGHTS, json.dumps(document))
    with pytest.raises(RawLoadError) as error:
        load(con, tmp_path, "meta_page_insights")
    assert error.value.file == f"meta_page_insights/{FB_INSIGHTS}" and error.value.column == "id"
    assert "record 3" in str(error.value)


def test_a_response_saved_under_another_name_is_refused(con, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "meta_page_insights" / FB_INSIGHTS, tmp_path / "x.json")
    land(tmp_path, "meta_page_insights", f"{PAGE}_insights_march.json", (tmp_path / "x.json").read_bytes())
    with pytest.raises(RawLoadError, match="file name does not match"):
        load(con, tmp_path, "meta_page_insights")


def test_two_days_with_byte_identical_total_value_responses_both_load(con, tmp_path: Path) -> None:
    body = (FIXTURES / "meta_page_insights" / f"{IG}_insights_2025-03-17_2025-03-18.json").read_bytes()
    land(tmp_path, "meta_page_insights", f"{IG}_insights_2025-03-17_2025-03-18.json", body)
    land(tmp_path, "meta_page_insights", f"{IG}_insights_2025-03-18_2025-03-19.json", body)
    load(con, tmp_path, "meta_page_insights")
    assert con.execute("select count(distinct request_since) from raw.meta_page_insights").fetchone() == (2,)


def test_the_raw_gate_fails_excel_mangled_ids_and_the_daily_breakdown_layout(tmp_path: Path) -> None:
    text = fb_csv_text().replace("1043872619058213,", "1.04387E+15,", 1).replace(",Lifetime,", ",03/19/2025,", 1)
    land(tmp_path, "meta_posts", FB_CSV, "\ufeff" + text)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as connection:
        load(connection, tmp_path, "meta_posts")
        result = validate_table(
            connection,
            "raw",
            "raw",
            "meta_posts",
            {"extract_start": datetime(2000, 1, 1), "extract_end": datetime(2030, 1, 1)},
        )
    failed = {(o.expectation_type, o.column) for o in result.failures}
    assert ("expect_column_values_to_match_regex", "post_id") in failed
    assert ("expect_column_values_to_be_in_set", "date") in failed


# --------------------------------------------------------------------------- end to end


def query(workspace, sql: str) -> list[tuple]:
    with duckdb.connect(str(workspace.warehouse), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def test_end_to_end_raw_staging_conformed_and_marts(exports_run) -> None:
    workspace, result = exports_run
    mine = ("meta_page", "meta_instagram", "meta_posts", "meta_comments", "stg_meta__", "social")
    problems = [p for p in run_failures(result) if any(k in p for k in mine)]
    assert not problems, problems
    assert query(
        workspace,
        "select (select count(*) from raw.meta_page_insights), (select count(*) from raw.meta_posts),"
        " (select count(*) from raw.meta_comments), (select count(*) from raw.meta_instagram_accounts)",
    ) == [(17, 4, 4, 1)]
    assert query(workspace, "select count(*), count(distinct insight_date) from staging.stg_meta__page_insights") == [
        (60, 5)
    ]
    days = query(
        workspace,
        "select platform, insight_date, followers_end_of_day, follows, unfollows, reach, impressions,"
        " is_followers_rebuilt, insight_day_time_zone from intermediate.int_social__page_insights"
        " where source_system = 'meta' order by platform, insight_date",
    )
    assert len(days) == 10
    assert days[0] == ("facebook", date(2025, 3, 17), 9412, 8, 2, 1840, 3920, False, "America/Los_Angeles")
    assert days[4] == ("facebook", date(2025, 3, 21), 9433, 6, 3, 2148, 4512, False, "America/Los_Angeles")
    assert [d[2] for d in days[5:]] == [6277, 6288, 6294, 6310, 6318]  # rebuilt from the 6318 snapshot
    assert days[5][3:8] == (14, 4, 1420, 3105, True)
    assert [sum(d[i] for d in days) for i in (3, 4, 5, 6)] == [112, 34, 18712, 41190]
    posts = query(
        workspace,
        "select platform, post_id, published_at_utc, published_date_local, post_type, utm_campaign,"
        " impressions, reactions, saves, link_clicks, link_clicks_reported"
        " from intermediate.int_social__posts where source_system = 'meta' order by post_id",
    )
    assert posts == [
        (
            "facebook",
            "1043872619058213",
            datetime(2025, 3, 17, 19, 30),
            date(2025, 3, 17),
            "image",
            None,
            2410,
            96,
            0,
            0,
            True,
        ),
        (
            "facebook",
            "1045129837460192",
            datetime(2025, 3, 19, 20, 5),
            date(2025, 3, 19),
            "link",
            "spring_2025",
            3180,
            71,
            0,
            142,
            True,
        ),
        (
            "instagram",
            "18047392615820374",
            datetime(2025, 3, 18, 18, 45),
            date(2025, 3, 18),
            "carousel",
            None,
            2980,
            184,
            23,
            0,
            False,
        ),
        (
            "instagram",
            "18113847502938475",
            datetime(2025, 3, 20, 21, 10),
            date(2025, 3, 20),
            "video",
            None,
            6420,
            312,
            57,
            0,
            False,
        ),
    ]
    message = query(workspace, "select message from staging.stg_meta__posts where post_id = '1045129837460192'")[0][0]
    assert message.startswith("Saldi di primavera") and '"Primavera"' in message
    comments = query(
        workspace,
        "select platform, comment_id, post_id, author_handle_normalized, created_date_local, like_count"
        " from intermediate.int_social__comments where source_system = 'meta' order by created_at_utc",
    )
    assert [c[2] for c in comments] == [
        "1043872619058213",
        "1043872619058213",
        "18047392615820374",
        "18047392615820374",
        "1045129837460192",
        "18113847502938475",
    ]
    assert comments[2][3] == "giulia.bianchi.design" and comments[0][3] == "10482736591827364"
    assert comments[-1][4] == date(2025, 3, 21) and sum(c[5] for c in comments) == 12  # 23:02 UTC = 00:02 in Rome
    # every comment joins its post
    assert query(
        workspace,
        "select count(*) from intermediate.int_social__comments c join intermediate.int_social__posts p"
        " using (platform, post_id) where c.source_system = 'meta'",
    ) == [(6,)]
    monthly = query(
        workspace,
        "select platform, followers_end, follows, unfollows, page_reach, page_impressions, posts,"
        " post_reach, engagement from marts.mart_social_kpis_monthly"
        " where period_start_date = date '2025-03-01' and platform in ('facebook', 'instagram')"
        " order by platform",
    )
    # engagement = reactions + comments + shares + saves + link clicks (Facebook's 142 link clicks count)
    assert monthly == [
        ("facebook", 9433, 39, 12, 10882, 23640, 2, 3890, 105 + 84 + 142),
        ("instagram", 6318, 73, 22, 7830, 17550, 2, 5615, 629),
    ]
    growth = query(
        workspace,
        "select platform, follower_growth from marts.mart_social_kpis_daily"
        " where period_start_date = date '2025-03-18' and platform in ('facebook', 'instagram')"
        " order by platform",
    )
    assert growth == [("facebook", 6), ("instagram", 11)]
    engagement = query(
        workspace,
        "select post_id, engagement from marts.mart_social_post_kpis"
        " where platform in ('facebook', 'instagram') order by post_id",
    )
    assert [e[1] for e in engagement] == [105, 84 + 142, 218, 411]
    # comment authors reach identity and the touchpoints
    handles = query(
        workspace,
        "select identifier_type, identifier_value from intermediate.int_identity__observations"
        " where record_source = 'social_comment' and identifier_value in"
        " ('giulia.bianchi.design', '10482736591827364') order by 1",
    )
    assert handles == [("facebook_id", "10482736591827364"), ("instagram_handle", "giulia.bianchi.design")]


def test_end_to_end_generic_csv_still_works(exports_run) -> None:
    """LinkedIn in the social generic CSV beside the native Meta exports."""
    workspace, _ = exports_run
    assert query(
        workspace,
        "select platform, count(*), sum(follows), max(insight_day_time_zone)"
        " from intermediate.int_social__page_insights where source_system = 'generic_csv'"
        " group by platform",
    ) == [("linkedin", 3, 16, "Europe/Rome")]
    assert query(
        workspace,
        "select post_id, utm_campaign, saves, link_clicks from intermediate.int_social__posts"
        " where source_system = 'generic_csv'",
    ) == [("urn:li:activity:7306481234567890123", "b2b_webinar_q1", 0, 37)]
    assert query(
        workspace,
        "select author_handle_normalized from intermediate.int_social__comments where source_system = 'generic_csv'",
    ) == [("paolo-ferri-3fa2b1",)]
    assert query(workspace, "select count(*) from intermediate.int_social__mentions") == [(2,)]
    assert query(
        workspace,
        "select posts, engagement from marts.mart_social_kpis_monthly"
        " where platform = 'linkedin' and period_start_date = date '2025-03-01'",
    ) == [(1, 41 + 1 + 6 + 37)]


# --------------------------------------------------------------------------- generator

# the window crosses the US change to summer time (8 March 2026): end_time 08:00 then 07:00 UTC
GENERATE = ["--people", "150", "--start", "2026-02-20", "--end", "2026-04-05"]


def generate(out: Path, seed: str = "3") -> Path:
    subprocess.run(
        [sys.executable, "-m", "seeds.generator", "generate", *GENERATE, "--seed", seed, "--out", str(out), "--quiet"],
        check=True,
    )
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("meta_generated"))


@pytest.fixture(scope="module")
def generated_raw(generated: Path):
    connection = duckdb.connect(":memory:")
    for table in TABLES:
        result = load_table(connection, raw_table(table), generated, LOADED_AT)
        assert result.rows_added > 0 and not result.warnings, (table, result.warnings)
    yield connection
    connection.close()


def digests(root: Path) -> dict[str, str]:
    folders = TABLES + ("social_page_insights", "social_posts", "social_comments", "social_mentions")
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted((root / folder).iterdir())
    }


def test_the_generator_names_files_as_the_api_and_business_suite_do(generated: Path) -> None:
    insights = sorted(p.name for p in (generated / "meta_page_insights").iterdir())
    assert f"{PAGE}_insights_2026-02-20_2026-03-01.json" in insights
    assert f"{PAGE}_insights_2026-04-01_2026-04-06.json" in insights
    assert (
        f"{IG}_insights_2026-03-01_2026-03-16.json" in insights
        and f"{IG}_insights_2026-03-16_2026-04-01.json" in insights
    )
    assert (
        sum(1 for n in insights if n.startswith(IG)) == 45 + 4
    )  # a total_value request a day, Feb, March in halves, Apr
    accounts = sorted(p.name for p in (generated / "meta_instagram_accounts").iterdir())
    assert accounts == [
        f"{IG}_profile_2026-03-01.json",
        f"{IG}_profile_2026-04-01.json",
        f"{IG}_profile_2026-04-06.json",
    ]
    posts = sorted(p.name for p in (generated / "meta_posts").iterdir())
    assert len(posts) == 6 and all(
        p.startswith(("Feb-20-2026_Feb-28-2026_", "Mar-01-2026_Mar-31-2026_", "Apr-01-2026_Apr-05-2026_"))
        for p in posts
    )
    assert all(len(p.rsplit("_", 1)[1]) == len("1234567890123456.csv") for p in posts)
    comments = sorted(p.name for p in (generated / "meta_comments").iterdir())
    assert f"{PAGE}_published_posts_comments_2026-03-01_2026-04-01.json" in comments
    assert f"{IG}_media_comments_2026-03-01_2026-04-01.json" in comments and len(comments) == 6
    assert (generated / "social_posts" / "posts.csv.gz").read_bytes() != b""


def test_the_generated_content_exports_have_meta_headers_and_quoting(generated: Path) -> None:
    headers = set()
    for path in (generated / "meta_posts").iterdir():
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
        text = raw.decode("utf-8-sig")
        headers.add(text.split("\n", 1)[0])
        rows = list(csv.reader(io.StringIO(text)))
        assert {r[rows[0].index("Date")] for r in rows[1:]} <= {"Lifetime"}
    assert IG_HEADER in headers
    fb = [h for h in headers if h.startswith('"Post ID","Page ID"')]
    assert fb and all(
        h.endswith(('"Seconds viewed","Average Seconds viewed"', '"Negative feedback from users: Hide"')) for h in fb
    )


def test_the_generated_insights_are_pacific_days_and_the_snapshots_add_up(generated_raw) -> None:
    end_times = dict(
        generated_raw.execute(
            "select cast(timezone('UTC', v.end_time) as date), strftime(timezone('UTC', v.end_time), '%H:%M')"
            " from raw.meta_page_insights, unnest(\"values\") as t(v) where name = 'page_follows'"
        ).fetchall()
    )
    assert end_times[date(2026, 3, 8)] == "08:00" and end_times[date(2026, 3, 9)] == "07:00"
    assert min(end_times) == date(2026, 2, 21) and max(end_times) == date(2026, 4, 6)
    # the follower total of a snapshot = the previous one + the month's follows - unfollows
    check = generated_raw.execute("""
        with moves as (
            select request_since as day,
                sum(case when r.dimension_values[1] = 'FOLLOWER' then r.value else -r.value end) as net
            from raw.meta_page_insights, unnest(total_value.breakdowns) as b(bd), unnest(bd.results) as t(r)
            where name = 'follows_and_unfollows' group by all
        ),
        snapshots as (
            select snapshot_date, followers_count,
                lag(snapshot_date) over (order by snapshot_date) as previous_date,
                lag(followers_count) over (order by snapshot_date) as previous_count
            from raw.meta_instagram_accounts
        )
        select snapshot_date, followers_count - previous_count,
            (select sum(net) from moves where day >= previous_date and day < snapshot_date)
        from snapshots where previous_date is not null order by 1""").fetchall()
    assert len(check) == 2 and all(growth == net for _, growth, net in check)


def test_the_generated_comments_match_the_posts_and_the_ground_truth(generated: Path, generated_raw) -> None:
    counted = generated_raw.execute("""
        select p.post_id, p.comments, count(c.comment)
        from raw.meta_posts as p
        left join (select id, unnest(comments.data) as comment from raw.meta_comments) as c
            on c.id = p.post_id or c.id = p.page_id || '_' || p.post_id
        group by all having p.comments <> count(c.comment)""").fetchall()
    assert counted == []
    authors = generated_raw.execute("""
        select distinct case when c.comment.username is null then 'facebook_id' else 'instagram_handle' end,
            coalesce(c.comment.username, c.comment."from".id)
        from (select unnest(comments.data) as comment from raw.meta_comments) as c
        where coalesce(c.comment.username, c.comment."from".id) is not null""").fetchall()
    assert authors and not any(handle.startswith("@") for _, handle in authors)
    truth = generated_raw.execute(
        "select identifier_type, identifier_value from read_csv(?, header = true, all_varchar = true)",
        [str(generated / "_ground_truth" / "identifiers.csv.gz")],
    ).fetchall()
    assert set(authors) <= set(truth)
    tagged = generated_raw.execute(
        "select count(*), count(*) filter (where title like '%utm_campaign=%') from raw.meta_posts"
        " where page_id is not null and link_clicks > 0"
    ).fetchone()
    assert tagged[0] > 0 and tagged[0] == tagged[1]  # clicks only on posts whose text carries the tagged link
    assert generated_raw.execute(
        "select count(*) from raw.meta_posts where account_id is not null and description like '%utm_%'"
    ).fetchone() == (0,)


def test_the_generator_is_deterministic_for_the_social_files(generated: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again")
    assert digests(again) == digests(generated)
    other = generate(tmp_path / "other", seed="4")
    assert digests(other).keys() == digests(generated).keys() and digests(other) != digests(generated)
