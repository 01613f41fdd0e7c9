"""Regrade a question after its key changed (issue 16, point 6): the dry run, then the change.

``/author/questions/<id>/regrade/``: GET is the dry run to the question's current version (each
answer whose mark would change: learner, when, old → new mark and the attempt's total, and the
answers that cannot be re-marked, with why), with a confirmation form, and the regrades already
applied. POST applies it (a ticked confirmation, and the same list the page showed: if another
attempt was submitted since, the new list is shown instead), then the page again with a message.

Only authors who may edit the question reach it (``access_question(..., edit=True)``: a learner
gets 403, an author whose categories do not hold it 403, a missing question 404). The page names
the learners whose attempts answered this question: authors are trusted staff of the school, who
set the questions the marks come from, and the names are what lets them check a regrade before
applying it. Nothing else of those learners is shown.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from studyapp.accounts.typing import AuthenticatedHttpRequest
from studyapp.core.htmx import is_fragment_request, template_for
from studyapp.questions.models import Question, QuestionVersion

from .. import regrade as service
from ..access import access_question

PAGE = "authoring/regrade.html"


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the list: re-mark these answers",
        error_messages={"required": "Tick the box to confirm: learners' marks and class grades change at once."},
    )
    plan = forms.CharField(widget=forms.HiddenInput)


@require_http_methods(["GET", "HEAD", "POST"])
def regrade(request: AuthenticatedHttpRequest, question_id: int) -> HttpResponse:
    question = access_question(request.user, question_id, edit=True).question
    version = question.current_version
    if version is None:
        raise Http404("This question has no version yet.")
    if request.method != "POST":
        return _render(request, question, version, ConfirmForm())
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _render(request, question, version, form)
    if form.cleaned_data["plan"] != service.digest(service.dry_run(question=question, to_version=version)):
        messages.warning(request, "The list changed since the page was opened (an attempt was submitted): check it and apply again.")
        return _render(request, question, version, ConfirmForm())
    try:
        done = service.apply(question=question, to_version=version, by=request.user, now=timezone.now())
    except service.NothingToRegrade as nothing:
        messages.info(request, str(nothing))
    else:
        count = len(done.changes)
        messages.success(request, f"Regraded {count} answer{'s' if count != 1 else ''} to version {version.number}'s key.")
    if is_fragment_request(request):
        return _render(request, question, version, ConfirmForm())
    return redirect("authoring:regrade", question_id=question.pk)


def _render(request: AuthenticatedHttpRequest, question: Question, version: QuestionVersion, form: ConfirmForm) -> HttpResponse:
    changes = service.dry_run(question=question, to_version=version)
    regraded = [change for change in changes if change.regraded]
    if not form.is_bound:
        form = ConfirmForm(initial={"plan": service.digest(changes)})
    context = {
        "question": question,
        "version": version,
        "regraded": regraded,
        "skipped": [change for change in changes if not change.regraded],
        "form": form,
        "history": service.history(question),
    }
    return render(request, template_for(request, PAGE, "regrade"), context)
