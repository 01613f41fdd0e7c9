"""The only writer of classes and memberships. Each function is one transaction; an archived class
refuses every change (it stays readable and exportable)."""

import random
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from studyapp.accounts.models import User
from studyapp.content.models import Course, Note
from studyapp.questions import services as question_services
from studyapp.quizzes import services as quiz_services
from studyapp.quizzes.grading import GradeMethod
from studyapp.quizzes.models import Attempt, Feedback, Quiz, Selection, Shown

from . import notifications
from .access import ClassroomAccess
from .models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Assignment,
    AssignmentKind,
    AssignmentOverride,
    ClassRole,
    Classroom,
    GoalKind,
    Invitation,
    LatePolicy,
    Membership,
    MembershipStatus,
    new_join_code,
)
from .roster_csv import RosterParse, parse_roster


class ClassroomError(Exception):
    """A change refused, with a message for the person who asked."""


def _writable(access: ClassroomAccess) -> Classroom:
    if not access.teaches:
        raise PermissionDenied("Only this class's instructors can change it.")
    classroom = Classroom.objects.select_for_update().get(pk=access.classroom.pk)
    if classroom.archived:
        raise ClassroomError("This class is archived: it can be read and exported, not changed.")
    return classroom


def create_classroom(*, by: User, name: str, course: Course, description: str = "", now: datetime) -> Classroom:
    """A new class taught by ``by``, who must hold the instructor role."""
    if not by.is_instructor:
        raise PermissionDenied("Only instructors can create classes.")
    for _ in range(5):  # a join code that collides (1 in 31^8 per class) gets drawn again
        try:
            with transaction.atomic():
                classroom = Classroom.objects.create(
                    course=course, name=name, description=description, created_by=by, created_at=now, join_code=new_join_code()
                )
                Membership.objects.create(classroom=classroom, user=by, role=ClassRole.INSTRUCTOR, joined_at=now, changed_at=now)
                return classroom
        except IntegrityError:
            continue
    raise ClassroomError("Could not draw a free join code; try again.")


@transaction.atomic
def rotate_join_code(access: ClassroomAccess) -> str:
    """A new join code; links with the old one stop working."""
    classroom = _writable(access)
    classroom.join_code = new_join_code()
    classroom.save(update_fields=["join_code"])
    return classroom.join_code


def classroom_for_code(code: str) -> Classroom | None:
    """The class a join code opens (codes are read case-insensitively, spaces ignored)."""
    code = "".join(code.split()).upper()
    if not re.fullmatch(f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}", code):
        return None  # not a code we could have made (and no odd character reaches the database)
    return Classroom.objects.select_related("course").filter(join_code=code).first()


@dataclass(frozen=True, slots=True, kw_only=True)
class Joined:
    membership: Membership
    created: bool  # False: already in the class (a second click, another tab)


@transaction.atomic
def join_classroom(*, user: User, classroom: Classroom, now: datetime) -> Joined:
    """Enrol ``user`` as a learner. Joining twice changes nothing; a learner the instructor removed
    cannot rejoin through the link (the instructor restores them)."""
    classroom = Classroom.objects.select_for_update().get(pk=classroom.pk)
    if classroom.archived:
        raise ClassroomError("This class is archived and takes no new learners.")
    membership, created = Membership.objects.get_or_create(
        classroom=classroom, user=user, defaults={"role": ClassRole.LEARNER, "joined_at": now, "changed_at": now}
    )
    if not created and membership.status == MembershipStatus.REMOVED:
        raise ClassroomError("You were removed from this class. Ask its instructor to add you again.")
    return Joined(membership=membership, created=created)


@transaction.atomic
def add_instructor(access: ClassroomAccess, *, identifier: str, now: datetime) -> Membership:
    """Make the person with this username or email a co-instructor of the class."""
    classroom = _writable(access)
    identifier = identifier.strip()
    person = (
        User.objects.filter(Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True).first() if identifier else None
    )
    if person is None:
        raise ClassroomError(f"No account has the username or email “{identifier}”. They need to sign up first.")
    membership, created = Membership.objects.get_or_create(
        classroom=classroom, user=person, defaults={"role": ClassRole.INSTRUCTOR, "joined_at": now, "changed_at": now}
    )
    if not created and (membership.role, membership.status) != (ClassRole.INSTRUCTOR, MembershipStatus.ACTIVE):
        membership.role, membership.status, membership.changed_at = ClassRole.INSTRUCTOR, MembershipStatus.ACTIVE, now
        membership.save(update_fields=["role", "status", "changed_at"])
    return membership


