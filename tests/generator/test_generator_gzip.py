"""The generator's background gzip (seeds/generator/gz.py) and GA4's pre-serialized records give the
bytes the single-threaded writers gave: any chunking, any number of deflate threads."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from seeds.generator import gz
from seeds.generator.exports import ga4
from tests.generator.test_generator import SMALL, tree_digest


def _text_gzipfile(path: Path, pieces: list[str], encoding: str = "utf-8") -> None:
    """What the writers did before: a TextIOWrapper over a GzipFile, flushed and closed."""
    with open(path, "wb") as raw:
        f = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9)
        text = io.TextIOWrapper(f, encoding=encoding, newline="", write_through=False)
        for s in pieces:
            text.write(s)
        text.flush()
        text.close()


def _pieces(seed: int, n: int) -> list[str]:
    r = random.Random(seed)
    words = ["événement", "a,b", '"q"', "\n", "x" * 700, "Zürich & <Milano>", "", "𝔘nicode"]
    return [r.choice(words) + str(r.randrange(10**6)) for _ in range(n)]


@pytest.fixture
def deflater_threads():
    """Set the number of deflate threads for one test, then put the default back."""
    before = gz.DEFLATER.threads

    def use(n: int) -> None:
        gz.DEFLATER.configure(n)

    yield use
    gz.DEFLATER.configure(before)


@pytest.mark.parametrize("threads", [0, 1, 3])
@pytest.mark.parametrize("chunk", [7, 4096, 1 << 20])
def test_gzip_sink_writes_the_bytes_of_a_text_gzipfile(tmp_path, monkeypatch, deflater_threads, threads, chunk):
    deflater_threads(threads)
    monkeypatch.setattr(gz, "CHUNK_CHARS", chunk)
    files = {f"f{k}": _pieces(k, 3000 if k % 3 else 0) for k in range(7)}  # empty files too
    sinks = {name: gz.GzipSink(tmp_path / "new" / f"{name}.gz") for name in files}
    for i in range(max(len(p) for p in files.values())):  # interleaved, as MonthlyWriter writes
        for name, pieces in files.items():
            if i < len(pieces):
                sinks[name].write(pieces[i])
    for sink in sinks.values():
        sink.close()
    gz.drain()
    (tmp_path / "old").mkdir()
    for name, pieces in files.items():
        _text_gzipfile(tmp_path / "old" / f"{name}.gz", pieces)
        assert (tmp_path / "new" / f"{name}.gz").read_bytes() == (tmp_path / "old" / f"{name}.gz").read_bytes(), name


def test_gzip_sink_other_encodings_and_csv(tmp_path, monkeypatch):
    monkeypatch.setattr(gz, "CHUNK_CHARS", 10)
    rows = [["a", "é,è", 'say "hi"'], ["Zürich", "", "1,234.56"]] * 50
    for encoding in ("utf-16", "cp1252", "utf-8"):
        sink = gz.GzipSink(tmp_path / f"new-{encoding}.csv.gz", encoding)
        w = csv.writer(sink, delimiter=";", lineterminator="\r\n")
        buffer = io.StringIO()
        w_old = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        for row in rows:
            w.writerow(row)
            w_old.writerow(row)
        sink.close()
        gz.drain()
        _text_gzipfile(tmp_path / f"old-{encoding}.csv.gz", [buffer.getvalue()], encoding)
        new = (tmp_path / f"new-{encoding}.csv.gz").read_bytes()
        assert new == (tmp_path / f"old-{encoding}.csv.gz").read_bytes(), encoding


def test_write_gzip_is_a_gzipfile_written_once(tmp_path):
    data = json.dumps({"results": _pieces(3, 2000)}, ensure_ascii=False).encode("utf-8")
    gz.write_gzip(tmp_path / "page.json.gz", data)
    gz.drain()
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as f:
        f.write(data)
    assert (tmp_path / "page.json.gz").read_bytes() == buffer.getvalue()
    assert gzip.decompress(buffer.getvalue()) == data


def test_a_failed_background_write_raises_in_drain(tmp_path, deflater_threads):
    deflater_threads(1)
    sink = gz.GzipSink(tmp_path / "broken.gz")
    sink.write("x" * 10)
    sink._raw.close()  # the file goes away under the writer (a full disk, a removed folder)
    with pytest.raises(ValueError):  # raised by the next submit if the task already failed, else by drain
        sink.close()
        gz.drain()
    gz.drain()  # the error is reported once; the deflater is usable again
    gz.write_gzip(tmp_path / "ok.gz", b"ok")
    gz.drain()
    assert gzip.decompress((tmp_path / "ok.gz").read_bytes()) == b"ok"


def _old_bq_json(value: object) -> str:
    return (
        json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        .replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
    )


def test_ga4_pre_serialized_parameters_equal_the_records_they_replace():
    r = random.Random(1)
    strings = ["https://www.ergonova.it/?a=1&b=<2>", 'Sedia "Ergo"', "caffè ☕", "", "\\back", "\u2028"]
    for s in strings:
        assert ga4.p_str("page_location", s) == _old_bq_json({"key": "page_location", "value": {"string_value": s}})
        assert ga4.bq_str(s) == _old_bq_json(s)
    for _ in range(2000):
        x = r.choice([r.uniform(-1e6, 1e6), float(r.randrange(-1000, 1000)), r.randrange(10**7) / 100, 0.1 + 0.2])
        if float(x).is_integer():
            expected = {"key": "value", "value": {"int_value": str(int(x))}}
        else:
            expected = {"key": "value", "value": {"double_value": round(float(x), 2)}}
        assert ga4.p_num("value", x) == _old_bq_json(expected)
        assert ga4.bq_money(x) == _old_bq_json(round(x, 2))
        n = r.randrange(-(10**12), 10**12)
        assert ga4.p_int("ga_session_id", n) == _old_bq_json({"key": "ga_session_id", "value": {"int_value": str(n)}})


def test_generation_with_inline_and_threaded_deflate_is_byte_identical(tmp_path):
    """Parallel equals serial: no deflate thread, one, and three give the same files."""
    digests = []
    for threads in ("0", "1", "3"):
        out = tmp_path / f"t{threads}"
        env = {**os.environ, "CRM_SEEDS_GZIP_THREADS": threads}
        cmd = [sys.executable, "-m", "seeds.generator", "generate", *SMALL, "--seed", "3", "--quiet", "--out", str(out)]
        subprocess.run(cmd, check=True, env=env)
        digests.append(tree_digest(out))
    assert digests[0] == digests[1] == digests[2]


def test_another_gzip_level_changes_the_gz_bytes_not_their_content(tmp_path):
    """``--gzip-level`` (faster deflate at scale): same files, same decompressed content, other .gz bytes."""
    for level in ("9", "1"):
        cmd = [sys.executable, "-m", "seeds.generator", "generate", *SMALL, "--seed", "4", "--quiet"]
        subprocess.run([*cmd, "--gzip-level", level, "--out", str(tmp_path / level)], check=True)
    best, fast = tree_digest(tmp_path / "9"), tree_digest(tmp_path / "1")
    assert best.keys() == fast.keys()
    changed = 0
    for name in best:
        a, b = (tmp_path / "9" / name).read_bytes(), (tmp_path / "1" / name).read_bytes()
        if name.endswith(".gz"):
            assert gzip.decompress(a) == gzip.decompress(b), name
            changed += a != b
        else:
            assert a == b, name
    assert changed > 0
