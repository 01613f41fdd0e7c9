"""The question bank's page: who may open it, the tree, tags, search and filters, where each question
is used, bulk actions that change only what the author may edit (and say what they skipped), and the
category forms."""

import random
import re
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from studyapp.accounts.models import Role, User
from studyapp.authoring import bank
from studyapp.authoring import services as authoring
from studyapp.authoring.access import access_question
from studyapp.authoring.models import Category, CategoryGrant
from studyapp.classrooms import services as classrooms
from studyapp.classrooms.access import access_classroom
from studyapp.content.models import Course, QuestionPlacement
from studyapp.live import services as live
from studyapp.live.models import Game, GameQuestion
from studyapp.questions import services
from studyapp.questions.content import Choice, Kind, QuestionContent
from studyapp.questions.models import Question, Status
from studyapp.quizzes.models import Quiz
from tests.authoring.conftest import MINE, THEIRS
from tests.authoring.test_editor_views import create, single
from tests.conftest import NOW
from tests.factories import UserFactory

URL = "/author/questions/"
HX = {"HX-Request": "true"}


def content(stem: str, *, name: str = "", kind: Kind = Kind.SINGLE) -> QuestionContent:
    if kind == Kind.TRUEFALSE:
        choices = (Choice(text="True", fraction=Decimal(1)), Choice(text="False", fraction=Decimal(0)))
    else:
        choices = (Choice(text="AWS Fargate", fraction=Decimal(1)), Choice(text="Amazon EC2", fraction=Decimal(0)))
    return QuestionContent(kind=kind, stem=stem, name=name, choices=choices)


def make(
    stem: str,
    *,
    category: str = MINE,
    by: User | None = None,
    status: Status = Status.DRAFT,
    kind: Kind = Kind.SINGLE,
    name: str = "",
    domain: str = "",
    tags: tuple[str, ...] | list[str] = (),
) -> Question:
    return services.create_question(
        content=content(stem, name=name, kind=kind), by=by, now=NOW, category=category, status=status, domain=domain, tags=tags
    )


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(response) -> str:
    return response.content.decode()


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_anonymous_is_sent_to_log_in(client, db, headers):
    response = client.get(URL, headers=headers)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
@pytest.mark.parametrize("url", [URL, f"{URL}bulk/", "/author/categories/new/", "/author/categories/grant/"])
def test_a_learner_gets_403_everywhere(db, headers, url):
    learner = signed_in(UserFactory())
    response = (
        learner.get(url, headers=headers)
        if url == URL
        else learner.post(url, {"action": "tag", "ids": ["1"], "new_tag": "x"}, headers=headers)
    )
    assert response.status_code == 403


def test_an_author_opens_the_whole_page(author):
    make("Which service runs containers without servers?", by=author)
    response = signed_in(author).get(URL)
    assert response.status_code == 200
    assertTemplateUsed(response, "authoring/bank.html")
    assertContains(response, "Question bank")
    assertContains(response, "Which service runs containers without servers?")
    assertContains(response, 'href="/author/questions/new/"')


def test_htmx_gets_the_list_and_the_tree_gets_the_page_body(author):
    make("Which service runs containers without servers?", by=author)
    client = signed_in(author)
    response = client.get(URL, headers=HX)
    assertTemplateUsed(response, "bank")  # Django names a rendered partial by its own name
    assertNotContains(response, "<h1>")
    assertContains(response, "Which service runs containers")
    response = client.get(URL, {"category": MINE}, headers={**HX, "HX-Target": "bank-page"})
    assertTemplateUsed(response, "bank-page")
    assertContains(response, "<h1>Question bank</h1>")


def test_an_author_reads_another_authors_questions_but_may_not_tick_them(author, other_author):
    theirs = make("Their question about Lambda", category=THEIRS, by=other_author)
    mine = make("My question about Lambda", by=author)
    body = shown(signed_in(author).get(URL))
    assert f'id="pick-{mine.pk}"' in body and f'id="pick-{theirs.pk}"' not in body
    assert "In another author&#x27;s category." in body


