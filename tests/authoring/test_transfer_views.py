"""Import and export in the browser: upload, preview, confirm; the download."""

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from studyapp.authoring import services
from studyapp.authoring.views import transfer
from studyapp.questions.models import Question, Status
from tests.authoring.conftest import MINE, THEIRS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILE = f"""$CATEGORY: {MINE}/Lambda

// [id:good]
::Good::Which service runs functions? {{=Lambda ~EC2}}

::Broken::How many? {{#many}}

::Essay::Tell me about Lambda. {{}}

::Mine too::Lambda scales by itself. {{TRUE}}
"""


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, text: str | bytes, *, fmt: str = "gift", category: str = "", name: str = "questions.txt"):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/author/import/", {"file": SimpleUploadedFile(name, data), "format": fmt, "category": category})


def signed_payload(response) -> str:
    return response.context["signed"]


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/author/import/"),
        ("post", "/author/import/"),
        ("post", "/author/import/confirm/"),
        ("get", "/author/export/"),
        ("get", "/author/export/?format=gift"),
    ],
)
def test_access(client, author, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    learner = signed_in(UserFactory())
    assert getattr(learner, method)(url).status_code == 403
    if method == "get":
        assert signed_in(author).get(url).status_code == 200


def test_the_upload_page(author):
    response = signed_in(author).get("/author/import/")
    assertTemplateUsed(response, "authoring/import.html")
    assertContains(response, "GIFT")
    assertContains(response, "Moodle XML")
    assertContains(response, f'<option value="{MINE}">', html=False)  # the author's categories are offered


def test_preview_shows_every_question_and_error_with_its_line_and_writes_nothing(author):
    response = upload(signed_in(author), FILE)
    assert response.status_code == 200
    assertContains(response, "Nothing is imported until you confirm")
    text = response.content.decode()
    for line, words in [(4, "Will be created"), (6, "not a number"), (8, "Skipped:"), (10, "Will be created")]:
        row = text.split(f'<th scope="row">{line}</th>', 1)[1].split("</tr>", 1)[0]
        assert words in row, (line, row)
    assertContains(response, "Confirm the import")
    assert Question.objects.count() == 0


def test_confirm_imports_drafts_and_shows_a_summary_linking_to_the_bank(author):
    client = signed_in(author)
    preview = upload(client, FILE)
    response = client.post("/author/import/confirm/", {"import": signed_payload(preview)})
    assert response.status_code == 200
    assertTemplateUsed(response, "authoring/import_done.html")
    assertContains(response, "2 created, 1 skipped, 1 not readable")
    assertContains(response, 'href="/author/questions/"')
    questions = Question.objects.order_by("id")
    assert [(q.source_key, q.category, q.status, q.author) for q in questions] == [
        ("good", f"{MINE}/Lambda", Status.DRAFT, author),
        ("", f"{MINE}/Lambda", Status.DRAFT, author),
    ]
    assertContains(response, f'href="/author/questions/{questions[0].pk}/"')


def test_a_second_confirm_imports_nothing_twice(author):
    client = signed_in(author)
    payload = signed_payload(upload(client, FILE))
    client.post("/author/import/confirm/", {"import": payload})
    response = client.post("/author/import/confirm/", {"import": payload}, follow=True)
    assertContains(response, "already confirmed")
    assert Question.objects.count() == 2


def test_a_reimport_preview_says_it_revises(author):
    client = signed_in(author)
    client.post("/author/import/confirm/", {"import": signed_payload(upload(client, FILE))})
    response = upload(client, FILE.replace("runs functions", "runs your functions"))
    assertContains(response, "Will be revised")
    assertContains(response, "it gets a new version")


def test_the_category_field_places_questions_and_must_be_the_authors(author, other_author):
    client = signed_in(author)
    response = upload(client, "Pick {=a ~b}", category="Imported")
    assertContains(response, f"{MINE}/Imported")
    response = upload(client, "Pick {=a ~b}", category=THEIRS)
    assertContains(response, "is not one of your categories")
    assertNotContains(response, "Confirm the import")


def test_a_category_in_the_file_that_is_not_the_authors_is_refused(author, other_author):
    response = upload(signed_in(author), f"$CATEGORY: {THEIRS}\n\nPick {{=a ~b}}\n")
    assertContains(response, "Refused:")
    assertContains(response, "There is nothing to import from this file")
    assertNotContains(response, "Confirm the import")


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        ("Café {=a ~b}".encode("latin-1"), "gift", "The file is not UTF-8 text"),
        (b"<quiz><question", "moodlexml", "cannot be read as Moodle XML"),
        (b"x" * (services.MAX_IMPORT_BYTES + 1), "gift", "the limit is 2 MB"),
    ],
)
def test_a_broken_or_oversized_file_is_a_message(author, data, fmt, message):
    response = upload(signed_in(author), data, fmt=fmt)
    assert response.status_code == 200
    assertContains(response, message)
    assertNotContains(response, "Confirm the import")


