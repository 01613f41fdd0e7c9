"""What the class pages show: a person's classes, a class's roster and its gradebook; a learner's
progress and the class's readiness by exam domain."""

import statistics
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from studyapp.accounts.models import User
from studyapp.content.models import Card, Topic, excluding_tag
from studyapp.content.parsing.types import BEYOND_EXAM, DOMAINS
from studyapp.core.rows import fetch, utc
from studyapp.questions.models import Question
from studyapp.quizzes import grading
from studyapp.quizzes import reports as quiz_reports
from studyapp.quizzes.models import Attempt, AttemptQuestion, Mode
from studyapp.srs import reports as srs_reports
from studyapp.srs import scheduler
from studyapp.srs.models import ItemState, ReviewLog, ReviewSettings, ReviewState
from studyapp.srs.queue import local_date
from studyapp.srs.reports import Recall

from .models import ClassRole, Classroom, Membership


@dataclass(frozen=True, slots=True, kw_only=True)
class MyClasses:
    teaching: list[Classroom]
    learning: list[Classroom]


def classes_of(user: User) -> MyClasses:
    """The classes ``user`` is active in, as instructor and as learner (one query)."""
    memberships = Membership.objects.active().filter(user=user).select_related("classroom__course").order_by("classroom__name")
    teaching: list[Classroom] = []
    learning: list[Classroom] = []
    for membership in memberships:
        (teaching if membership.role == ClassRole.INSTRUCTOR else learning).append(membership.classroom)
    return MyClasses(teaching=teaching, learning=learning)


@dataclass(frozen=True, slots=True, kw_only=True)
class Roster:
    instructors: list[Membership]  # active ones
    learners: list[Membership]  # active first, then removed ones (kept with their work)


def roster(classroom: Classroom) -> Roster:
    """Everyone in the class (one query)."""
    people = list(classroom.memberships.select_related("user").order_by("status", "user__username"))
    return Roster(
        instructors=[m for m in people if m.role == ClassRole.INSTRUCTOR and m.active],
        learners=[m for m in people if m.role == ClassRole.LEARNER],
    )


GRADEBOOK_HEADER = ("Username", "Name", "Email", "Joined (UTC)", "Reviews since joining", "Mock exams finished since joining")


