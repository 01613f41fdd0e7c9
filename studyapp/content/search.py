"""Full-text search over notes, their sections, cards, questions and calculators.

Every word must match (the last one as a prefix, so results come as you type); when no entry has
them all, entries with any of them are ranked instead, and the page says so. Stop words ("vs", "the")
are dropped when other words remain. A query that finds nothing gets a "Did you mean …?" from the
course's own words.

SQLite uses the FTS5 table ``content_searchentry_fts`` (bm25 ranking, ``snippet()``); PostgreSQL uses
``search_vector`` with its GIN index (``ts_rank``, ``ts_headline``). Both indexes are kept by triggers
created in the migrations. User text never reaches SQL unescaped: it is cut into word tokens, and each
token is quoted (FTS5) or reduced to letters and digits (tsquery).
"""

import difflib
import html
import json
import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, F, FloatField, Max, Q, Value, When

from studyapp.questions.models import Status

from .models import SearchEntry
from .parsing.types import BEYOND_EXAM

PAGE_SIZE = 10
MAX_PAGES = 25
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)
START, STOP = "\ue010", "\ue011"  # highlight markers: private-use characters, escaped around
# Words too common to narrow a search; a comparison's "vs" above all ("ECS vs Fargate").
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "vs",
        "versus",
        "what",
        "when",
        "which",
        "who",
        "why",
        "with",
    }
)
_READ_FIRST = ("note", "calculator")  # ranked half again above cards and questions: what a learner opens first
_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    kind: str
    title: str
    note_title: str  # the note it belongs to, for context
    url: str
    snippet_html: str  # escaped text with <mark> around the matched words
    beyond_exam: bool = False  # a question tagged beyond-exam: the page says so


@dataclass(frozen=True, slots=True, kw_only=True)
class Results:
    query: str
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    truncated: bool  # the query was cut to MAX_QUERY_LENGTH / MAX_TERMS
    page: int = 1
    has_next: bool = False
    any_word: bool = False  # no entry has every word: these have some of them
    suggestion: str = ""  # not every word found: the query with each unknown word replaced by the closest course word

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
    kept = [w for w in words if w not in STOP_WORDS] or words  # a query of stop words only keeps them
    return tuple(kept[:MAX_TERMS]), len(query) > MAX_QUERY_LENGTH or len(kept) > MAX_TERMS


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
    hits = finder(terms, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE, every=True)
    any_word = False
    if not hits and len(terms) > 1 and (page == 1 or not finder(terms, 1, 0, every=True)):
        hits, any_word = finder(terms, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE, every=False), True
    return Results(
        query=query,
        terms=terms,
        hits=tuple(hits[:PAGE_SIZE]),
        truncated=truncated,
        page=page,
        has_next=len(hits) > PAGE_SIZE and page < MAX_PAGES,
        any_word=any_word and bool(hits),
        suggestion="" if (hits and not any_word) or page > 1 else suggest(terms, vocabulary()),
    )


def suggest(terms: tuple[str, ...], words: frozenset[str]) -> str:
    """``terms`` with each word the course does not use replaced by the closest one it does (difflib's
    ratio of at least 0.75); "" when every word is known or none has a close match."""
    if not words:
        return ""
    ordered = sorted(words)
    fixed = []
    for term in terms:
        known = term in words or any(w.startswith(term) for w in ordered)  # the start of a word counts: results come as you type
        close = [] if known else difflib.get_close_matches(term, ordered, n=1, cutoff=0.75)
        fixed.append(close[0] if close else term)
    return " ".join(fixed) if tuple(fixed) != terms else ""


_vocabulary: tuple[tuple[object, ...], frozenset[str]] = ((), frozenset())


def vocabulary() -> frozenset[str]:
    """The words of every search entry, lower-cased (3 letters or more): the course's own vocabulary.
    Kept per process and built again when the entries change (entries are rebuilt, never edited in place,
    so their count and highest id tell)."""
    global _vocabulary
    stamp = tuple(SearchEntry.objects.aggregate(n=Count("id"), last=Max("id")).values())
    if _vocabulary[0] != stamp:
        words: set[str] = set()
        for title, body in SearchEntry.objects.filter(note__retired_at__isnull=True).values_list("title", "body").iterator():
            words.update(w.lower() for w in _VOCABULARY_WORD.findall(f"{title} {body}"))
        _vocabulary = (stamp, frozenset(words))
    return _vocabulary[1]


def _search_sqlite(terms: tuple[str, ...], limit: int, offset: int, *, every: bool) -> list[Hit]:
    # A match in the title counts ten times one in the body, and notes and calculators (what a learner
    # opens first, _READ_FIRST) get a further half again. Each term becomes a quoted FTS5 string ("" escapes a quote); the last one
    # matches as a prefix. Every term must match, or (every=False) any of them: bm25 ranks entries with more first.
    quoted = ['"{}"'.format(t.replace('"', '""')) for t in terms]
    quoted[-1] += "*"
    match = (" " if every else " OR ").join(quoted)
    sql = f"""
        SELECT e.kind, e.title, n.title, e.url,
               snippet(content_searchentry_fts, 1, '{START}', '{STOP}', ' … ', 24), q.tags
        FROM content_searchentry_fts
        JOIN content_searchentry e ON e.id = content_searchentry_fts.rowid
        LEFT JOIN content_note n ON n.id = e.note_id
        LEFT JOIN content_question q ON q.id = e.question_id
        WHERE content_searchentry_fts MATCH %s AND n.retired_at IS NULL AND (q.id IS NULL OR q.status = 'published')
        ORDER BY bm25(content_searchentry_fts, 10.0, 1.0) * CASE WHEN e.kind IN ('note', 'calculator') THEN 1.5 ELSE 1.0 END,
                 e.id
        LIMIT %s OFFSET %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, limit, offset])
        rows = cursor.fetchall()
    return [
        Hit(kind=k, title=t, note_title=n, url=u, snippet_html=highlight(s), beyond_exam=_beyond(json.loads(tags) if tags else None))
        for k, t, n, u, s, tags in rows
    ]


def _search_postgres(terms: tuple[str, ...], limit: int, offset: int, *, every: bool) -> list[Hit]:
    cleaned = [re.sub(r"[^\w]", "", t) for t in terms]
    raw = (" & " if every else " | ").join(f"{t}:*" if i == len(cleaned) - 1 else t for i, t in enumerate(cleaned) if t)
    query = SearchQuery(raw, search_type="raw", config="english")
    rows = (
        SearchEntry.objects.filter(search_vector=query, note__retired_at__isnull=True)
        .filter(Q(question__isnull=True) | Q(question__status=Status.PUBLISHED))
        .annotate(
            rank=SearchRank(F("search_vector"), query)
            * Case(When(kind__in=_READ_FIRST, then=Value(1.5)), default=Value(1.0), output_field=FloatField()),
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
        .values_list("kind", "title", "note__title", "url", "snippet", "question__tags")[offset : offset + limit]
    )
    return [Hit(kind=k, title=t, note_title=n, url=u, snippet_html=highlight(s), beyond_exam=_beyond(tags)) for k, t, n, u, s, tags in rows]


def _beyond(tags: object) -> bool:
    """Whether a hit's question tags (a list, or None for a hit that is no question) hold beyond-exam."""
    return isinstance(tags, list) and BEYOND_EXAM in tags