def test_questions_from_the_notes_are_read_only(author, demo_course):
    placed = QuestionPlacement.objects.select_related("question").first()
    body = shown(signed_in(author).get(URL, {"category": placed.question.category}))
    assert f'id="pick-{placed.question.pk}"' not in body and f"/author/questions/{placed.question.pk}/" in body
    assertContains(signed_in(author).get(URL), "From the course notes")


def test_the_rows_editable_flag_is_the_doors(author, other_author, demo_course):
    """The bank's set rule (bank.editable, Summary.may_edit) agrees with access_question row by row."""
    make("Mine", by=author)
    make("Mine below", category=f"{MINE}/Sub", by=author)
    make("Theirs", category=THEIRS, by=other_author)
    rows = bank.page_rows(bank.listing(bank.browse(bank.Filters()))[:200], bank.summary(author))
    assert len(rows) == Question.objects.count()
    for row in rows:
        assert row.editable == access_question(author, row.pk).editable, row
    editable = set(Question.objects.filter(bank.editable(author)).values_list("pk", flat=True))
    assert editable == {row.pk for row in rows if row.editable}


# --- the tree, tags, search and filters ------------------------------------------------------------


def test_tree_counts_a_category_and_everything_below_it(author, other_author):
    make("One", by=author)
    make("Two", category=f"{MINE}/Containers", by=author)
    make("Three", category=f"{MINE}/Containers/ECS", by=author)
    make("Four", category=THEIRS, by=other_author)
    Category.objects.create(path=f"{MINE}/Empty", owner=author, created_at=NOW)
    tree = bank.summary(author).tree
    (top,) = tree
    assert (top.path, top.total) == ("$course$/top", 4)
    nodes = {n.path: n for n in top.children}
    assert (nodes[MINE].own, nodes[MINE].total, nodes[MINE].editable) == (1, 3, True)
    assert (nodes[THEIRS].total, nodes[THEIRS].editable) == (1, False)
    below = {n.name: (n.own, n.total) for n in nodes[MINE].children}
    assert below == {"Containers": (1, 2), "Empty": (0, 0)}
    body = shown(signed_in(author).get(URL))
    assert 'title="1 here, 3 with the categories below">3</span>' in body


def test_choosing_a_category_shows_it_and_everything_below(author):
    make("Top question", by=author)
    make("Deep question", category=f"{MINE}/Containers/ECS", by=author)
    make("Elsewhere question", category="$course$/top/Minestrone", by=author)  # a prefix, not a child
    body = shown(signed_in(author).get(URL, {"category": f"{MINE}/Containers"}))
    assert "Deep question" in body and "Top question" not in body and "Elsewhere" not in body
    body = shown(signed_in(author).get(URL, {"category": MINE}))
    assert "Deep question" in body and "Top question" in body and "Elsewhere" not in body


@pytest.fixture
def varied(author, demo_course) -> dict[str, Question]:
    topic = demo_course.topics.first()
    made = {
        "single": make("Pick the container service", by=author, domain="domain-3", tags=["my-containers"]),
        "truefalse": make("Lambda scales to zero", by=author, kind=Kind.TRUEFALSE, domain="domain-1", status=Status.PUBLISHED),
        "retired": make("An old question about Beanstalk", by=author, status=Status.RETIRED, tags=["old", "beanstalk"]),
        "named": make("Pick one", name="Batch job queues", by=author, domain="domain-4"),
    }
    QuestionPlacement.objects.create(question=made["single"], course=demo_course, topic=topic)
    return made


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"kind": "truefalse"}, "truefalse"),
        ({"domain": "domain-4"}, "named"),
        ({"status": "retired"}, "retired"),
        ({"tag": "beanstalk"}, "retired"),
        ({"q": "beanstalk"}, "retired"),  # stem text
        ({"q": "batch queues"}, "named"),  # the name, every word
        ({"q": "PICK the CONTAINER"}, "single"),  # any case
        ({"category": MINE, "domain": "domain-1"}, "truefalse"),
    ],
)
def test_each_filter_narrows_the_list(author, varied, query, expected):
    body = shown(signed_in(author).get(URL, {"category": MINE, **query}))
    shown_keys = {key for key, q in varied.items() if f"/author/questions/{q.pk}/" in body}
    assert shown_keys == {expected}
    assert "1 question in" in body