def _learner(classroom: Classroom, user_id: int) -> Membership:
    membership = Membership.objects.learners().select_for_update().filter(classroom=classroom, user_id=user_id).first()
    if membership is None:
        raise ClassroomError("That person is not a learner of this class.")
    return membership


@transaction.atomic
def set_learner_status(access: ClassroomAccess, *, user_id: int, status: MembershipStatus, now: datetime) -> Membership:
    """Remove a learner from the class (their reviews, attempts and grades are kept) or restore one."""
    membership = _learner(_writable(access), user_id)
    if membership.status != status:
        membership.status, membership.changed_at = status, now
        membership.save(update_fields=["status", "changed_at"])
    return membership


@transaction.atomic
def archive_classroom(access: ClassroomAccess, *, now: datetime) -> Classroom:
    """Make the class read-only: no joins, no changes; pages and exports stay."""
    classroom = _writable(access)
    classroom.archived_at = now
    classroom.save(update_fields=["archived_at"])
    return classroom


# --- assignments ------------------------------------------------------------------------------


class QuizSource(StrEnum):
    """Where an assigned quiz's questions come from."""

    TOPICS = "topics"  # drawn from chosen topics
    DOMAINS = "domains"  # drawn from chosen exam domains
    QUESTIONS = "questions"  # a fixed list
    MOCK = "mock"  # the mock exam's format: 65 by the blueprint, 90 minutes


@dataclass(frozen=True, slots=True, kw_only=True)
class Schedule:
    opens_at: datetime
    due_at: datetime
    late_policy: str = LatePolicy.ACCEPT
    late_penalty_percent: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class QuizSetup:
    source: QuizSource
    topic_ids: tuple[int, ...] = ()
    domains: tuple[str, ...] = ()
    question_ids: tuple[int, ...] = ()
    question_count: int = 10
    include_beyond_exam: bool = False
    attempts_allowed: int | None = 1  # None: unlimited
    grade_method: str = GradeMethod.HIGHEST
    time_limit: timedelta | None = None
    shuffle_questions: bool = True
    shuffle_options: bool = True
    show_marks: str = Shown.AFTER_SUBMIT
    show_right_answers: str = Shown.AFTER_SUBMIT
    show_explanations: str = Shown.AFTER_SUBMIT


@dataclass(frozen=True, slots=True, kw_only=True)
class FlashcardGoal:
    kind: str  # GoalKind
    reviews: int | None = None
    recall_percent: int | None = None
    topic_ids: tuple[int, ...] = ()


def _check_schedule(schedule: Schedule) -> None:
    if schedule.due_at <= schedule.opens_at:
        raise ClassroomError("The due date must come after the date it opens.")
    if schedule.late_policy not in LatePolicy.values:
        raise ClassroomError("Choose what happens to late work.")
    if not 0 <= schedule.late_penalty_percent <= 100:
        raise ClassroomError("A late penalty is a percentage from 0 to 100.")
    if schedule.late_policy == LatePolicy.PENALTY and not schedule.late_penalty_percent:
        raise ClassroomError("Give the penalty for late work (a percentage), or accept it without one.")


