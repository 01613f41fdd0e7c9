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
from django.db.models import F, Q

from studyapp.questions.models import Status

from .models import SearchEntry

PAGE_SIZE = 10
MAX_PAGES = 25
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
START, STOP = "\ue010", "\ue011"  # highlight markers: private-use characters, escaped around


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    kind: str
    title: str
    note_title: str  # the note it belongs to, for context
    url: str
    snippet_html: str  # escaped text with <mark> around the matched words


@dataclass(frozen=True, slots=True, kw_only=True)
class Results:
    query: str
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    truncated: bool  # the query was cut to MAX_QUERY_LENGTH / MAX_TERMS
    page: int = 1
    has_next: bool = False

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.hits) - 1


def terms_of(query: str) -> tuple[tuple[str, ...], bool]:
    """The words searched for, lower-cased, at most MAX_TERMS of them."""
    clipped = query[:MAX_QUERY_LENGTH]
    words = [w.lower() for w in _WORD.findall(clipped)]
    return tuple(words[:MAX_TERMS]), len(query) > MAX_QUERY_LENGTH or len(words) > MAX_TERMS


def highlight(marked: str) -> str:
    """Escape a snippet and turn the private-use markers into <mark> elements."""
    return html.escape(marked).replace(START, "<mark>").replace(STOP, "</mark>")


def search(query: str, *, page: int = 1) -> Results:
    """Rank entries of live notes against ``query``; every word must match (the last one as a prefix).

    Returns one page of PAGE_SIZE hits; ``page`` is clamped to 1..MAX_PAGES.
    """
    terms, truncated = terms_of(query)
    page = min(max(page, 1), MAX_PAGES)
    if not terms:
        return Results(query=query, terms=(), hits=(), truncated=truncated)
    finder = _search_postgres if connection.vendor == "postgresql" else _search_sqlite
    hits = finder(terms, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    return Results(
        query=query,
        terms=terms,
        hits=tuple(hits[:PAGE_SIZE]),
        truncated=truncated,
        page=page,
        has_next=len(hits) > PAGE_SIZE and page < MAX_PAGES,
    )


def _search_sqlite(terms: tuple[str, ...], limit: int, offset: int) -> list[Hit]:
    # A match in the title counts ten times one in the body, and notes (what a learner reads first) get
    # a further half again. Each term becomes a quoted FTS5 string ("" escapes a quote); the last one matches as a prefix.
    match = " ".join('"{}"'.format(t.replace('"', '""')) for t in terms) + "*"
    sql = f"""
        SELECT e.kind, e.title, n.title, e.url,
               snippet(content_searchentry_fts, 1, '{START}', '{STOP}', ' … ', 24)
        FROM content_searchentry_fts
        JOIN content_searchentry e ON e.id = content_searchentry_fts.rowid
        LEFT JOIN content_note n ON n.id = e.note_id
        LEFT JOIN content_question q ON q.id = e.question_id
        WHERE content_searchentry_fts MATCH %s AND n.retired_at IS NULL AND (q.id IS NULL OR q.status = 'published')
        ORDER BY bm25(content_searchentry_fts, 10.0, 1.0) * CASE e.kind WHEN 'note' THEN 1.5 ELSE 1.0 END,
                 e.id
        LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, limit, offset])
        rows = cursor.fetchall()
    return [Hit(kind=k, title=t, note_title=n, url=u, snippet_html=highlight(s)) for k, t, n, u, s in rows]


def _search_postgres(terms: tuple[str, ...], limit: int, offset: int) -> list[Hit]:
    cleaned = [re.sub(r"[^\w]", "", t) for t in terms]
    raw = " & ".join(f"{t}:*" if i == len(cleaned) - 1 else t for i, t in enumerate(cleaned) if t)
    query = SearchQuery(raw, search_type="raw", config="english")
    rows = (
        SearchEntry.objects.filter(search_vector=query, note__retired_at__isnull=True)
        .filter(Q(question__isnull=True) | Q(question__status=Status.PUBLISHED))
        .annotate(
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(
                "body",
                query,
                config="english",
                start_sel=START,
                stop_sel=STOP,
                max_words=30,
                min_words=12,
                short_word=2,  # type: ignore[arg-type]  # django-stubs says str; ShortWord is a length in characters
                fragment_delimiter=" … ",
                max_fragments=2,
            ),
        )
        .order_by("-rank", "id")
        .values_list("kind", "title", "note__title", "url", "snippet")[offset : offset + limit]
    )
    return [Hit(kind=k, title=t, note_title=n, url=u, snippet_html=highlight(s)) for k, t, n, u, s in rows]