def test_topic_filter_reads_the_placement(author, varied, demo_course):
    topic = demo_course.topics.first()
    response = signed_in(author).get(URL, {"topic": str(topic.pk)}, headers=HX)
    assert f"/author/questions/{varied['single'].pk}/" in shown(response)
    assert f"/author/questions/{varied['named'].pk}/" not in shown(response)


def test_tags_are_listed_with_their_counts_and_link_to_the_filter(author, varied):
    make("Another", by=author, tags=["my-containers"])
    summary = bank.summary(author)
    assert dict(summary.tags)["my-containers"] == 2
    assertContains(signed_in(author).get(URL), "?tag=my-containers")


def test_bad_filters_are_a_message_not_a_500(author):
    response = signed_in(author).get(URL, {"category": "not/a/path", "kind": "essayish", "assignment": "x"})
    assert response.status_code == 200
    assertContains(response, "A category is a path")
    assertContains(response, "Select a valid choice")


def test_pagination_keeps_the_filters(author):
    for n in range(bank.PAGE_SIZE + 3):
        make(f"Question number {n}", by=author, tags=["many"])
    response = signed_in(author).get(URL, {"tag": "many"})
    assertContains(response, "page 1 of 2")
    assertContains(response, "?tag=many&amp;page=2")
    assertContains(signed_in(author).get(URL, {"tag": "many", "page": "2"}), "Question number 0<")


def test_search_text_is_shown_escaped(author):
    make("<script>alert(1)</script> What is Fargate?", by=author)
    body = shown(signed_in(author).get(URL))
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt; What is Fargate?" in body


# --- where used -------------------------------------------------------------------------------------


@pytest.fixture
def instructor(db) -> User:
    return UserFactory(username="teacher", role=Role.INSTRUCTOR)


def test_where_used_names_practice_assignments_and_live_games(author, instructor, demo_course):
    fixed_one = make("In the fixed list", by=author, status=Status.PUBLISHED)
    unused = make("Used nowhere", by=author, status=Status.PUBLISHED, domain="domain-2")
    draft = make("A draft", by=author, domain="domain-4")
    classroom = classrooms.create_classroom(by=instructor, name="Evening group", course=demo_course, now=NOW)
    access = access_classroom(instructor, classroom.pk, as_instructor=True)
    schedule = classrooms.Schedule(opens_at=NOW, due_at=NOW + timedelta(days=7))
    fixed = classrooms.create_assignment(
        access,
        title="Week 1 list",
        schedule=schedule,
        quiz=classrooms.QuizSetup(source=classrooms.QuizSource.QUESTIONS, question_ids=(fixed_one.pk,)),
        now=NOW,
    )
    topic = demo_course.topics.first()
    ruled = classrooms.create_assignment(
        access,
        title="Topic drill",
        schedule=schedule,
        quiz=classrooms.QuizSetup(source=classrooms.QuizSource.TOPICS, topic_ids=(topic.pk,), question_count=1),
        now=NOW,
    )
    QuestionPlacement.objects.create(question=unused, course=demo_course, topic=topic)  # now drawn by the topic's rules
    game = Game.objects.create(
        pin="123456", title="Friday quiz", host=instructor, quiz=Quiz.objects.create(title="g"), created_at=NOW, last_activity_at=NOW
    )
    GameQuestion.objects.create(game=game, position=1, question=draft, version=draft.current_version, option_order=[0, 1])

    rows = {row.pk: row for row in bank.page_rows(bank.listing(bank.browse(bank.Filters(category=MINE))), bank.summary(author))}
    assert [u.title for u in rows[fixed_one.pk].uses] == ["Week 1 list"] and rows[fixed_one.pk].in_practice
    assert [u.title for u in rows[unused.pk].uses] == ["Topic drill"]
    assert [(u.kind, u.title) for u in rows[draft.pk].uses] == [("live", "Friday quiz")] and not rows[draft.pk].in_practice

    client = signed_in(author)
    assertContains(client.get(URL), f'href="{URL}?game={game.pk}">Live: Friday quiz</a>')
    for query, expected in [
        ({"used": "practice"}, {fixed_one, unused}),
        ({"used": "live"}, {draft}),
        ({"used": "assigned"}, {fixed_one, unused}),
        ({"assignment": str(fixed.pk)}, {fixed_one}),
        ({"assignment": str(ruled.pk)}, {unused}),
        ({"game": str(game.pk)}, {draft}),
    ]:
        body = shown(client.get(URL, query, headers=HX))
        assert {q for q in (fixed_one, unused, draft) if f"/author/questions/{q.pk}/" in body} == expected, query


