"""The Python package gives the records `newsx extract` writes: same
fields, same values, in input order at any thread count; bad input gives an
error record, as on the command line."""

import datetime
import threading
import time

import pytest

import newsx
from conftest import CORPUS, jsonl, run_newsx


@pytest.fixture(scope="module")
def pipeline():
    return newsx.Pipeline()


def test_extract_many_equals_the_command_line_on_the_corpus(pipeline, newsx_bin, corpus_articles):
    expected = run_newsx(newsx_bin, ["extract", "-j", "2", "-"], jsonl(corpus_articles))
    got = list(pipeline.extract_many(corpus_articles, threads=2))
    assert [r["id"] for r in got] == [a["id"] for a in corpus_articles]
    for want, have in zip(expected, got):
        assert have == want, want["id"]
    assert any(r["entities"] for r in got) and any(r["events"] for r in got)


def test_extract_equals_the_command_line_article_by_article(pipeline, newsx_bin, corpus_articles):
    for article in corpus_articles[:4]:
        (expected,) = run_newsx(newsx_bin, ["extract", "-"], jsonl([article]))
        got = pipeline.extract(
            article["text"],
            id=article["id"],
            published=article.get("published"),
            url=article.get("url"),
            title=article.get("title"),
        )
        assert got == expected, article["id"]


def test_extract_files_equals_the_command_line_on_the_corpus_folder(pipeline, newsx_bin):
    expected = run_newsx(newsx_bin, ["extract", str(CORPUS)])
    assert list(pipeline.extract_files(CORPUS, threads=2)) == expected


def test_order_is_kept_at_any_thread_count(pipeline, corpus_articles):
    articles = [
        dict(a, id=f"{a['id']}#{n}") for n in range(6) for a in corpus_articles
    ]
    one = list(pipeline.extract_many(articles, threads=1))
    four = list(pipeline.extract_many(iter(articles), threads=4))
    assert [r["id"] for r in four] == [a["id"] for a in articles]
    assert four == one


def test_records_carry_the_producer(pipeline):
    record = pipeline.extract("Huawei said on Monday it would appeal.")
    assert record["producer"] == pipeline.producer
    assert record["producer"]["version"] == newsx.__version__
    assert record["id"] == "-:1"


def test_bad_articles_give_error_records_like_the_command_line(pipeline, newsx_bin):
    lines = [
        {"id": "good", "text": "Xiaomi sued the Pentagon on Friday."},
        42,
        "not json",
        {"id": "no-body", "title": "Only a title"},
        {"id": "odd-date", "text": "Nothing happened.", "published": 20210114},
    ]
    as_jsonl = b"".join(
        (line if isinstance(line, str) else __import__("json").dumps(line)).encode() + b"\n"
        for line in lines
    )
    expected = run_newsx(newsx_bin, ["extract", "-"], as_jsonl)
    got = list(pipeline.extract_many(lines))
    assert got == expected
    assert not got[0]["errors"]
    assert "malformed JSON" in got[1]["errors"][0]["message"]
    assert "malformed JSON" in got[2]["errors"][0]["message"]
    assert "neither" in got[3]["errors"][0]["message"]
    assert "not a string" in got[4]["warnings"][0]["message"]


def test_unwritable_articles_and_missing_bodies_are_error_records(pipeline):
    got = list(
        pipeline.extract_many(
            [
                {"id": "a", "text": "x", "extra": object()},
                {"id": "b", "text": float("nan")},
                {"id": "c", "text": "Talks began on Monday.", "published": datetime.date(2021, 1, 14)},
            ]
        )
    )
    assert len(got) == 3
    assert "article cannot be read" in got[0]["errors"][0]["message"]
    assert "article cannot be read" in got[1]["errors"][0]["message"]
    assert not got[2]["errors"]
    assert got[2]["published"]["value"].startswith("2021-01-14")
    record = pipeline.extract(id="empty")
    assert record["id"] == "empty" and "neither" in record["errors"][0]["message"]


def test_an_exception_of_the_iterable_comes_after_the_records_before_it(pipeline):
    def articles():
        yield {"id": "1", "text": "One."}
        yield {"id": "2", "text": "Two."}
        raise RuntimeError("source failed")

    got = []
    with pytest.raises(RuntimeError, match="source failed"):
        for record in pipeline.extract_many(articles(), threads=2):
            got.append(record["id"])
    assert got == ["1", "2"]


def test_an_abandoned_run_stops_reading(pipeline):
    read = []

    def articles():
        for n in range(100_000):
            read.append(n)
            yield {"id": str(n), "text": "Short text."}

    records = pipeline.extract_many(articles(), threads=2)
    assert next(records)["id"] == "0"
    records.close()
    del records
    time.sleep(0.5)
    seen = len(read)
    time.sleep(0.5)
    assert len(read) == seen < 100_000


def test_a_single_article_or_a_dict_is_refused_by_extract_many(pipeline):
    with pytest.raises(TypeError):
        pipeline.extract_many({"id": "a", "text": "x"})


def test_extraction_releases_the_gil(pipeline, corpus_articles):
    text = "\n".join(a["text"] for a in corpus_articles) * 8
    stamps, stop = [], threading.Event()

    def tick():
        while not stop.is_set():
            stamps.append(time.monotonic())
            time.sleep(0.001)

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        start = time.monotonic()
        pipeline.extract(text)
        end = time.monotonic()
    finally:
        stop.set()
        ticker.join()
    during = [t for t in stamps if start < t < end]
    assert end - start > 0.05, "document too small to tell"
    assert len(during) >= 3, f"{len(during)} ticks in {end - start:.3f} s"


def test_user_rules_and_bad_options(tmp_path):
    with pytest.raises(ValueError, match="rules"):
        newsx.Pipeline(rules=tmp_path / "missing")
    with pytest.raises(ValueError, match="dct"):
        newsx.Pipeline(dct="14/01/2021")
    dated = newsx.Pipeline(dct="2021-01-14").extract("Talks resumed on Monday.")
    assert dated["published"]["value"] == "2021-01-14"
