"""Notes pages and search, as a visitor sees them, with and without htmx."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects, assertTemplateNotUsed, assertTemplateUsed

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def test_course_home_lists_topics_in_order_with_summaries(client, demo_course):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("Containers") < body.index("Functions")
    assertContains(response, "Boxes for software.")
    assertContains(response, "3 flashcards")  # basic + two cloze cards in the containers topic
    assertNotContains(response, "notes read")


def test_course_home_shows_progress_once_logged_in(client, demo_course):
    user = UserFactory()
    client.force_login(user)
    client.post("/courses/demo/functions/read/")  # reaching its end or "Mark as read" counts, not opening it
    response = client.get(reverse("content:course", args=["demo"]))
    assertContains(response, "1 of 2 notes read")
    assertContains(response, "0 of 1 note read")


PANELS = {  # lazy panel: (its URL, as in hx-get and in the href twin)
    "readiness-panel": "/quiz/panels/readiness/",
    "recall-panel": "/study/panels/recall/?course=demo",
}


@pytest.mark.parametrize(("panel", "url"), PANELS.items())
def test_course_home_lazy_loads_the_learners_panels_with_a_link_twin(client, demo_course, panel, url):
    client.force_login(UserFactory())
    response = client.get("/courses/demo/")
    placeholder = re.search(rf'<div id="{panel}"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert placeholder, f"no {panel} placeholder"
    assert f'hx-get="{url}"' in placeholder[0] and 'hx-trigger="revealed"' in placeholder[0] and 'hx-swap="outerHTML"' in placeholder[0]
    assert f'href="{url}"' in placeholder[1]  # without JavaScript, the link is the panel
    assert client.get(url).status_code == 200


def test_course_home_has_no_panels_for_a_visitor(client, demo_course):
    body = client.get("/courses/demo/").content.decode()
    assert "/panels/" not in body and "revealed" not in body  # no lazy panel (the header search box has an hx-trigger of its own)


def test_course_home_reads_only_the_outline_for_a_learner(client, demo_course, django_assert_max_num_queries):
    """Recall and readiness left for their panels: the user, the course, then the outline's five reads
    (notes, notes read, cards, questions, topics). It was ten with both panels computed here; a
    visitor's page is five, as before."""
    with django_assert_max_num_queries(5):
        client.get("/")
    client.force_login(UserFactory())
    client.get("/")
    with django_assert_max_num_queries(7):
        response = client.get("/")
    assertContains(response, "0 of 1 note read")


def test_note_page_renders_markdown_toc_sources_and_neighbours(client, demo_course):
    response = client.get("/courses/demo/containers/")
    assert response.status_code == 200
    assertTemplateUsed(response, "content/note.html")
    assertContains(response, "<table>")
    assertContains(response, 'class="admonition tip"')
    assertContains(response, 'href="#images-and-registries"')  # table of contents
    assertContains(response, "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html")
    assertContains(response, "20 November 2026")
    assertContains(response, 'rel="next"')
    assertNotContains(response, 'rel="prev"')
    assertContains(response, "Show the answer")
    assertContains(response, "Domain 3: Cloud Technology and Services")


def test_code_is_highlighted_with_local_classes(client, demo_course):
    response = client.get("/courses/demo/more-functions/")
    assertContains(response, 'class="highlight"')
    assertContains(response, '<span class="mi">900</span>')
    assertContains(response, "/static/css/pygments.css")


def test_calculator_marker_shows_a_placeholder(client, demo_course):
    assertContains(client.get("/courses/demo/functions/"), "AWS Lambda pricing calculator")


def test_unknown_note_is_404(client, demo_course):
    assert client.get("/courses/demo/nothing-here/").status_code == 404
    assert client.get("/courses/nope/containers/").status_code == 404


def test_search_full_page_without_htmx(client, demo_course):
    response = client.get("/search/", {"q": "fargate"})
    assertTemplateUsed(response, "content/search.html")
    assertContains(response, "<html")
    assertContains(response, "<mark>Fargate</mark>", html=False)