def test_the_assignment_rule_is_the_quizzes_own(author, instructor, demo_course):
    """bank.drawn_by says what quizzes.services.questions_for draws, for a rules quiz and a fixed list."""
    from studyapp.quizzes.services import questions_for

    topic = demo_course.topics.first()
    quizzes = [
        Quiz.objects.create(title="rules", topic_ids=[topic.pk], domains=["domain-3"]),
        Quiz.objects.create(title="fixed", selection="fixed", question_ids=list(Question.objects.values_list("pk", flat=True)[:3])),
        Quiz.objects.create(title="beyond", include_beyond_exam=True),
    ]
    for quiz in quizzes:
        assert set(Question.objects.filter(bank.drawn_by(quiz))) == set(questions_for(quiz)), quiz.title


# --- bulk actions -----------------------------------------------------------------------------------


@pytest.fixture
def mixed(author, other_author, demo_course) -> dict[str, Question]:
    placed = QuestionPlacement.objects.select_related("question").first()
    return {
        "mine": make("My own draft", by=author),
        "mine_below": make("My draft below", category=f"{MINE}/Sub", by=author),
        "theirs": make("Their draft", category=THEIRS, by=other_author),
        "notes": placed.question,
    }


def ids(*questions: Question) -> list[str]:
    return [str(q.pk) for q in questions]


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_bulk_tag_changes_only_editable_questions_and_names_the_skipped(author, mixed, headers):
    response = signed_in(author).post(
        f"{URL}bulk/",
        {"action": "tag", "new_tag": "week-2", "ids": ids(*mixed.values()), "status": "draft"},
        follow=not headers,
        headers=headers,
    )
    assert response.status_code == 200
    for key, question in mixed.items():
        question.refresh_from_db()
        assert ("week-2" in question.tags) == (key in {"mine", "mine_below"}), key
    assertContains(response, "Tagged 2 questions. Skipped 2:")
    assertContains(response, "“Their draft” (not in a category of yours)")
    assertContains(response, "(from the course notes)")
    if headers:
        assertTemplateUsed(response, "bank")
    else:
        assert response.redirect_chain[-1][0] == f"{URL}?status=draft"


def test_bulk_move_goes_only_to_a_category_of_the_author(author, mixed):
    client = signed_in(author)
    response = client.post(f"{URL}bulk/", {"action": "move", "move_to": THEIRS, "ids": ids(mixed["mine"])}, headers=HX)
    assertContains(response, "Move questions only to a category of yours.", status_code=422)
    mixed["mine"].refresh_from_db()
    assert mixed["mine"].category == MINE
    response = client.post(
        f"{URL}bulk/", {"action": "move", "move_to": f"{MINE}/Sub", "ids": ids(mixed["mine"], mixed["theirs"])}, headers=HX
    )
    assertContains(response, "Moved 1 question. Skipped 1:")
    mixed["mine"].refresh_from_db()
    mixed["theirs"].refresh_from_db()
    assert (mixed["mine"].category, mixed["theirs"].category) == (f"{MINE}/Sub", THEIRS)


def test_bulk_publish_and_retire(author, mixed):
    client = signed_in(author)
    response = client.post(f"{URL}bulk/", {"action": "publish", "ids": ids(mixed["mine"], mixed["theirs"])}, headers=HX)
    assertContains(response, "Published 1 question. Skipped 1:")
    mixed["mine"].refresh_from_db()
    mixed["theirs"].refresh_from_db()
    assert (mixed["mine"].status, mixed["theirs"].status) == (Status.PUBLISHED, Status.DRAFT)
    client.post(f"{URL}bulk/", {"action": "retire", "ids": ids(mixed["mine"], mixed["notes"])}, headers=HX)
    mixed["mine"].refresh_from_db()
    mixed["notes"].refresh_from_db()
    assert (mixed["mine"].status, mixed["notes"].status) == (Status.RETIRED, Status.PUBLISHED)