def test_aiken_and_moodle_xml_uploads(author):
    client = signed_in(author)
    aiken = "Which service runs functions?\nA. Lambda\nB. EC2\nANSWER: A\n"
    response = upload(client, aiken, fmt="aiken", category=MINE)
    assertContains(response, "Will be created")
    client.post("/author/import/confirm/", {"import": signed_payload(response)})
    assert Question.objects.get().content.choices[0].text == "Lambda"
    xml = services.export_questions(category=MINE, fmt="moodlexml").text
    response = upload(client, xml, fmt="moodlexml")
    assertContains(response, "Will be created")  # no idnumber: a new question


def test_a_changed_or_foreign_preview_imports_nothing(author, other_author):
    client = signed_in(author)
    payload = signed_payload(upload(client, FILE))
    response = client.post("/author/import/confirm/", {"import": payload[:-2] + "xx"}, follow=True)
    assertContains(response, "could not be read")
    response = signed_in(other_author).post("/author/import/confirm/", {"import": payload}, follow=True)
    assertContains(response, "made for someone else")
    stale = signing.dumps({"user": author.pk}, salt="another purpose")
    response = client.post("/author/import/confirm/", {"import": stale}, follow=True)
    assertContains(response, "could not be read")
    assert Question.objects.count() == 0


def test_html_in_an_imported_text_is_never_run(author):
    client = signed_in(author)
    text = f"$CATEGORY: {MINE}\n\n::<script>alert(1)</script>::<img src=x onerror=alert(1)> {{=<b>a</b> ~b}}\n\n[html]<p onclick=alert(1)>Hi</p> {{=a ~b}}\n"
    response = upload(client, text)
    assertNotContains(response, "<script>alert(1)")
    client.post("/author/import/confirm/", {"import": signed_payload(response)})
    markdown, html = (q.content for q in Question.objects.order_by("id"))
    assert "<img" not in markdown.stem_html and "&lt;img src=x onerror=alert(1)&gt;" in markdown.stem_html  # shown as text
    assert markdown.choices[0].html == "&lt;b&gt;a&lt;/b&gt;"
    assert html.stem_html == "<p>Hi</p>"


# --- export -----------------------------------------------------------------------------------------


@pytest.fixture
def bank_of(author):
    services.import_questions(
        result=services.parse(FILE + "\n\n::Multi::Pick two {~%50%a ~%50%b ~c}\n", fmt="gift"),
        by=author,
        now=transfer.timezone.now(),
        default_category=None,
        dry_run=False,
    )


def test_export_download(author, bank_of):
    response = signed_in(author).get("/author/export/", {"format": "gift", "category": f"{MINE}/Lambda"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="questions-mine-lambda.gift.txt"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert "::Good::" in body and "::Multi::" in body
    assert services.parse(body, fmt="gift").errors == ()


def test_moodle_xml_download(author, bank_of):
    response = signed_in(author).get("/author/export/", {"format": "moodlexml"})
    assert response["Content-Disposition"] == 'attachment; filename="questions.xml"'
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_the_export_page_tells_what_aiken_skips(author, bank_of):
    client = signed_in(author)
    response = client.get("/author/export/")
    assertTemplateUsed(response, "authoring/export.html")
    assertContains(response, "Aiken holds only single-answer multiple choice")
    response = client.get("/author/export/", {"check": "aiken", "category": MINE})
    assertContains(response, "1 question can be written, 2 left out")
    assertContains(response, "Mine too</a>: true/false questions cannot be written in Aiken")
    assertContains(response, "Multi</a>: multiple-answer questions cannot be written in Aiken")
    response = client.get("/author/export/", {"format": "aiken"})
    assert response["X-Questions-Skipped"] == "2"


def test_an_unknown_export_format_is_a_400_with_a_message(author):
    response = signed_in(author).get("/author/export/", {"format": "docx"})
    assert response.status_code == 400
    assertContains(response, "Select a valid choice", status_code=400)


def test_the_banks_export_action_downloads_only_the_ticked_questions(author) -> None:
    from decimal import Decimal

    from django.test import Client
    from django.urls import reverse

    from studyapp.questions import services as question_services
    from studyapp.questions.content import Choice, Kind, QuestionContent
    from studyapp.questions.models import Status
    from tests.conftest import NOW

    from .conftest import MINE

    def made(stem: str) -> int:
        content = QuestionContent(
            kind=Kind.TRUEFALSE, stem=stem, choices=(Choice(text="True", fraction=Decimal(1)), Choice(text="False", fraction=Decimal(0)))
        )
        return question_services.create_question(content=content, by=author, now=NOW, category=MINE, status=Status.PUBLISHED).pk

    first, _second, third = made("Lambda is serverless."), made("EC2 is serverless."), made("Fargate is serverless.")
    client = Client()
    client.force_login(author)
    page = client.get(reverse("authoring:export"), {"ids": [first, third]})
    assert "Only the 2 questions you ticked" in page.content.decode()
    assert f'name="ids" value="{first}"' in page.content.decode()
    download = client.get(reverse("authoring:export"), [("format", "gift"), ("ids", first), ("ids", third)])
    text = download.content.decode()
    assert "Lambda is serverless." in text and "Fargate is serverless." in text and "EC2 is serverless." not in text
    assert download["X-Questions-Exported"] == "2"
    assert (
        client.get(reverse("authoring:export"), {"format": "gift", "ids": ["x", "-1"]}).status_code == 400
    )  # not question ids: a form error
