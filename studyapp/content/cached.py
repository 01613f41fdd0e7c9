"""What the study and quiz screens show of a card or a question, read once and then kept in Django's
cache (:func:`studyapp.core.pagecache.remember`) instead of being read again on every request.

* :func:`card`: a card with its note and course, until the content changes (only a load writes
  cards, and a load that writes anything bumps the content's version).
* :func:`question`: a question with its current version and its note, until a question is written
  (every write bumps the bank's version) or the content changes.
* :func:`version`: one version of a question, which is never changed once written: kept until this
  release changes.

Each call returns a copy of its own (the cache pickles), which the caller may change freely.
"""

from studyapp.core import pagecache, versions
from studyapp.questions.models import Question, QuestionVersion
from studyapp.questions.services import VERSION as QUESTIONS_VERSION

from .models import Card

# A screen links to the note (its title and URL), never shows its body: not read, not kept.
_NOTE_BODY = ("body_html", "toc_html", "summary", "sources")


def card(pk: int) -> Card:
    def read() -> Card:
        return Card.objects.select_related("note__course").defer(*(f"note__{name}" for name in _NOTE_BODY)).get(pk=pk)

    return pagecache.remember(f"cached-card:{pk}", read)


def question(pk: int) -> Question:
    def read() -> Question:
        questions = Question.objects.select_related("current_version", "placement__note__course")
        return questions.defer(*(f"placement__note__{name}" for name in _NOTE_BODY)).get(pk=pk)

    return pagecache.remember(f"cached-question:{pk}:{versions.current(pagecache.VERSION)}", read, version=QUESTIONS_VERSION)


def version(pk: int) -> QuestionVersion:
    def read() -> QuestionVersion:
        found = QuestionVersion.objects.get(pk=pk)
        _ = found.content  # parsed once, and kept parsed with it
        return found

    return pagecache.remember(f"cached-version:{pk}", read, version=None)