def test_search_fragment_with_htmx(client, demo_course):
    response = client.get("/search/", {"q": "fargate"}, headers=HX)
    assertTemplateUsed(response, "results")  # Django names a rendered partial by its own name
    assertTemplateNotUsed(response, "base.html")
    body = response.content.decode()
    assert "<html" not in body and 'id="results"' in body and "<mark>" in body


def test_history_restore_gets_the_whole_page(client, demo_course):
    response = client.get("/search/", {"q": "fargate"}, headers=HX | {"HX-History-Restore-Request": "true"})
    assertContains(response, "<html")


@pytest.mark.parametrize(
    ("query", "text"), [("", "Type a word to search"), ("?!", "has no words to look for"), ("zebra", "Nothing matches")]
)
def test_search_is_friendly_with_empty_or_odd_queries(client, demo_course, query, text):
    assertContains(client.get("/search/", {"q": query}), text)


def test_search_escapes_the_query(client, demo_course):
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assertNotContains(response, "<script>alert(1)</script>", html=False)
    assertContains(response, "&lt;script&gt;")


def test_huge_query_is_shortened_with_a_notice(client, demo_course):
    response = client.get("/search/", {"q": "fargate " * 400})
    assertContains(response, "only its first 12 words were used")


def test_pages_are_public(client, demo_course):
    for url in ["/", "/courses/demo/", "/courses/demo/containers/", "/search/?q=x"]:
        assert client.get(url).status_code == 200, url


def test_search_pages_through_results_with_and_without_htmx(client, demo_course, monkeypatch):
    from studyapp.content import search

    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    first = client.get("/search/", {"q": "containers"})  # questions are found by their stems: "fargate" has 3 hits now
    assertContains(first, "2+ results")
    assertContains(first, 'href="?q=containers&amp;page=2"')
    second = client.get("/search/", {"q": "containers", "page": "2"}, headers=HX)
    assertContains(second, "Results 3–4")
    assertContains(second, 'rel="prev"')
    assert "<html" not in second.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999999999", "²", "1e9", ""])
def test_odd_page_numbers_are_clamped(client, demo_course, page):
    assert client.get("/search/", {"q": "fargate", "page": page}).status_code == 200


