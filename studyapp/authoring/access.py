"""The one door to the question bank's editor: every authoring view, partial, import and export
comes through here.

* :func:`access_bank`: authors (and superusers) only; anyone else signed in gets 403 (the bank's
  existence is no secret, its questions are not theirs).
* :func:`access_question`: a question as the author may see it; ``edit=True`` for the writes, which
  need the question's category to be one the author owns or was given (or below one), and the
  question not to come from ``content/`` (those are read-only: duplicate to edit). A missing
  question is a 404; one the author may read but not edit is a 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from studyapp.accounts.models import User
from studyapp.questions.models import Question

from .models import Category


def access_bank(user: User) -> None:
    if not (user.is_authenticated and user.is_author):
        raise PermissionDenied("Only question authors can open the question bank.")


def editable_categories(user: User) -> list[str]:
    """The category paths ``user`` owns or was given; they may edit these and every path below them."""
    if not user.is_authenticated:
        return []
    return list(Category.objects.filter(Q(owner=user) | Q(grants__user=user)).values_list("path", flat=True).distinct())


def may_edit_category(user: User, path: str) -> bool:
    if user.is_superuser:
        return True
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in editable_categories(user))


def from_content(question: Question) -> bool:
    """Written in the course notes (``content/``): read-only here."""
    return hasattr(question, "placement")


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionAccess:
    question: Question
    editable: bool
    read_only_reason: str  # "" when editable


def access_question(user: User, question_id: int, *, edit: bool = False) -> QuestionAccess:
    access_bank(user)
    question = Question.objects.select_related("current_version", "placement").filter(pk=question_id).first()
    if question is None:
        raise Http404("No such question.")
    if from_content(question):
        reason = "This question comes from the course notes: duplicate it to edit a copy."
    elif not may_edit_category(user, question.category):
        reason = "This question's category is not one of yours: ask its owner to give it to you."
    else:
        reason = ""
    if edit and reason:
        raise PermissionDenied(reason)
    return QuestionAccess(question=question, editable=not reason, read_only_reason=reason)