def test_bulk_export_sends_the_ticked_ids_to_the_export_page(author, mixed):
    client = signed_in(author)
    response = client.post(f"{URL}bulk/", {"action": "export", "ids": ids(mixed["mine"], mixed["theirs"])})
    assert response.status_code == 302 and response["Location"] == f"/author/export/?ids={mixed['mine'].pk}&ids={mixed['theirs'].pk}"
    response = client.post(f"{URL}bulk/", {"action": "export", "ids": ids(mixed["mine"])}, headers=HX)
    assert response["HX-Redirect"] == f"/author/export/?ids={mixed['mine'].pk}"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"action": "tag", "new_tag": "x"}, "Tick at least one question first."),
        ({"action": "tag", "ids": ["1", "banana"], "new_tag": "x"}, "Tick up to 500 questions"),
        ({"action": "tag", "ids": ["1"]}, "Type the tag to add."),
        ({"action": "delete", "ids": ["1"]}, "Choose an action."),
        ({"action": "move", "ids": ["1"], "move_to": "$course$/top/Nope"}, "Move questions only to a category of yours."),
    ],
)
def test_bad_bulk_input_is_a_clear_message(author, data, message):
    response = signed_in(author).post(f"{URL}bulk/", data, headers=HX)
    assertContains(response, message, status_code=422)


# --- categories -------------------------------------------------------------------------------------


def test_an_author_creates_a_category_under_theirs_and_owns_it(author, other_author):
    client = signed_in(author)
    response = client.post("/author/categories/new/", {"parent": MINE, "name": "Serverless"}, follow=True)
    assertContains(response, f"Category {MINE}/Serverless created")
    assert Category.objects.get(path=f"{MINE}/Serverless").owner == author
    response = client.post("/author/categories/new/", {"parent": THEIRS, "name": "Mine now"}, headers=HX)
    assertContains(response, "Create categories only under one of yours.", status_code=422)
    response = client.post("/author/categories/new/", {"parent": "$course$/top", "name": "New branch"}, headers=HX)
    assertContains(response, "Create categories only under one of yours.", status_code=422)
    response = client.post("/author/categories/new/", {"parent": MINE, "name": "a/b"}, headers=HX)
    assertContains(response, "without “/”", status_code=422)
    response = client.post("/author/categories/new/", {"parent": MINE, "name": "Serverless"}, headers=HX)
    assertContains(response, "exists already", status_code=422)


def test_a_superuser_creates_a_top_category_and_owns_it(db):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    signed_in(admin).post("/author/categories/new/", {"parent": "$course$/top", "name": "Networking"})
    assert Category.objects.get(path="$course$/top/Networking").owner == admin


def test_the_owner_gives_a_category_and_the_other_author_may_then_edit_it(author, other_author):
    theirs = make("Their draft", category=f"{THEIRS}/Sub", by=other_author)
    response = signed_in(author).post("/author/categories/grant/", {"grant_category": THEIRS, "username": "author"}, headers=HX)
    assertContains(response, "Give only a category you own.", status_code=422)
    response = signed_in(other_author).post("/author/categories/grant/", {"grant_category": THEIRS, "username": "nobody"}, headers=HX)
    assertContains(response, "No author is called “nobody”.", status_code=422)
    response = signed_in(other_author).post("/author/categories/grant/", {"grant_category": THEIRS, "username": "author"}, follow=True)
    assertContains(response, f"author may now edit {THEIRS}.")
    assert CategoryGrant.objects.filter(category__path=THEIRS, user=author).exists()
    result = bank.tag_questions(user=author, ids=[theirs.pk], tag="shared")
    assert (result.changed, result.skipped) == (1, [])