def _assigned_quiz(setup: QuizSetup, *, title: str, by: User, closes_at: datetime) -> Quiz:
    review = {
        "attempts_allowed": setup.attempts_allowed,
        "grade_method": setup.grade_method,
        "shuffle_questions": setup.shuffle_questions,
        "shuffle_options": setup.shuffle_options,
        "show_marks": setup.show_marks,
        "show_right_answers": setup.show_right_answers,
        "show_explanations": setup.show_explanations,
        "closes_at": closes_at,
        "feedback": Feedback.DEFERRED,
    }
    if setup.source == QuizSource.MOCK:
        mock = quiz_services.mock_quiz()
        quiz = Quiz(
            title=title,
            owner=by,
            selection=Selection.BLUEPRINT,
            question_count=mock.question_count,
            weights=mock.weights,
            time_limit=setup.time_limit or mock.time_limit,
            grace_seconds=mock.grace_seconds,
            policy=mock.policy,
            **review,
        )
    else:
        selection = Selection.FIXED if setup.source == QuizSource.QUESTIONS else Selection.RULES
        quiz = Quiz(
            title=title,
            owner=by,
            selection=selection,
            question_ids=list(setup.question_ids) if selection == Selection.FIXED else [],
            topic_ids=list(setup.topic_ids) if setup.source == QuizSource.TOPICS else [],
            domains=list(setup.domains) if setup.source == QuizSource.DOMAINS else [],
            question_count=len(setup.question_ids) if selection == Selection.FIXED else setup.question_count,
            include_beyond_exam=setup.include_beyond_exam or selection == Selection.FIXED,
            time_limit=setup.time_limit,
            **review,
        )
    if setup.source == QuizSource.TOPICS and not setup.topic_ids:
        raise ClassroomError("Choose at least one topic.")
    if setup.source == QuizSource.DOMAINS and not setup.domains:
        raise ClassroomError("Choose at least one exam domain.")
    if setup.source == QuizSource.QUESTIONS and not setup.question_ids:
        raise ClassroomError("Choose at least one question.")
    if setup.attempts_allowed is not None and setup.attempts_allowed < 1:
        raise ClassroomError("Allow at least one attempt (or leave it empty for unlimited).")
    if not quiz_services.questions_for(quiz).exists():
        raise ClassroomError("No published question matches that choice.")
    quiz.save()
    return quiz


@transaction.atomic
def create_assignment(
    access: ClassroomAccess,
    *,
    title: str,
    schedule: Schedule,
    now: datetime,
    instructions: str = "",
    quiz: QuizSetup | None = None,
    goal: FlashcardGoal | None = None,
    note_ids: Sequence[int] = (),
) -> Assignment:
    """Set work for the class: a quiz (``quiz``), a flashcard goal (``goal``) or notes to read
    (``note_ids``), exactly one of them. Learners are notified once it is open to them."""
    classroom = _writable(access)
    if sum((quiz is not None, goal is not None, bool(note_ids))) != 1:
        raise ClassroomError("An assignment is a quiz, a flashcard goal or notes to read: choose one.")
    title = title.strip()
    if not title:
        raise ClassroomError("Give the assignment a title.")
    _check_schedule(schedule)
    by = access.membership.user if access.membership else classroom.created_by  # a superuser acts as the class's creator
    assignment = Assignment(
        classroom=classroom,
        title=title,
        instructions=instructions,
        opens_at=schedule.opens_at,
        due_at=schedule.due_at,
        late_policy=schedule.late_policy,
        late_penalty_percent=schedule.late_penalty_percent if schedule.late_policy == LatePolicy.PENALTY else 0,
        created_by=by,
        created_at=now,
    )
    if quiz is not None:
        assignment.kind = AssignmentKind.QUIZ
        assignment.quiz = _assigned_quiz(quiz, title=title, by=by, closes_at=schedule.due_at)
        question_services.record_new_use()  # the bank's "where used"
    elif goal is not None:
        assignment.kind = AssignmentKind.FLASHCARDS
        if goal.kind == GoalKind.REVIEWS and not (goal.reviews and goal.reviews > 0):
            raise ClassroomError("Give the number of reviews to do.")
        if goal.kind == GoalKind.RECALL and not (goal.recall_percent and 1 <= goal.recall_percent <= 100):
            raise ClassroomError("Give the predicted recall to reach, a percentage from 1 to 100.")
        if goal.kind not in GoalKind.values:
            raise ClassroomError("Choose a kind of flashcard goal.")
        assignment.goal_kind = goal.kind
        assignment.goal_reviews = goal.reviews if goal.kind == GoalKind.REVIEWS else None
        assignment.goal_recall_percent = goal.recall_percent if goal.kind == GoalKind.RECALL else None
        assignment.topic_ids = sorted(set(goal.topic_ids))
    else:
        assignment.kind = AssignmentKind.NOTES
        found = set(Note.objects.filter(course=classroom.course, pk__in=note_ids, retired_at__isnull=True).values_list("pk", flat=True))
        if found != set(note_ids):
            raise ClassroomError("Some of those notes are not in the course.")
        assignment.note_ids = sorted(found)
    assignment.save()
    if assignment.opens_at <= now:  # later ones: when they open (send_digests notifies them)
        notifications.notify_new_assignment(assignment, now=now)
    return assignment


