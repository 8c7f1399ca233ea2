"""Articles given from Python, written as the JSON lines newsx reads."""

import datetime
import json


def _iso(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def article_line(article):
    """One article as a JSONL line: a dict is written with json.dumps (dates
    and datetimes as ISO 8601); a str or bytes is taken as a line already."""
    if isinstance(article, (str, bytes)):
        return article
    return json.dumps(article, default=_iso, allow_nan=False)
