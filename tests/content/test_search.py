"""Full-text search: ranked, highlighted, escaped, and friendly with odd input (SQLite FTS5 and PostgreSQL)."""

import pytest

from studyapp.content.search import MAX_TERMS, search, terms_of

pytestmark = pytest.mark.django_db


def test_finds_notes_cards_and_questions_with_highlights(demo_course):
    results = search("fargate")
    kinds = {hit.kind for hit in results.hits}
    assert kinds == {"note", "question", "card"}
    assert all("<mark>" in hit.snippet_html for hit in results.hits)
    assert results.hits[0].url.startswith("/courses/demo/containers/")


def test_every_word_must_match_and_the_last_is_a_prefix(demo_course):
    assert search("serverl").hits  # as you type
    assert not search("fargate zebra").hits


def test_stemming_matches_other_forms_of_a_word(demo_course):
    assert search("containers").hits and search("container").hits


def test_title_matches_rank_above_body_matches(demo_course):
    hits = search("functions").hits
    assert hits[0].title in {"Functions", "More about functions"}


def test_retired_notes_are_not_found(demo_course):
    from studyapp.content.models import Note
    from tests.conftest import NOW

    Note.objects.filter(slug="more-functions").update(retired_at=NOW)
    assert all("more-functions" not in hit.url for hit in search("fifteen minutes").hits)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "*",
        "fargate*",
        '"fargate',
        "NEAR(fargate lambda)",
        "fargate OR",
        "AND",
        "-fargate",
        "col:fargate",
        "^fargate",
        "fargate)",
        "(((",
        "%",
        "_",
        "\\",
        "\x00",
        "🙂",
        "<script>alert(1)</script>",
        "x" * 5000,
        "a " * 500,
    ],
)
def test_odd_queries_never_fail(demo_course, query):
    results = search(query)
    assert isinstance(results.hits, tuple)


def test_markup_in_content_is_escaped_in_snippets(demo_course):
    from studyapp.content.models import SearchEntry

    entry = SearchEntry.objects.filter(kind="note").first()
    entry.body = "<img src=x onerror=alert(1)> fargate"
    entry.save()
    snippets = " ".join(hit.snippet_html for hit in search("onerror").hits)
    assert "<img" not in snippets and "<mark>onerror</mark>" in snippets


def test_pages_do_not_overlap(demo_course, monkeypatch):
    from studyapp.content import search as module

    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    first, second = search("fargate", page=1), search("fargate", page=2)
    assert first.has_next and len(first.hits) == 2
    assert not {h.url + h.snippet_html for h in first.hits} & {h.url + h.snippet_html for h in second.hits}


def test_long_queries_are_cut_to_a_few_words():
    terms, truncated = terms_of("word " * 50)
    assert len(terms) == MAX_TERMS and truncated


def test_postgres_keeps_a_gin_indexed_search_vector(demo_course):
    from django.db import connection

    from studyapp.content.models import SearchEntry

    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:  # SQLite: the FTS5 table mirrors the entries
            cursor.execute("SELECT count(*) FROM content_searchentry_fts")
            assert cursor.fetchone()[0] == SearchEntry.objects.count()
        return
    assert not SearchEntry.objects.filter(search_vector__isnull=True).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'content_searchentry_vector_gin'")
        assert "gin (search_vector)" in cursor.fetchone()[0]