def test_a_learner_cannot_be_given_a_category(author):
    UserFactory(username="learner")
    with pytest.raises(bank.BankError, match="No author"):
        bank.grant_category(by=author, path=MINE, username="learner", now=NOW)


# --- speed --------------------------------------------------------------------------------------------


def test_the_bank_page_is_at_most_six_queries_whatever_its_size(author, other_author, demo_course, django_assert_max_num_queries):
    made = [make(f"Question {n}", category=f"{MINE}/C{n % 7}", by=author, tags=[f"t{n % 5}"], domain="domain-3") for n in range(300)]
    Question.objects.filter(pk__in=[q.pk for q in made[::3]]).update(category=THEIRS)
    client = signed_in(author)
    client.get(URL, {"page": "1"})  # the topics, remembered until the content changes
    with django_assert_max_num_queries(6):
        response = client.get(URL)  # another URL: built, not from the page cache
    assertContains(response, "page 1 of 7")
    with django_assert_max_num_queries(6):
        client.get(URL, {"category": MINE, "tag": "t1", "q": "Question", "page": "2"}, headers=HX)


def counted(body: str, own: int, total: int) -> bool:
    """The tree shows a category with ``own`` questions here and ``total`` with those below."""
    return f'title="{own} here, {total} with the categories below">{total}</span>' in body


def test_the_tree_and_tags_show_each_write_at_once(author):
    """The counts are cached until a question is written: each write through the services (create,
    edit, move, import, retire) shows on the very next page."""
    client = signed_in(author)
    first = make("First", by=author, tags=["old-tag"])
    assert counted(shown(client.get(URL)), 1, 1)
    make("Second", category=f"{MINE}/Containers", by=author)  # create
    body = shown(client.get(URL))
    assert counted(body, 1, 2) and "Containers" in body
    services.update_details(question=first, tags=["new-tag"])  # edit
    body = shown(client.get(URL))
    assert "?tag=new-tag" in body and "?tag=old-tag" not in body
    client.post("/author/questions/bulk/", {"action": "move", "move_to": f"{MINE}/Containers", "ids": [first.pk]})  # move
    assert counted(shown(client.get(URL)), 0, 2)
    authoring.import_questions(
        result=authoring.parse("::Imported:: Which service runs containers? {=AWS Fargate ~Amazon S3}", fmt="gift"),
        by=author,
        now=NOW,
        default_category=MINE,
        dry_run=False,
    )  # import
    assert counted(shown(client.get(URL)), 1, 3)


def test_the_cached_counts_are_shared_but_what_each_author_may_edit_is_their_own(author, other_author):
    make("Mine", by=author)
    make("Theirs", category=THEIRS, by=other_author)
    signed_in(author).get(URL)
    shared = bank.summary(other_author)  # the counts from the cache the first author's page filled
    nodes = {n.path: n for n in shared.tree[0].children}
    assert (nodes[MINE].total, nodes[MINE].editable, nodes[THEIRS].editable) == (1, False, True)
    assert shared.editable == [THEIRS] and bank.summary(author).editable == [MINE]


def test_a_course_needs_only_its_slug(author, demo_course):
    """The tree's root is $course$/top even for a bank of only the notes' questions."""
    assert Course.objects.count() == 1
    assert bank.summary(author).tree[0].path == "$course$/top"


def test_the_site_navigation_links_the_bank_for_authors_only(author, db):
    assertContains(signed_in(author).get("/accounts/profile/"), f'href="{URL}">Question bank</a>')
    assertNotContains(signed_in(UserFactory()).get("/accounts/profile/"), "Question bank")


# --- the author's cached page (core.pagecache.signed_in_page) ----------------------------------------


