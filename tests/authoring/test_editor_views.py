"""The editor's pages: write a draft, edit it into versions, publish, read the history's diff,
duplicate a read-only question; who may do what; and typed HTML never coming back unescaped."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from studyapp.accounts.models import User
from studyapp.core import pagecache, versions
from studyapp.questions.models import Question, Status
from tests.authoring.conftest import MINE, THEIRS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def single(stem: str = "Which service runs code without servers?", **extra: str) -> dict[str, str]:
    data = {
        "name": "Serverless compute",
        "stem": stem,
        "category": MINE,
        "domain": "domain-3",
        "tags": "practice",
        "opt-0-text": "AWS Lambda",
        "opt-0-fraction": "100",
        "opt-0-feedback": "Lambda runs your code on demand.",
        "opt-1-text": "Amazon EC2",
        "opt-2-text": "Amazon S3",
        "opt-3-text": "Amazon RDS",
        "explanation": "Lambda is serverless compute.",
        "rows": "5",
    }
    return data | extra


def create(client: Client, data: dict[str, str] | None = None) -> Question:
    response = client.post(reverse("authoring:question_new") + "?kind=single", data or single())
    assert response.status_code == 302, response.content.decode()[:2000]
    return Question.objects.latest("pk")


def test_the_new_page_offers_every_kind_and_blank_option_rows(author):
    response = signed_in(author).get(reverse("authoring:question_new") + "?kind=multiple")
    assertTemplateUsed(response, "authoring/question_form.html")
    assertContains(response, "Multiple choice, several answers")
    assertContains(response, 'name="opt-5-text"')  # six blank rows for multiple response
    assertContains(response, "Add more options")


def test_an_unknown_kind_is_a_400(author):
    response = signed_in(author).get(reverse("authoring:question_new") + "?kind=essay")
    assert response.status_code == 400
    assert b"Choose a kind of question" in response.content


def test_add_more_options_shows_more_rows_and_saves_nothing(author):
    response = signed_in(author).post(reverse("authoring:question_new") + "?kind=single", single(more="1"))
    assert response.status_code == 200
    assertContains(response, 'name="opt-7-text"')
    assertContains(response, 'value="AWS Lambda"')
    assert not Question.objects.exists()


def test_errors_show_beside_the_fields_and_nothing_is_saved(author):
    response = signed_in(author).post(
        reverse("authoring:question_new") + "?kind=single", single(**{"opt-0-fraction": "0", "opt-1-fraction": "150"})
    )
    assert response.status_code == 200
    assertContains(response, "Write a grade from -100 to 100")
    assert not Question.objects.exists()


def test_draft_then_versions_then_published_then_the_history_shows_the_change(author, demo_course):
    client = signed_in(author)
    question = create(client)
    assert question.status == Status.DRAFT and question.author == author and question.category == MINE
    assert question.versions.count() == 1 and question.tags == ["practice"]
    assert not Question.objects.published().filter(pk=question.pk).exists()  # a draft reaches no learner
    page = client.get(reverse("authoring:question", args=[question.pk]))
    assertContains(page, "Saved as a draft")
    assertContains(page, "Which service runs code without servers?")
    assertContains(page, "Publish")

    edit_url = reverse("authoring:question_edit", args=[question.pk])
    form = client.get(edit_url)
    assertContains(form, 'value="AWS Lambda"')
    assertContains(form, 'name="opt-5-text"')  # its four options and two blank rows
    unchanged = client.post(edit_url, single(), follow=True)
    assertContains(unchanged, "The wording did not change: no new version.")
    assert question.versions.count() == 1

    changed = client.post(edit_url, single("Which service runs your code without managing servers?"), follow=True)
    assertContains(changed, "Saved as version 2.")
    assert question.versions.count() == 2
    question.refresh_from_db()
    assert question.content.stem == "Which service runs your code without managing servers?"

    client.post(reverse("authoring:question_publish", args=[question.pk]))
    question.refresh_from_db()
    assert question.status == Status.PUBLISHED
    assert Question.objects.published().filter(pk=question.pk).exists()  # what every learner's reader starts from

    client.post(edit_url, single("Which service runs your code without managing any infrastructure?"))
    assert question.versions.count() == 3  # saving a published question makes a new version
    question.refresh_from_db()
    assert question.status == Status.PUBLISHED

    history = client.get(reverse("authoring:question_history", args=[question.pk]))
    assertTemplateUsed(history, "authoring/question_history.html")
    assertContains(history, "Changes from version 2 to version 3")
    assertContains(history, '<del><span class="diff-label">removed: </span>servers</del>', html=False)
    assertContains(history, "infrastructure</ins>", html=False)
    first = client.get(reverse("authoring:question_history", args=[question.pk]), {"a": "1", "b": "2"})
    assertContains(first, "Changes from version 1 to version 2")
    assertContains(first, '<ins><span class="diff-label">added: </span>your </ins>', html=False)
    assertContains(first, f"<td>{author.username}</td>", count=3, html=False)

    client.post(reverse("authoring:question_retire", args=[question.pk]))
    question.refresh_from_db()
    assert question.status == Status.RETIRED and not Question.objects.published().filter(pk=question.pk).exists()


@pytest.mark.parametrize(("a", "b"), [("x", "y"), ("1", "99"), ("", ""), ("-1", "2"), ("1" * 40, "2")])
def test_bad_versions_to_compare_give_the_last_two(author, a, b):
    client = signed_in(author)
    question = create(client)
    client.post(reverse("authoring:question_edit", args=[question.pk]), single("Changed?"))
    response = client.get(reverse("authoring:question_history", args=[question.pk]), {"a": a, "b": b})
    assert response.status_code == 200
    assertContains(response, "Changes from version 1 to version 2")


def test_a_question_with_one_version_has_nothing_to_compare(author):
    client = signed_in(author)
    question = create(client)
    response = client.get(reverse("authoring:question_history", args=[question.pk]), {"a": "1", "b": "1"})
    assertContains(response, "These two versions say the same.")
    assertContains(client.get(reverse("authoring:question_history", args=[question.pk])), "Only one version so far")


def test_a_question_from_the_notes_is_read_only_and_can_be_duplicated(author, demo_course):
    client = signed_in(author)
    source = Question.objects.filter(placement__isnull=False).first()
    assert source is not None
    page = client.get(reverse("authoring:question", args=[source.pk]))
    assertContains(page, "This question comes from the course notes")
    assertContains(page, "Duplicate to edit")
    assertNotContains(page, reverse("authoring:question_edit", args=[source.pk]))
    assert client.get(reverse("authoring:question_edit", args=[source.pk])).status_code == 403
    assert client.post(reverse("authoring:question_publish", args=[source.pk])).status_code == 403

    response = client.post(reverse("authoring:question_duplicate", args=[source.pk]), {"category": MINE})
    copy = Question.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse("authoring:question_edit", args=[copy.pk])
    assert copy.pk != source.pk and copy.status == Status.DRAFT and copy.category == MINE and copy.source_key == ""
    assert copy.content == source.content and copy.tags == source.tags and copy.author == author
    assert client.get(reverse("authoring:question_edit", args=[copy.pk])).status_code == 200


def test_duplicate_refuses_a_category_not_theirs_and_uses_their_own(author, other_author):
    question = create(signed_in(author))
    signed_in(other_author).post(reverse("authoring:question_duplicate", args=[question.pk]), {"category": MINE})
    copy = Question.objects.latest("pk")
    assert copy.pk != question.pk and copy.category == THEIRS


def test_an_author_without_a_category_cannot_duplicate(author):
    question = create(signed_in(author))
    homeless = UserFactory(role="author")
    assert signed_in(homeless).post(reverse("authoring:question_duplicate", args=[question.pk])).status_code == 403


# --- the live preview ---------------------------------------------------------------------------


def test_the_preview_fragment_with_htmx(author):
    response = signed_in(author).post(reverse("authoring:question_preview"), single("A *new* stem", kind="single"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assertTemplateUsed(response, "preview")
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="preview"')
    assert "<em>new</em>" in body and "Right: 100 %" in body and "Wrong: 0 %" in body  # a blank grade reads as 0
    assert "<form" not in body


def test_the_preview_button_without_javascript_shows_the_whole_editor(author):
    response = signed_in(author).post(
        reverse("authoring:question_preview"), single("A *new* stem", kind="single", **{"opt-1-fraction": "500"})
    )
    assertTemplateUsed(response, "authoring/question_form.html")
    assertContains(response, "<em>new</em>", html=False)
    assertContains(response, 'value="AWS Lambda"')  # the form as written
    assertContains(response, "Write a grade from -100 to 100")  # and its errors beside the fields
    assert not Question.objects.exists()


def test_the_preview_of_an_existing_question_needs_edit_rights(author, other_author):
    question = create(signed_in(author))
    data = single(question=str(question.pk))
    assert signed_in(author).post(reverse("authoring:question_preview"), data, HTTP_HX_REQUEST="true").status_code == 200
    assert signed_in(other_author).post(reverse("authoring:question_preview"), data, HTTP_HX_REQUEST="true").status_code == 403
    assert signed_in(author).post(reverse("authoring:question_preview"), single(question="12x")).status_code == 400
    assert signed_in(author).post(reverse("authoring:question_preview"), single(kind="essay")).status_code == 400


# --- access -------------------------------------------------------------------------------------


def urls(question: Question) -> list[tuple[str, str]]:
    return [
        ("get", reverse("authoring:question_new") + "?kind=single"),
        ("post", reverse("authoring:question_new") + "?kind=single"),
        ("post", reverse("authoring:question_preview")),
        ("get", reverse("authoring:question", args=[question.pk])),
        ("get", reverse("authoring:question_edit", args=[question.pk])),
        ("post", reverse("authoring:question_edit", args=[question.pk])),
        ("post", reverse("authoring:question_publish", args=[question.pk])),
        ("post", reverse("authoring:question_retire", args=[question.pk])),
        ("post", reverse("authoring:question_duplicate", args=[question.pk])),
        ("get", reverse("authoring:question_history", args=[question.pk])),
    ]


def test_anonymous_visitors_go_to_the_login_page(author):
    question = create(signed_in(author))
    for method, url in urls(question):
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), (method, url)


def test_learners_get_403_everywhere(author):
    question = create(signed_in(author))
    learner = signed_in(UserFactory())
    for method, url in urls(question):
        assert getattr(learner, method)(url, single(kind="single")).status_code == 403, (method, url)


def test_another_author_reads_but_may_not_write(author, other_author):
    question = create(signed_in(author))
    them = signed_in(other_author)
    for name in ("authoring:question", "authoring:question_history"):
        assert them.get(reverse(name, args=[question.pk])).status_code == 200
    assertContains(them.get(reverse("authoring:question", args=[question.pk])), "not one of yours")
    assert them.get(reverse("authoring:question_edit", args=[question.pk])).status_code == 403
    for name in ("authoring:question_edit", "authoring:question_publish", "authoring:question_retire"):
        assert them.post(reverse(name, args=[question.pk]), single()).status_code == 403, name
    question.refresh_from_db()
    assert question.status == Status.DRAFT and question.versions.count() == 1


def test_saving_into_a_category_not_theirs_is_a_form_error(author, other_author):
    response = signed_in(author).post(reverse("authoring:question_new") + "?kind=single", single(category=THEIRS))
    assert response.status_code == 200
    assertContains(response, "Select a valid choice")
    assert not Question.objects.exists()


def test_a_missing_question_is_a_404(author):
    assert signed_in(author).get(reverse("authoring:question", args=[999999])).status_code == 404


# --- typed HTML ---------------------------------------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "<svg onload=alert(1)>", '"><script>']
UNSAFE = re.compile(r"<script>alert|<script>\s*$|\"><script>|<img[^>]*onerror|<svg[^>]*onload|href=[\"']?javascript:", re.I | re.M)


def evil(payload: str) -> dict[str, str]:
    return single(
        f"Stem {payload}",
        **{
            "opt-0-text": f"Right {payload}",
            "opt-0-feedback": f"Feedback {payload}",
            "opt-1-feedback": payload,
            "explanation": f"Why {payload}",
        },
    )


def assert_safe(response) -> None:
    body = response.content.decode()
    found = UNSAFE.search(body)
    assert found is None, body[max(0, found.start() - 200) : found.end() + 200]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_typed_html_never_comes_back_unescaped(author, payload):
    client = signed_in(author)
    assert_safe(client.post(reverse("authoring:question_preview"), evil(payload) | {"kind": "single"}, HTTP_HX_REQUEST="true"))
    assert_safe(client.post(reverse("authoring:question_preview"), evil(payload) | {"kind": "single"}))
    question = create(client, single())
    client.post(reverse("authoring:question_edit", args=[question.pk]), evil(payload))
    assert question.versions.count() == 2
    assert_safe(client.get(reverse("authoring:question", args=[question.pk])))
    assert_safe(client.get(reverse("authoring:question_edit", args=[question.pk])))
    history = client.get(reverse("authoring:question_history", args=[question.pk]))
    assertContains(history, "added: ")
    assert_safe(history)


def test_publishing_and_changing_a_published_question_refresh_the_learners_cached_pages(author):
    client = signed_in(author)
    question = create(client)
    before = versions.current(pagecache.VERSION)
    client.post(reverse("authoring:question_edit", args=[question.pk]), single("A draft's change"))
    versions.forget()
    assert versions.current(pagecache.VERSION) == before  # a draft reaches no learner's page
    client.post(reverse("authoring:question_publish", args=[question.pk]))
    versions.forget()
    published = versions.current(pagecache.VERSION)
    assert published != before
    client.post(reverse("authoring:question_edit", args=[question.pk]), single("A published change"))
    versions.forget()
    assert versions.current(pagecache.VERSION) != published
