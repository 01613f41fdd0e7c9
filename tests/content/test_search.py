"""Full-text search: ranked, highlighted, escaped, and friendly with odd input (SQLite FTS5 and PostgreSQL)."""

from pathlib import Path

import pytest

from studyapp.content.search import MAX_TERMS, search, terms_of

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_course(db):
    """The course in the repository, loaded."""
    from studyapp.content.loader import load
    from studyapp.content.sync import sync_content
    from tests.conftest import NOW

    result = load(ROOT / "content")
    assert result.ok, result.problems
    sync_content(result, now=NOW)


def test_finds_notes_cards_and_questions_with_highlights(demo_course):
    results = search("containers")  # a question is found by its stem, which does not name Fargate
    kinds = {hit.kind for hit in results.hits}
    assert kinds >= {"note", "question", "card"}
    assert all("<mark>" in hit.snippet_html for hit in results.hits if hit.kind != "section")  # a section may match by its title
    assert results.hits[0].url.startswith("/courses/demo/containers/")


def test_every_word_must_match_and_the_last_is_a_prefix(demo_course):
    assert search("serverl").hits  # as you type
    assert search("fargate zebra").any_word  # no entry has both: ranked by either (see test_any_word_ranking_…)


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


def test_snippets_carry_no_heading_anchor(real_course):
    snippets = " ".join(hit.snippet_html for page in (1, 2, 3) for hit in search("fargate", page=page).hits)
    assert "#" not in snippets.replace("&#x27;", "").replace("&#39;", ""), snippets


def test_stop_words_are_dropped_when_other_words_remain():
    assert terms_of("ECS vs Fargate")[0] == ("ecs", "fargate")
    assert terms_of("what is the price of lambda")[0] == ("price", "lambda")
    assert terms_of("vs")[0] == ("vs",)  # nothing else to look for: keep it


def test_ecs_vs_fargate_finds_the_notes(real_course):
    results = search("ECS vs Fargate")
    assert results.hits and not results.any_word
    assert any("/fargate/" in hit.url for hit in results.hits[:5])


def test_any_word_ranking_when_no_entry_has_every_word(demo_course):
    results = search("fargate zebra")
    assert results.any_word and results.hits
    assert all("zebra" not in hit.snippet_html for hit in results.hits)
    assert "fargate" in results.hits[0].snippet_html.lower()


def test_a_misspelling_gets_a_suggestion_from_the_courses_words(real_course):
    results = search("lamda")
    assert not results.hits
    assert results.suggestion == "lambda"
    assert search("lambda").suggestion == ""
    assert search("lamda pricing").suggestion == "lambda pricing"


def test_nothing_close_gives_no_suggestion(demo_course):
    assert search("qqqqzzzz").suggestion == ""


def test_lambda_pricing_finds_the_pricing_section_and_the_calculator(real_course):
    urls = [hit.url for hit in search("lambda pricing").hits]
    assert "/courses/compute/lambda/#pricing" in urls
    assert "/pricing/lambda/" in urls


def test_note_sections_and_calculators_are_entries_of_their_own(demo_course):
    hits = search("pricing").hits
    kinds = {hit.kind: hit for hit in hits}
    assert kinds["section"].url == "/courses/demo/functions/#pricing" and kinds["section"].title == "Functions \u203a Pricing"
    assert kinds["calculator"].url == "/pricing/lambda/" and "Lambda" in kinds["calculator"].title


def test_a_question_hit_shows_its_stem_once(client, real_course):
    body = client.get("/search/", {"q": "timeout error 29 seconds"}).content.decode()
    hit = body[body.index('<p class="hit-kind kind-question">') :]
    hit = hit[: hit.index("</li>")]
    assert hit.count("calling a REST API") == 1, hit  # the stem is the link, not also a snippet under it
    assert "<mark>timeout</mark>" in hit


def test_a_beyond_exam_question_found_by_search_is_badged(client, demo_course):
    from studyapp.questions import services as question_services
    from studyapp.questions.models import Question

    question = Question.objects.get(source_key="demo-q-two")
    question_services.update_details(question=question, tags=[*question.tags, "beyond-exam"])
    hits = {hit.url.rsplit("#", 1)[-1]: hit for hit in search("serverless").hits if hit.kind == "question"}
    assert hits["q-demo-q-two"].beyond_exam and not hits["q-demo-q-fargate"].beyond_exam
    body = client.get("/search/", {"q": "serverless"}).content.decode()
    assert body.count('<span class="mark-tag beyond-exam-tag">Beyond the exam</span>') == 1  # two questions found, one badged
