#!/usr/bin/env python3
"""Side-by-side comparison of HTML extraction on WCXB-style folders.

Scores newsx, trafilatura and htmldate on the same pages with the same
metrics as `newsx eval wcxb`: main-text 4-gram F1 (article-extraction-
benchmark), title exact match and publication-date accuracy. Not needed by
the tests; run it by hand (`pip install trafilatura htmldate`).

Usage: compare_html.py DIR NEWSX_BINARY [--list]
  DIR has html/NNNN.html.gz and ground-truth/NNNN.json.
  --list prints every page whose date or title newsx gets wrong.
"""
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

TOKEN = re.compile(r"\w+")


def shingles(text, n=4):
    toks = TOKEN.findall(text or "")
    out = Counter()
    for i in range(max(1, len(toks) - n + 1)):
        sh = tuple(toks[i:i + n])
        if sh:
            out[sh] += 1
    return out


def match(pred, gold):
    p, g = shingles(pred), shingles(gold)
    tp = sum((p & g).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0.0, 0.0, 0.0)


def prf(rows):
    def prec(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fp == 0 else tp / (tp + fp)

    def rec(tp, fp, fn):
        return 1.0 if fp == fn == 0 else 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(prec(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(rec(*r) for r in rows if r[0] + r[2] > 0)
    return p, r, 2 * p * r / (p + r)


def norm(s):
    s = (s or "").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(s.replace("\u201c", '"').replace("\u201d", '"').split()).lower()


def newsx_records(binary, pages):
    with tempfile.TemporaryDirectory() as tmp:
        for stem, html in pages.items():
            Path(tmp, stem + ".html").write_text(html)
        out = subprocess.run([binary, "extract", tmp], capture_output=True, text=True).stdout
    recs = {}
    for line in out.splitlines():
        r = json.loads(line)
        stem = Path(r["source"]["path"]).name.split(".")[0]
        recs[stem] = r
    return recs


def main():
    folder, binary = Path(sys.argv[1]), sys.argv[2]
    import trafilatura
    from htmldate import find_date

    pages, gold = {}, {}
    for f in sorted((folder / "html").glob("*.html.gz")):
        stem = f.name.split(".")[0]
        pages[stem] = gzip.open(f).read().decode("utf-8", "replace")
        g = json.loads((folder / "ground-truth" / (stem + ".json")).read_text())
        gold[stem] = (g.get("ground_truth", g), g.get("url"))
    ours = newsx_records(binary, pages)
    rows = {"newsx": [], "trafilatura": []}
    titles = Counter()
    dates = Counter()
    for stem, html in pages.items():
        g, url = gold[stem]
        r = ours.get(stem, {})
        meta = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        meta = meta.as_dict() if hasattr(meta, "as_dict") else (meta or {})
        if g.get("main_content"):
            rows["newsx"].append(match(r.get("text", ""), g["main_content"]))
            rows["trafilatura"].append(match(meta.get("text") or "", g["main_content"]))
        if g.get("title"):
            titles["pages"] += 1
            titles["newsx"] += norm(r.get("title")) == norm(g["title"])
            titles["trafilatura"] += norm(meta.get("title")) == norm(g["title"])
            if "--list" in sys.argv and norm(r.get("title")) != norm(g["title"]):
                print(f"title {stem}: got {r.get('title')!r} want {g['title']!r}")
        if g.get("publish_date"):
            want = g["publish_date"][:10]
            got = ((r.get("published") or {}).get("value") or "")[:10]
            hd = find_date(html, url=url, original_date=True, extensive_search=True) or ""
            dates["pages"] += 1
            dates["newsx"] += got == want
            dates["htmldate"] += hd[:10] == want
            dates["trafilatura"] += (meta.get("date") or "")[:10] == want
            if "--list" in sys.argv and got != want:
                print(f"date {stem}: got {got!r} want {want!r} htmldate {hd!r} url {url}")
    for name, r in rows.items():
        p, rr, f = prf(r)
        print(f"{name:12} body 4-gram P {p:.3f} R {rr:.3f} F1 {f:.3f}")
    for name in ("newsx", "trafilatura"):
        print(f"{name:12} title exact {titles[name] / titles['pages']:.3f} ({titles[name]}/{titles['pages']})")
    for name in ("newsx", "htmldate", "trafilatura"):
        print(f"{name:12} date right {dates[name] / dates['pages']:.3f} ({dates[name]}/{dates['pages']})")


if __name__ == "__main__":
    main()