def _override(assignment: Assignment, user_id: int) -> AssignmentOverride | None:
    return AssignmentOverride.objects.filter(assignment=assignment, user_id=user_id).first()


@transaction.atomic
def set_override(
    access: ClassroomAccess, *, assignment_id: int, user_id: int, due_at: datetime | None, excused: bool, now: datetime
) -> AssignmentOverride:
    """Give one learner an extension (``due_at``; None: the class's date) or excuse them."""
    classroom = _writable(access)
    assignment = Assignment.objects.filter(classroom=classroom, pk=assignment_id).first()
    if assignment is None:
        raise ClassroomError("No such assignment in this class.")
    _learner(classroom, user_id)
    if due_at is not None and due_at <= assignment.opens_at:
        raise ClassroomError("An extension must end after the assignment opens.")
    override, _ = AssignmentOverride.objects.select_for_update().get_or_create(assignment=assignment, user_id=user_id)
    override.due_at, override.excused, override.changed_at = due_at, excused, now
    override.save()
    return override


@transaction.atomic
def start_assignment_quiz(*, user: User, assignment_id: int, now: datetime, rng: random.Random) -> Attempt:
    """Start (or resume) the learner's attempt at a quiz assignment, if its rules allow: open, not
    refused as late, attempts left. A learner's row is locked first, so a double click resumes the
    attempt it made. The attempt closes at the time limit, and, when late work is refused, at the
    learner's due date, whichever comes first."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    assignment = Assignment.objects.select_related("quiz", "classroom").filter(pk=assignment_id, kind=AssignmentKind.QUIZ).first()
    if assignment is None or assignment.quiz is None:
        raise ClassroomError("No such quiz.")
    membership = Membership.objects.active().learners().filter(classroom=assignment.classroom, user=user).first()
    if membership is None:
        raise ClassroomError("Only the class's learners take its quizzes.")
    if assignment.classroom.archived:
        raise ClassroomError("This class is archived: its quizzes are closed.")
    quiz = assignment.quiz
    attempts = Attempt.objects.for_user(user).filter(quiz=quiz)
    current = attempts.filter(finished_at__isnull=True).first()
    if current is not None and not quiz_services.expire_if_due(current, now):
        return current
    if now < assignment.opens_at:
        raise ClassroomError(f"This quiz opens {assignment.opens_at:%d %b %Y, %H:%M} UTC.")
    due = assignment.due_for(_override(assignment, user.pk))
    if now >= due and assignment.late_policy == LatePolicy.REFUSE:
        raise ClassroomError(f"This quiz closed {due:%d %b %Y, %H:%M} UTC, and late work is not accepted.")
    # A live game played in class counts in the gradebook but is not one of the learner's own tries.
    if quiz.attempts_allowed is not None and attempts.exclude(options__has_key="live_game").count() >= quiz.attempts_allowed:
        raise ClassroomError(f"You have used your {quiz.attempts_allowed} attempt{'s' if quiz.attempts_allowed != 1 else ''}.")
    ends = [now + quiz.time_limit] if quiz.time_limit else []
    if assignment.late_policy == LatePolicy.REFUSE:
        ends.append(due)
    try:
        return quiz_services.start_assigned(
            user=user, quiz=quiz, now=now, rng=rng, deadline=min(ends) if ends else None, options={"assignment": assignment.pk}
        )
    except quiz_services.EmptyPool as error:
        raise ClassroomError("None of this quiz's questions is in the course any more: tell your instructor.") from error


# --- roster import (issue 14, point 2) --------------------------------------------------------
# A roster file (see roster_csv) is previewed, then imported by one transaction that re-reads the
# file and refuses it whole if any row has a problem: nothing is ever half-imported. Existing
# accounts (matched by email, case-insensitively, active ones only) are enrolled as learners;
# addresses without an account get an Invitation (one per class and address, re-used on a second
# import) and a mail with its link, sent by a task once the transaction has committed.


class RosterAction(StrEnum):
    ENROL = "enrol"  # has an account, not in the class yet
    RESTORE = "restore"  # a learner removed earlier: back, with their work
    ALREADY = "already"  # in the class already (or accepted an invitation): nothing to do
    INSTRUCTOR = "instructor"  # teaches the class: reported, never demoted
    INVITE = "invite"  # no account: invited by mail
    ERROR = "error"


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterLine:
    row: int | None  # None: the file as a whole
    email: str
    name: str
    action: RosterAction
    message: str
    user: User | None = None
    invitation: Invitation | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterPreview:
    """What importing a file would do, row by row (file-wide problems first)."""

    lines: tuple[RosterLine, ...]

    @property
    def errors(self) -> tuple[RosterLine, ...]:
        return tuple(line for line in self.lines if line.action == RosterAction.ERROR)

    @property
    def ok(self) -> bool:
        return bool(self.lines) and not self.errors

    def count(self, action: RosterAction) -> int:
        return sum(1 for line in self.lines if line.action == action)

    def summary(self) -> str:
        """ "2 to enrol, 1 to invite by mail" (the parts that are not zero)."""
        said = {
            RosterAction.ENROL: "to enrol",
            RosterAction.RESTORE: "to restore",
            RosterAction.INVITE: "to invite by mail",
            RosterAction.ALREADY: "in the class already",
            RosterAction.INSTRUCTOR: "teaching the class",
        }
        return ", ".join(f"{self.count(action)} {text}" for action, text in said.items() if self.count(action))


@dataclass(frozen=True, slots=True, kw_only=True)
class RosterImported:
    enrolled: int
    restored: int
    already: int
    instructors: int
    invited: int

    def summary(self) -> str:
        """ "3 enrolled, 2 invited by mail" (the parts that are not zero)."""
        parts = [
            (self.enrolled, "enrolled"),
            (self.restored, "restored"),
            (self.invited, "invited by mail"),
            (self.already, "already in the class"),
            (self.instructors, "teaching the class (left as instructors)"),
        ]
        return ", ".join(f"{n} {said}" for n, said in parts if n) or "Nothing to import"


def _plan(classroom: Classroom, parse: RosterParse) -> RosterPreview:
    """Each row of ``parse`` with what importing it into ``classroom`` does (three queries)."""
    lines = [RosterLine(row=e.row, email=e.email, name=e.name, action=RosterAction.ERROR, message=e.message) for e in parse.errors]
    emails = [row.email for row in parse.rows]
    accounts: dict[str, list[User]] = defaultdict(list)
    for person in User.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=emails, is_active=True).order_by("pk"):
        accounts[person.email_lower].append(person)
    people = [user for found in accounts.values() for user in found]
    memberships = {m.user_id: m for m in Membership.objects.filter(classroom=classroom, user__in=people)}
    invitations = {i.email: i for i in Invitation.objects.filter(classroom=classroom, email__in=emails).select_related("accepted_by")}
    for row in parse.rows:
        found = accounts.get(row.email, [])
        user = found[0] if len(found) == 1 else None
        invitation = invitations.get(row.email) if not found else None
        action, message = _action(found, memberships.get(user.pk) if user else None, invitation)
        lines.append(
            RosterLine(row=row.row, email=row.email, name=row.name, action=action, message=message, user=user, invitation=invitation)
        )
    lines.sort(key=lambda line: (line.row is not None, line.row or 0))
    return RosterPreview(lines=tuple(lines))


def _action(found: list[User], membership: Membership | None, invitation: Invitation | None) -> tuple[RosterAction, str]:
    """What a row does: ``found`` are the active accounts with its address, ``membership`` the one
    account's place in the class, ``invitation`` the class's invitation for an address without one."""
    if len(found) > 1:
        names = ", ".join(u.username for u in found)
        return RosterAction.ERROR, f"{len(found)} accounts use this address ({names}): leave it out and send them the join link."
    if found:
        username = found[0].username
        if membership is None:
            return RosterAction.ENROL, f"Has an account ({username}): enrolled."
        if membership.role == ClassRole.INSTRUCTOR:
            return RosterAction.INSTRUCTOR, f"{username} teaches this class and stays an instructor."
        if membership.active:
            return RosterAction.ALREADY, f"{username} is in the class already."
        return RosterAction.RESTORE, f"{username} was removed: restored, with their earlier work."
    if invitation is not None and invitation.accepted_at is not None:
        by = invitation.accepted_by.username if invitation.accepted_by else "another account"
        return RosterAction.ALREADY, f"Accepted the invitation as {by}."
    if invitation is not None:
        sent = invitation.created_at
        return RosterAction.INVITE, f"Invited on {sent.day} {sent:%b %Y}, not signed up yet: mailed again."
    return RosterAction.INVITE, "No account: an invitation to sign up is mailed."


def preview_roster(access: ClassroomAccess, *, data: bytes) -> RosterPreview:
    """What :func:`import_roster` would do with ``data``; writes nothing."""
    if not access.teaches:
        raise PermissionDenied("Only this class's instructors can import a roster.")
    return _plan(access.classroom, parse_roster(data))


@transaction.atomic
def import_roster(access: ClassroomAccess, *, data: bytes, now: datetime, absolute: Callable[[str], str]) -> RosterImported:
    """Import the roster in ``data``, or nothing at all: a file with any problem (or a class that
    is archived) raises :class:`ClassroomError` and writes nothing. ``absolute`` turns a path into
    the link a mail carries (``request.build_absolute_uri``). Importing the same file twice
    enrols no one twice and makes no second invitation."""
    classroom = _writable(access)  # locked: a join or a second import waits for this one
    preview = _plan(classroom, parse_roster(data))
    if not preview.ok:
        problems = len(preview.errors)
        raise ClassroomError(
            f"Nothing was imported: the file has {problems} problem{'s' if problems != 1 else ''}. Fix them and upload it again."
            if problems
            else "Nothing was imported: the file has no learners."
        )
    by_action: dict[RosterAction, list[RosterLine]] = defaultdict(list)
    for line in preview.lines:
        by_action[line.action].append(line)
    Membership.objects.bulk_create(
        Membership(classroom=classroom, user=line.user, role=ClassRole.LEARNER, joined_at=now, changed_at=now)
        for line in by_action[RosterAction.ENROL]
    )
    restored = [line.user.pk for line in by_action[RosterAction.RESTORE] if line.user]
    Membership.objects.learners().filter(classroom=classroom, user_id__in=restored).update(status=MembershipStatus.ACTIVE, changed_at=now)
    invite = by_action[RosterAction.INVITE]
    inviter = access.membership.user if access.membership else classroom.created_by  # an admin outside the class: its creator
    Invitation.objects.bulk_create(
        Invitation(classroom=classroom, email=line.email, name=line.name, invited_by=inviter, created_at=now)
        for line in invite
        if line.invitation is None
    )
    # The task module sits above the services (the worker imports it), so it is imported here.
    from .tasks import send_roster_invitation

    for invitation in Invitation.objects.filter(classroom=classroom, email__in=[line.email for line in invite]):
        link = absolute(reverse("classrooms:invitation", args=[invitation.token]))
        transaction.on_commit(partial(send_roster_invitation.enqueue, invitation_id=invitation.pk, link=link))
    return RosterImported(
        enrolled=len(by_action[RosterAction.ENROL]),
        restored=len(restored),
        already=len(by_action[RosterAction.ALREADY]),
        instructors=len(by_action[RosterAction.INSTRUCTOR]),
        invited=len(invite),
    )


_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a mail's link carries; None for anything else (no odd text reaches the database)."""
    if not _TOKEN.fullmatch(token):
        return None
    return Invitation.objects.select_related("classroom__course").filter(token=token).first()


@transaction.atomic
def accept_invitation(*, user: User, invitation: Invitation, now: datetime) -> Joined:
    """Enrol ``user`` through an invitation and mark it accepted by them. Accepting twice changes
    nothing; an invitation accepted by another account, an archived class and a learner the
    instructor removed are refused."""
    classroom = Classroom.objects.select_for_update().get(pk=invitation.classroom_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_by_id is not None and invitation.accepted_by_id != user.pk:
        raise ClassroomError("This invitation was already used by another account. Ask the class's instructor for its join link.")
    membership = Membership.objects.filter(classroom=classroom, user=user).first()
    created = False
    if membership is None or not membership.active:
        if classroom.archived:
            raise ClassroomError("This class is archived and takes no new learners.")
        if membership is not None:
            raise ClassroomError("You were removed from this class. Ask its instructor to add you again.")
        membership = Membership.objects.create(classroom=classroom, user=user, role=ClassRole.LEARNER, joined_at=now, changed_at=now)
        created = True
    if invitation.accepted_at is None:
        invitation.accepted_at, invitation.accepted_by = now, user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return Joined(membership=membership, created=created)