def test_note_page_is_one_query_for_a_visitor(client, demo_course, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/courses/demo/functions/")
    assertContains(response, 'rel="prev"')
    assertContains(response, "Containers in brief")
    assertContains(response, "More about functions")


def test_neighbours_skip_a_retired_note(client, demo_course, demo_root):
    from studyapp.content.loader import load
    from studyapp.content.sync import sync_content
    from tests.conftest import NOW

    (demo_root / "demo" / "02-functions.md").unlink()
    sync_content(load(demo_root), now=NOW)
    response = client.get("/courses/demo/containers/")
    assertContains(response, 'href="/courses/demo/more-functions/" rel="next"')


def test_search_varies_on_htmx_so_caches_keep_page_and_fragment_apart(client, demo_course):
    assert "HX-Request" in client.get("/search/", {"q": "x"}).headers["Vary"]


@pytest.mark.parametrize("url", ["/", "/courses/demo/", "/courses/demo/containers/"])
def test_pages_without_fragments_answer_htmx_with_the_whole_page(client, demo_course, url):
    response = client.get(url, headers=HX)
    assert response.status_code == 200
    assertContains(response, "<html")


def test_removed_course_is_retired_and_hidden(client, demo_course, demo_root):
    import shutil

    from studyapp.content.loader import load
    from studyapp.content.sync import sync_content
    from tests.conftest import NOW

    other = demo_root / "other"
    shutil.copytree(demo_root / "demo", other)
    for path in other.glob("*.md"):
        path.write_text(path.read_text().replace("[id:demo-", "[id:other-"))
    sync_content(load(demo_root), now=NOW)
    assertContains(client.get("/"), "Courses")  # two courses: the list
    shutil.rmtree(other)
    sync_content(load(demo_root), now=NOW)
    assert client.get("/courses/other/containers/").status_code == 404
    assertContains(client.get("/"), "Boxes for software.")  # one course again: its home


def test_breadcrumbs_do_not_repeat_a_note_titled_like_its_topic(client, demo_course):
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', client.get("/courses/demo/functions/").content.decode(), re.S).group(0)
    assert crumbs.count("Functions") == 1 and 'aria-current="page">Functions<' in crumbs
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', client.get("/courses/demo/containers/").content.decode(), re.S).group(0)
    assert "Containers</" in crumbs and "Containers in brief" in crumbs  # a different topic title stays


def test_exam_domains_are_tagged_in_the_exams_order(client, demo_course):
    body = client.get("/courses/demo/containers/").content.decode()  # written as [domain-3, domain-1]
    assert body.index("Domain 1: Cloud Concepts") < body.index("Domain 3: Cloud Technology and Services")


def test_search_says_when_it_ranks_by_any_word_and_suggests_a_spelling(client, demo_course):
    response = client.get("/search/", {"q": "fargate zebra"})
    assertContains(response, "No result has every word")
    response = client.get("/search/", {"q": "contaners"}, headers=HX)
    assertContains(response, 'Did you mean <a href="?q=containers"')
    assertContains(client.get("/search/", {"q": "pricing"}), "Section · Functions")
    assertContains(client.get("/search/", {"q": "pricing"}), "Pricing calculator")


def test_header_search_box_shows_results_as_you_type_with_a_form_twin(client, demo_course):
    page = client.get("/courses/demo/").content.decode()
    box = re.search(r'<form class="header-search".*?</form>', page, re.S).group(0)
    assert 'action="/search/"' in box and 'hx-get="/search/"' in box and 'hx-target="#header-results"' in box
    assert 'id="header-results"' in page
    quick = client.get("/search/", {"q": "fargate", "quick": "1"}, headers={**HX, "HX-Target": "header-results"})
    assertTemplateUsed(quick, "quick")  # Django names a rendered partial by its own name
    assertContains(quick, 'href="/courses/demo/containers/"')
    assertContains(quick, 'href="/search/?q=fargate"')  # all results, on the search page
    assert "<html" not in quick.content.decode()
    assert client.get("/search/", {"q": "fargate", "quick": "1"}).templates[0].name == "content/search.html"  # no JS: the page


def test_opening_a_note_does_not_count_it_as_read(client, demo_course):
    from studyapp.content.models import NoteRead

    client.force_login(UserFactory())
    page = client.get("/courses/demo/functions/")
    assert not NoteRead.objects.exists()
    form = re.search(r'<form id="note-read".*?</form>', page.content.decode(), re.S).group(0)
    assert 'action="/courses/demo/functions/read/"' in form and 'hx-post="/courses/demo/functions/read/"' in form
    assert 'hx-trigger="submit, intersect once"' in form  # the note's end coming into view posts it
    assert "Mark as read</button>" in form


def test_mark_as_read_with_and_without_htmx(client, demo_course):
    from studyapp.content.models import NoteRead

    client.force_login(UserFactory())
    response = client.post("/courses/demo/functions/read/")
    assertRedirects(response, "/courses/demo/functions/#note-read", fetch_redirect_response=False)
    assert NoteRead.objects.count() == 1
    assertContains(client.get("/courses/demo/functions/"), "You have read this note")
    fragment = client.post("/courses/demo/more-functions/read/", headers=HX)
    assertTemplateUsed(fragment, "note-read")
    assertContains(fragment, "You have read this note")
    assert "<html" not in fragment.content.decode()
    assert NoteRead.objects.count() == 2
    client.post("/courses/demo/more-functions/read/", headers=HX)
    assert NoteRead.objects.count() == 2  # once per note


def test_mark_as_read_needs_a_post_an_account_and_a_live_note(client, demo_course):
    assert client.post("/courses/demo/functions/read/").status_code == 302  # to log in
    assert "Mark as read" not in client.get("/courses/demo/functions/").content.decode()
    client.force_login(UserFactory())
    assert client.get("/courses/demo/functions/read/").status_code == 405
    assert client.post("/courses/demo/nowhere/read/").status_code == 404
