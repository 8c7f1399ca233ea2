"""Shared fixtures: the corpus as articles, and the newsx binary whose
records the package must reproduce."""

import json
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def newsx_bin():
    """The command-line binary: $NEWSX_BIN, or the repository's debug build."""
    if os.environ.get("NEWSX_BIN"):
        return os.environ["NEWSX_BIN"]
    subprocess.run(["cargo", "build", "--quiet", "--bin", "newsx"], cwd=REPO, check=True)
    return str(REPO / "target" / "debug" / "newsx")


def run_newsx(newsx_bin, args, stdin=b""):
    """The records `newsx ARGS` writes, as dicts."""
    out = subprocess.run(
        [newsx_bin, *args], input=stdin, capture_output=True, check=False, timeout=300
    )
    assert out.returncode in (0, 1), out.stderr.decode()
    return [json.loads(line) for line in out.stdout.decode().splitlines()]


def jsonl(articles):
    return "".join(json.dumps(a) + "\n" for a in articles).encode()


@pytest.fixture(scope="session")
def corpus_articles():
    """Every corpus article as a JSONL-input dict; every other one dated and
    with a URL, so that both paths of the date logic are taken."""
    articles = []
    for i, path in enumerate(sorted(CORPUS.glob("*.txt"))):
        article = {"id": path.stem, "text": path.read_text(encoding="utf-8")}
        if i % 2 == 0:
            article["published"] = "2021-01-14"
            article["url"] = f"https://news.example/{path.stem}"
            article["title"] = f"Article {i}"
        articles.append(article)
    assert len(articles) >= 8
    return articles
