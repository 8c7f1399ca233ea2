"""newsx: rule-based news-article extraction.

    >>> import newsx
    >>> p = newsx.Pipeline()
    >>> record = p.extract("Apple sued Samsung on Monday.", published="2021-01-14")
    >>> [e["name"] for e in record["entities"]]
    ['Apple', 'Samsung']

A record is the dict `newsx extract` writes as one JSON line (schema
`newsx/1`, see `newsx schema`). The rules are compiled once per Pipeline;
extraction runs with the GIL released.
"""

import json
import os

from . import _native

__all__ = ["Pipeline", "__version__"]
__version__ = _native.__version__


class Pipeline:
    """The compiled rules of every stage.

    rules: a folder of rule files extending the built-in ones (as
    `newsx extract --rules DIR`); dct: fallback publication date
    ("YYYY-MM-DD"); budget: seconds one document may take (0: no limit);
    emit_tokens: add the clause analysis as "parse" (`--emit tokens`).
    """

    def __init__(self, rules=None, dct=None, budget=60.0, emit_tokens=False):
        rules = None if rules is None else str(rules)
        self._native = _native.Pipeline(rules, dct, float(budget), bool(emit_tokens))

    @property
    def producer(self):
        """The newsx version and rule hash that every record carries."""
        return json.loads(self._native.producer_json())

    def extract(self, text=None, *, html=None, published=None, url=None, id=None, title=None):
        """The record of one article, given as text or HTML.

        Bad input (no text nor HTML, say) gives a record with "errors", as on
        the command line, not an exception. Without id, the record's id is
        "-:1", as for the first line of standard input.
        """
        if published is not None and not isinstance(published, str):
            published = published.isoformat()
        return json.loads(
            self._native.extract_json(
                text, html=html, published=published, url=url, id=id, title=title
            )
        )

    def extract_many(self, articles, threads=None, *, text_key="text", html_key="html",
                     id_key="id", date_key="published", url_key="url"):
        """Records of an iterable of articles, yielded in input order.

        Each article is a dict with the fields of newsx's JSONL input ("id",
        "text" or "html", "published", "url", "title"; other fields go to
        the record's "meta"), or a str/bytes JSON line. The *_key arguments
        rename fields, as --text-key etc. do. threads: worker threads
        (default: all cores). One record per article: a bad article gives a
        record with "errors"; an exception raised by the iterable itself is
        raised after the records of the articles before it.
        """
        records = self._native.extract_many_json(
            articles, threads, text_key=text_key, html_key=html_key, id_key=id_key,
            date_key=date_key, url_key=url_key,
        )
        return _decoded(records)

    def extract_files(self, paths, threads=None):
        """Records of files, folders, JSONL and WARC files (.warc, .warc.gz),
        as `newsx extract PATH...` writes them, in the same order."""
        if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
            paths = [paths]
        records = self._native.extract_files_json([os.fsdecode(p) for p in paths], threads)
        return _decoded(records)


def _decoded(records):
    loads = json.loads
    for record in records:
        yield loads(record)
