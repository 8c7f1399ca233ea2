"""The Spark recipe (newsx.spark) in Spark local mode: its records equal
`newsx extract`'s on the same WARC files, as JSONL and as Parquet."""

import gzip
import html
import json
import os
import sys

import pytest

from conftest import CORPUS, run_newsx

if os.environ.get("NEWSX_REQUIRE_SPARK"):
    import pyspark  # noqa: F401  (CI installs it: a missing install must fail)
else:
    pytest.importorskip("pyspark")

from newsx import spark as newsx_spark  # noqa: E402


def warc_record(kind, uri, block, n):
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{n}>\r\n"
        f"WARC-Date: 2021-01-15T08:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype={kind}\r\n"
        f"Content-Length: {len(block)}\r\n\r\n"
    ).encode()
    return head + block + b"\r\n\r\n"


def write_warc(path, pages, first):
    """A .warc.gz of one gzip member per record, as Common Crawl writes them:
    for each page a request and an HTML response, plus one image response
    that newsx skips."""
    with open(path, "wb") as out:
        for n, (uri, page) in enumerate(pages, start=first):
            request = f"GET / HTTP/1.1\r\nHost: news.example\r\n\r\n".encode()
            response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n" + page
            out.write(gzip.compress(warc_record("request", uri, request, 2 * n)))
            out.write(gzip.compress(warc_record("response", uri, response, 2 * n + 1)))
        image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG"
        out.write(gzip.compress(warc_record("response", "https://news.example/logo.png", image, -first)))


def page_of(path):
    """A corpus article as a news page: a title and one <p> per line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    return (
        f"<html><head><title>{html.escape(lines[0][:60])}</title></head>"
        f"<body><article>{body}</article></body></html>"
    ).encode()


@pytest.fixture(scope="module")
def warcs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("warc")
    articles = sorted(CORPUS.glob("*.txt"))
    halves = [articles[: len(articles) // 2], articles[len(articles) // 2 :]]
    paths = []
    for i, half in enumerate(halves):
        path = folder / f"CC-NEWS-test-{i:05d}.warc.gz"
        pages = [(f"https://news.example/{p.stem}", page_of(p)) for p in half]
        # Record ids unique across the files, as real WARC files have them.
        write_warc(path, pages, first=100 * (i + 1))
        paths.append(str(path))
    return paths


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # The Python workers must import this newsx build.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("newsx-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_jsonl_output_equals_the_command_line(spark, warcs, newsx_bin, tmp_path):
    expected = run_newsx(newsx_bin, ["extract", *warcs])
    assert len(expected) == 8 and all(r["source"]["format"] for r in expected)
    out = tmp_path / "records"
    count = newsx_spark.extract_warcs(spark, warcs, out, format="jsonl")
    parts = sorted(out.glob("part-*"))
    assert len(parts) == len(warcs)
    got = [json.loads(line) for part in parts for line in part.read_text().splitlines()]
    assert count == len(got)
    assert got == expected
    assert {r["source"]["url"] for r in got} == {
        f"https://news.example/{p.stem}" for p in CORPUS.glob("*.txt")
    }


def test_parquet_output_holds_the_same_records(spark, warcs, newsx_bin, tmp_path):
    expected = run_newsx(newsx_bin, ["extract", *warcs])
    out = tmp_path / "records.parquet"
    count = newsx_spark.extract_warcs(spark, warcs, out, format="parquet")
    assert count == len(expected)
    frame = spark.read.parquet(str(out))
    rows = {row["id"]: row for row in frame.collect()}
    assert set(rows) == {r["id"] for r in expected}
    for record in expected:
        row = rows[record["id"]]
        assert row["text"] == record["text"]
        assert row["source"]["url"] == record["source"]["url"]
        assert [e["name"] for e in row["entities"]] == [e["name"] for e in record["entities"]]
        assert [e["type"] for e in row["events"]] == [e["type"] for e in record["events"]]


def test_rules_compile_once_per_worker_process():
    assert newsx_spark._pipeline() is newsx_spark._pipeline()
    assert newsx_spark._pipeline(budget=5) is not newsx_spark._pipeline()


def test_unknown_format_is_refused(spark, warcs):
    with pytest.raises(ValueError, match="format"):
        newsx_spark.extract_warcs(spark, warcs, "/nonexistent", format="csv")
