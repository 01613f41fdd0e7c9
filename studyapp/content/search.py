"""Full-text search over notes, cards and questions.

SQLite uses the FTS5 table ``content_searchentry_fts`` (bm25 ranking, ``snippet()``); PostgreSQL uses
``search_vector`` with its GIN index (``ts_rank``, ``ts_headline``). Both indexes are kept by triggers
created in the migrations. User text never reaches SQL unescaped: it is cut into word tokens, and each
token is quoted (FTS5) or reduced to letters and digits (tsquery).
"""

import html
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F

from .models import SearchEntry

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
START, STOP = "\ue010", "\ue011"  # highlight markers: private-use characters, escaped around


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    kind: str
    title: str
    url: str
    snippet_html: str  # escaped text with <mark> around the matched words


@dataclass(frozen=True, slots=True, kw_only=True)
class Results:
    query: str
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    truncated: bool  # the query was cut to MAX_QUERY_LENGTH / MAX_TERMS


def terms_of(query: str) -> tuple[tuple[str, ...], bool]:
    """The words searched for, lower-cased, at most MAX_TERMS of them."""
    clipped = query[:MAX_QUERY_LENGTH]
    words = [w.lower() for w in _WORD.findall(clipped)]
    return tuple(words[:MAX_TERMS]), len(query) > MAX_QUERY_LENGTH or len(words) > MAX_TERMS


def highlight(marked: str) -> str:
    """Escape a snippet and turn the private-use markers into <mark> elements."""
    return html.escape(marked).replace(START, "<mark>").replace(STOP, "</mark>")


def search(query: str, *, limit: int = 30) -> Results:
    """Rank entries of live notes against ``query``; every word must match (the last one as a prefix)."""
    terms, truncated = terms_of(query)
    if not terms:
        return Results(query=query, terms=(), hits=(), truncated=truncated)
    finder = _search_postgres if connection.vendor == "postgresql" else _search_sqlite
    return Results(query=query, terms=terms, hits=tuple(finder(terms, limit)), truncated=truncated)


def _search_sqlite(terms: tuple[str, ...], limit: int) -> list[Hit]:
    # Each term becomes a quoted FTS5 string ("" escapes a quote); the last one matches as a prefix.
    match = " ".join('"{}"'.format(t.replace('"', '""')) for t in terms) + "*"
    sql = f"""
        SELECT e.kind, e.title, e.url,
               snippet(content_searchentry_fts, 1, '{START}', '{STOP}', ' … ', 24)
        FROM content_searchentry_fts
        JOIN content_searchentry e ON e.id = content_searchentry_fts.rowid
        JOIN content_note n ON n.id = e.note_id
        WHERE content_searchentry_fts MATCH %s AND n.retired_at IS NULL
        ORDER BY bm25(content_searchentry_fts, 4.0, 1.0),
                 CASE e.kind WHEN 'note' THEN 0 WHEN 'card' THEN 1 ELSE 2 END, e.id
        LIMIT %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, limit])
        rows = cursor.fetchall()
    return [Hit(kind=k, title=t, url=u, snippet_html=highlight(s)) for k, t, u, s in rows]


def _search_postgres(terms: tuple[str, ...], limit: int) -> list[Hit]:
    cleaned = [re.sub(r"[^\w]", "", t) for t in terms]
    raw = " & ".join(f"{t}:*" if i == len(cleaned) - 1 else t for i, t in enumerate(cleaned) if t)
    query = SearchQuery(raw, search_type="raw", config="english")
    rows = (
        SearchEntry.objects.filter(search_vector=query, note__retired_at__isnull=True)
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(
                "body", query, config="english", start_sel=START, stop_sel=STOP,
                max_words=30, min_words=12, short_word=2, fragment_delimiter=" … ", max_fragments=2,
            ),
        )  # fmt: skip
        .order_by("-rank", "id")
        .values_list("kind", "title", "url", "snippet")[:limit]
    )
    return [Hit(kind=k, title=t, url=u, snippet_html=highlight(s)) for k, t, u, s in rows]