def _built(client: Client, query: dict | None = None, **kwargs) -> tuple[str, bool]:
    """The bank for ``query``, and whether building it read the questions (False: from the cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, query or {}, **kwargs)
    assert response.status_code == 200
    return shown(response), any("content_question" in q["sql"] for q in queries)


def _new_assignment(author: User, instructor: User, demo_course: Course, question: Question) -> None:
    classroom = classrooms.create_classroom(by=instructor, name="Evening group", course=demo_course, now=NOW)
    classrooms.create_assignment(
        access_classroom(instructor, classroom.pk, as_instructor=True),
        title="Week 1 list",
        schedule=classrooms.Schedule(opens_at=NOW, due_at=NOW + timedelta(days=7)),
        quiz=classrooms.QuizSetup(source=classrooms.QuizSource.QUESTIONS, question_ids=(question.pk,)),
        now=NOW,
    )


def _new_game(author: User, instructor: User, demo_course: Course, question: Question) -> None:
    quiz = Quiz.objects.create(title="Friday quiz", selection="fixed", question_ids=[question.pk], question_count=1)
    live.create_game(host=instructor, quiz=quiz, now=NOW, rng=random.Random(1))


type BankWrite = Callable[[User, User, Course, Question], object]

BANK_WRITES: dict[str, tuple[BankWrite, str]] = {  # each changes what the page shows, through the service a user's action calls
    "new question": (lambda author, *_: make("A brand new question", by=author), "A brand new question"),
    "bulk tag": (lambda author, i, c, q: bank.tag_questions(user=author, ids=[q.pk], tag="fresh-tag"), "?tag=fresh-tag"),
    "new category": (
        lambda author, *_: bank.create_category(user=author, parent=MINE, name="Step corner", now=NOW),
        "Step corner",
    ),
    "category given": (
        lambda author, *_: bank.grant_category(
            by=UserFactory(username="ed", role=Role.AUTHOR, is_superuser=True), path=THEIRS, username="author", now=NOW
        ),
        f'<option value="{THEIRS}">',
    ),
    "assignment": (_new_assignment, "Week 1 list"),
    "live game": (_new_game, "Live: Friday quiz"),
}


@pytest.mark.parametrize("write", list(BANK_WRITES))
def test_the_page_comes_from_the_cache_until_what_it_shows_changes(author, other_author, instructor, demo_course, write):
    question = make("Which service runs containers?", by=author, status=Status.PUBLISHED)
    client = signed_in(author)
    before, read = _built(client)
    assert read
    again, read = _built(client)
    assert not read and _same(again) == _same(before)  # kept: no question was read
    change, shows = BANK_WRITES[write]
    assert shows not in before
    change(author, instructor, demo_course, question)
    after, read = _built(client)
    assert read and shows in after, f"{write}: the page came from the cache after the change"


def test_a_question_written_or_published_in_the_editor_shows_at_once(author):
    client = signed_in(author)
    _built(client)
    question = create(client, single(name="The old name"))
    after, read = _built(client)
    assert read and "The old name" in after and "status-published" not in after
    client.post(reverse("authoring:question_edit", args=[question.pk]), single(name="The new name"))
    client.post(reverse("authoring:question_publish", args=[question.pk]))
    after, read = _built(client)
    assert read and "The new name" in after and "The old name" not in after and "status-published" in after


def test_a_learner_is_refused_even_when_an_author_s_page_is_kept(author):
    make("Mine", by=author)
    signed_in(author).get(URL)
    assert signed_in(UserFactory()).get(URL).status_code == 403
    author.role = Role.LEARNER
    author.save(update_fields=["role"])
    assert signed_in(author).get(URL).status_code == 403  # the same author, no longer one


def test_two_authors_never_share_a_kept_page(author, other_author):
    make("Mine", by=author)
    client = signed_in(author)
    mine, _ = _built(client)
    client.force_login(other_author)
    theirs, read = _built(client)
    assert read and 'name="ids"' not in theirs and 'name="ids"' in mine  # only the first may tick "Mine"


def test_a_kept_page_carries_this_request_s_own_csrf_token(author):
    question = make("Mine", by=author)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(author)
    browser.get(URL)
    kept = shown(browser.get(URL))
    token = _token(kept)
    response = browser.post(f"{URL}bulk/", {"action": "tag", "new_tag": "kept", "ids": [question.pk], "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).tags == ["kept"]


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _same(page: str) -> str:
    """``page`` without what every response has of its own: the CSRF token and the CSP nonce."""
    return re.sub(r'nonce="[^"]+"', "", page.replace(_token(page), ""))