def gradebook_rows(classroom: Classroom) -> Iterator[tuple[object, ...]]:
    """The header, then one row per active learner, by username (one query). Assignment columns
    join these once assignments exist."""
    learners = classroom.memberships.active().learners()
    reviews = (
        ReviewLog.objects.filter(user=OuterRef("user"), reviewed_at__gte=OuterRef("joined_at"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    mocks = (
        Attempt.objects.filter(user=OuterRef("user"), mode=Mode.MOCK, finished_at__isnull=False, started_at__gte=OuterRef("joined_at"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        learners.annotate(reviews=Coalesce(Subquery(reviews), 0), mocks=Coalesce(Subquery(mocks), 0))
        .order_by("user__username")
        .values_list("user__username", "user__first_name", "user__last_name", "user__email", "joined_at", "reviews", "mocks")
    )
    yield GRADEBOOK_HEADER
    for username, first, last, email, joined_at, reviews_count, mocks_count in rows:
        yield (username, f"{first} {last}".strip(), email, joined_at.strftime("%Y-%m-%d %H:%M"), reviews_count, mocks_count)


def learner_count(classroom: Classroom) -> int:
    return classroom.memberships.active().learners().count()


# --- class readiness (issue 14 point 4): the class page's panel and the learner's page ---------
#
# The class panel is quizzes.reports.readiness for every active learner at once, without calling it
# per learner (three queries or more each): seven queries whatever the class's size. The numbers
# are the same as each learner's own panel: the same rules, the same pure pieces (the scheduler's
# retrievability as ``scheduler.recall_of``, the mock's scaled score, readiness's percentage helpers and thresholds).


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnerDomain:
    """One learner in one exam domain, as their readiness panel shows it."""

    seen_percent: int  # the share of the domain's cards and questions seen
    recall: int | None  # predicted recall on their exam date, %; None: not enough seen
    mock: int | None  # their last mock's score in the domain, %; None: no mock, or none of its questions


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnerReadiness:
    user_id: int
    exam_date: date
    recall: int | None  # over the course; None: fewer than readiness.ENOUGH_CARDS cards seen
    mock_scaled: int | None  # the last timed mock's scaled score; None: no mock finished
    ready: bool
    domains: dict[str, LearnerDomain]


@dataclass(frozen=True, slots=True, kw_only=True)
class DomainReadiness:
    """The class in one exam domain. Recall figures are over the learners with enough data."""

    code: str
    number: str
    name: str
    with_recall: int  # learners with enough cards seen in the domain for a prediction
    recall_mean: int | None
    recall_lowest: int | None
    recall_median: int | None
    seen_mean: int  # the average share of the domain seen, over every active learner
    with_mock: int  # learners whose last mock asked in this domain
    mock_mean: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ClassReadiness:
    learners: int  # active learners
    with_recall: int  # learners with enough cards seen for a prediction over the course
    with_mock: int
    ready: int  # "Ready" as their own readiness panel says it
    domains: list[DomainReadiness]
    per_learner: dict[int, LearnerReadiness]  # by user id


RECALL_FIELDS = ("stability", "last_review")  # of srs.reports.MEMORY_FIELDS, what FSRS's forgetting curve reads


def _seen_cards(learner_ids: QuerySet[Membership, Any], cards: QuerySet[Card]) -> list[tuple[Any, ...]]:
    """(user id, card id, *RECALL_FIELDS) of the learners' states of ``cards`` past new, in one query.

    Of the memory fields, only what retrievability reads: FSRS predicts recall from the stability
    and the last review (``scheduler.recall_of``), not from the due time or the counts; a state
    without them has no prediction (retrievability's None) and is left out. Read through the cursor, as
    the database gives them: Django's per-value converters were half the panel's time for 40,000
    rows (200 learners); the one datetime is made aware UTC here (SQLite gives text)."""
    query = (
        ReviewState.objects.filter(user__in=learner_ids, card__in=cards.values("pk"))
        .exclude(state=ItemState.NEW)
        .filter(stability__isnull=False, last_review__isnull=False)
        .values_list("user_id", "card_id", *RECALL_FIELDS)
    )
    return [(*row[:-1], utc(row[-1])) for row in fetch(query)]


def _mean(values: list[int]) -> int | None:
    return round(statistics.fmean(values)) if values else None


def class_readiness(classroom: Classroom, *, now: datetime) -> ClassReadiness:
    """Per exam domain, the class's readiness: how many learners have enough data, their predicted
    recall (average, lowest, median) on each learner's own exam date (their study setting, or two
    weeks from their today, at 9:00 their time, as readiness predicts it), the share of the course
    seen and the last mock's domain scores averaged; and how many are "Ready" (a passing last mock
    and 85 % predicted recall over 30 cards seen or more). Seven queries, whatever the class's size."""
    learner_ids = classroom.memberships.active().learners().values("user")
    users = list(User.objects.filter(pk__in=learner_ids).only("pk", "time_zone").order_by("pk"))
    settings_of = {s.user_id: s for s in ReviewSettings.objects.filter(user__in=learner_ids)}
    # The exam-relevant cards of the course and their domains, as recall_by_domain counts them.
    relevant_cards = excluding_tag(Card.objects.live().filter(note__retired_at__isnull=True), BEYOND_EXAM)
    card_domains = {pk: set(domains or ()) for pk, domains in relevant_cards.values_list("pk", "note__domains")}
    cards_total: dict[str, int] = defaultdict(int)
    for card_in in card_domains.values():
        for domain in card_in:
            cards_total[domain] += 1
    states: dict[int, list[tuple[int, float, datetime]]] = defaultdict(list)
    for user_id, card_id, stability, last_review in _seen_cards(learner_ids, relevant_cards):
        states[user_id].append((card_id, stability, last_review))
    # Exam-relevant questions, and which each learner answered in any attempt (readiness's rule).
    relevant = excluding_tag(Question.objects.published().filter(placement__isnull=False), BEYOND_EXAM)
    question_domain = dict(relevant.values_list("pk", "domain"))
    questions_total: dict[str, int] = defaultdict(int)
    for domain in question_domain.values():
        questions_total[domain] += 1
    answered: dict[int, set[int]] = defaultdict(set)
    for user_id, question_id in (
        AttemptQuestion.objects.filter(attempt__user__in=learner_ids, answered_at__isnull=False, question__in=relevant.values("pk"))
        .values_list("attempt__user_id", "question_id")
        .distinct()
    ):
        answered[user_id].add(question_id)
    # Each learner's last finished timed mock, its answers by domain.
    finished_mocks = Attempt.objects.filter(mode=Mode.MOCK, finished_at__isnull=False)
    last_mock = finished_mocks.filter(user=OuterRef("attempt__user")).order_by("-finished_at", "-pk").values("pk")[:1]
    mock_slots: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    for user_id, domain, fraction in (
        AttemptQuestion.objects.filter(attempt__user__in=learner_ids, attempt__mode=Mode.MOCK, attempt__finished_at__isnull=False)
        .filter(attempt=Subquery(last_mock))
        .values_list("attempt__user_id", "question__domain", "fraction")
    ):
        mock_slots[user_id].append((domain, fraction or Decimal(0)))

    per_learner = {
        user.pk: _learner_readiness(
            user,
            settings_of.get(user.pk) or ReviewSettings(user=user),  # never saved: the defaults a first visit would create
            now=now,
            states=states[user.pk],
            card_domains=card_domains,
            cards_total=cards_total,
            answered=answered[user.pk],
            question_domain=question_domain,
            questions_total=questions_total,
            mock=mock_slots.get(user.pk),
        )
        for user in users
    }
    learners = list(per_learner.values())
    domains = []
    for code, name in DOMAINS.items():
        rows_in = [learner.domains[code] for learner in learners]
        recalls = sorted(d.recall for d in rows_in if d.recall is not None)
        mocks = [d.mock for d in rows_in if d.mock is not None]
        domains.append(
            DomainReadiness(
                code=code,
                number=code.removeprefix("domain-"),
                name=name,
                with_recall=len(recalls),
                recall_mean=_mean(recalls),
                recall_lowest=recalls[0] if recalls else None,
                recall_median=round(statistics.median(recalls)) if recalls else None,
                seen_mean=_mean([d.seen_percent for d in rows_in]) or 0,
                with_mock=len(mocks),
                mock_mean=_mean(mocks),
            )
        )
    return ClassReadiness(
        learners=len(learners),
        with_recall=sum(1 for learner in learners if learner.recall is not None),
        with_mock=sum(1 for learner in learners if learner.mock_scaled is not None),
        ready=sum(1 for learner in learners if learner.ready),
        domains=domains,
        per_learner=per_learner,
    )


def _learner_readiness(
    user: User,
    settings: ReviewSettings,
    *,
    now: datetime,
    states: list[tuple[int, float, datetime]],  # (card id, stability, last review)
    card_domains: dict[int, set[str]],
    cards_total: dict[str, int],
    answered: set[int],
    question_domain: dict[int, str],
    questions_total: dict[str, int],
    mock: list[tuple[str, Decimal]] | None,
) -> LearnerReadiness:
    """One learner's readiness from rows already read: quizzes.reports.readiness's arithmetic."""
    time_zone = user.time_zone or "UTC"
    day = settings.exam_day(local_date(user, now))
    morning = datetime.combine(day, time(quiz_reports.EXAM_HOUR), tzinfo=zoneinfo.ZoneInfo(time_zone)).astimezone(UTC)
    at = max(now, morning)
    fsrs_settings = settings.scheduler_settings(time_zone)
    overall: list[float] = []
    by_domain: dict[str, list[float]] = defaultdict(list)
    values = scheduler.recall_of([(stability, last) for _, stability, last in states], now=at, settings=fsrs_settings)
    for (card_id, _, _), value in zip(states, values, strict=True):
        card_in = card_domains[card_id]
        overall.append(value)
        for domain in card_in:
            by_domain[domain].append(value)

    def recall(values: list[float], total: int) -> Recall:
        return Recall(seen=len(values), total=total, recall=sum(values) / len(values) if values else None)

    course = recall(overall, len(card_domains))
    enough = course.seen >= quiz_reports.ENOUGH_CARDS
    mock_by_domain: dict[str, list[Decimal]] = defaultdict(list)
    for domain, fraction in mock or ():
        mock_by_domain[domain].append(fraction)
    domains: dict[str, LearnerDomain] = {}
    for code in DOMAINS:
        cards = recall(by_domain[code], cards_total[code])
        seen_questions = sum(1 for pk in answered if question_domain.get(pk) == code)
        domains[code] = LearnerDomain(
            seen_percent=quiz_reports._share(cards.seen + seen_questions, cards.total + questions_total[code]),
            recall=quiz_reports._recall_percent(cards, enough=quiz_reports.ENOUGH_CARDS_IN_A_DOMAIN, course_enough=enough),
            mock=quiz_reports._percent(mock_by_domain[code]) if code in mock_by_domain else None,
        )
    scaled = grading.scaled_score(sum(1 for _, f in mock if f == 1), len(mock)) if mock else None
    # readiness's rule, restated (it is inline there, not a function to call): a passing last mock,
    # and enough cards seen with at least READY_RECALL predicted over the course.
    recall_ok = enough and course.recall is not None and course.recall >= quiz_reports.READY_RECALL
    return LearnerReadiness(
        user_id=user.pk,
        exam_date=day,
        recall=quiz_reports._recall_percent(course, enough=quiz_reports.ENOUGH_CARDS, course_enough=enough),
        mock_scaled=scaled,
        ready=scaled is not None and grading.passed(scaled) and recall_ok,
        domains=domains,
    )


def learner_progress(membership: Membership, *, now: datetime) -> dict[str, object]:
    """The learner's page: their mock scores over time, reviews per day, predicted recall by topic
    and readiness by domain, each read by the report the learner's own pages use."""
    learner = membership.user
    stats = srs_reports.statistics(learner, now=now)
    recall = srs_reports.recall_by_topic(learner, now=now)
    topics = Topic.objects.live().filter(course=membership.classroom.course_id).order_by("position")
    return {
        "membership": membership,
        "learner": learner,
        "scores_chart": quiz_reports.history(learner)["scores_chart"],
        "reviews_chart": stats["reviews_chart"],
        "heatmap": stats["heatmap"],
        "reviews_last_year": stats["reviews_last_year"],
        "days_studied": stats["days_studied"],
        "streak": stats["streak"],
        "recall_rows": [(topic, recall[topic.pk]) for topic in topics if topic.pk in recall],
        "readiness": quiz_reports.readiness(learner, now=now),
    }
