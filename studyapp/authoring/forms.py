"""The question editor's form: one form for every kind, building a :class:`QuestionContent`.

Option rows are numbered fields (``opt-0-text``, ``opt-0-fraction``, ``opt-0-feedback``; a numerical
answer has ``value`` and ``tolerance``, a matching pair ``question`` and ``answer``). A row left
wholly blank is ignored; the hidden ``rows`` says how many rows the page shows, and the "Add more
options" button (``more``) shows :data:`MORE_ROWS` more, without saving and without JavaScript. Rules
about the options as a whole are errors of ``rows`` (shown beside the options); rules of the real
exam that practice questions may break are :attr:`QuestionForm.warnings`, never errors.

Fractions are written as percentages from -100 to 100 (Moodle's list of grades is offered as
suggestions, any number in that range is accepted).
"""

import dataclasses
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django import forms
from django.db.models import Q

from studyapp.accounts.models import User
from studyapp.content.models import Topic
from studyapp.content.parsing.markup import render_safe
from studyapp.content.parsing.questions import rendered
from studyapp.content.parsing.types import DOMAINS
from studyapp.questions.content import Choice, InvalidContent, Kind, MatchPair, NumericalAnswer, QuestionContent
from studyapp.questions.models import Question

from .access import editable_categories
from .models import Category

KIND_LABELS: Final[dict[Kind, str]] = {
    Kind.SINGLE: "Multiple choice, one answer",
    Kind.MULTIPLE: "Multiple choice, several answers",
    Kind.TRUEFALSE: "True/false",
    Kind.SHORTANSWER: "Short answer",
    Kind.NUMERICAL: "Numerical",
    Kind.MATCHING: "Matching",
    Kind.ESSAY: "Essay",
    Kind.DESCRIPTION: "Description",
}
"""Every kind's name as the pages say it (the bank's filter, the editor)."""
KINDS: Final[dict[Kind, str]] = {kind: label for kind, label in KIND_LABELS.items() if kind not in (Kind.ESSAY, Kind.DESCRIPTION)}
"""The kinds the editor writes."""

MOODLE_FRACTIONS: Final = (
    "100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30", "25", "20",
    "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0",
)  # fmt: skip
"""Moodle's grades for an option (``question_bank::fraction_options``), in percent; their negatives too."""

START_ROWS: Final = {Kind.SINGLE: 5, Kind.MULTIPLE: 6, Kind.SHORTANSWER: 3, Kind.NUMERICAL: 2, Kind.MATCHING: 4}
MORE_ROWS: Final = 3
MAX_ROWS: Final = 100
EXAM_OPTIONS: Final = {Kind.SINGLE: 4, Kind.MULTIPLE: 5}
_HUNDRED: Final = Decimal(100)
_SUM_SLACK: Final = Decimal("0.00001")  # 3 × 33.33333 % is 99.99999 %: right, as in Moodle
_ROW_PARTS: Final = {
    Kind.NUMERICAL: ("value", "tolerance", "fraction", "feedback"),
    Kind.MATCHING: ("question", "answer"),
}
_CHOICE_PARTS: Final = ("text", "fraction", "feedback")


def percent_text(fraction: Decimal) -> str:
    """A stored fraction as the editor shows it: 1 -> "100", 0.3333333 -> "33.33333", -0.5 -> "-50"."""
    return f"{(fraction * _HUNDRED).normalize():f}"


def category_choices(user: User) -> list[str]:
    """The categories ``user`` may put a question in: the ones they own or were given and the
    categories already used below them (a superuser: every category)."""
    if user.is_superuser:
        return list(Category.objects.values_list("path", flat=True))
    roots = editable_categories(user)
    if not roots:
        return []
    below = Q()
    for root in roots:
        below |= Q(category__startswith=root.rstrip("/") + "/")
    used = Question.objects.filter(below).values_list("category", flat=True).distinct()
    return sorted({*roots, *used})


def topic_choices() -> list[tuple[str, str]]:
    """The course's live topics as (slug, title); a question's topic is kept as a tag, as the notes'
    questions keep theirs (``[tag:topic]``)."""
    seen: dict[str, str] = {}
    for slug, title in Topic.objects.live().order_by("course", "position").values_list("slug", "title"):
        seen.setdefault(slug, title)
    return list(seen.items())


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One option row as the template lays it out: its 1-based number and its bound fields by part."""

    number: int
    fields: dict[str, forms.BoundField]


def _number(text: str) -> Decimal | None:
    """A finite number written in ``text`` (a trailing "%" allowed), or None."""
    try:
        value = Decimal(text.strip().removesuffix("%").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class QuestionForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="For you and the bank's list; learners do not see it.")
    stem = forms.CharField(
        label="Question text",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Markdown. HTML is shown as typed, never run.",
    )
    explanation = forms.CharField(
        label="Explanation (general feedback)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown after the question is answered, whatever the answer.",
    )
    domain = forms.ChoiceField(label="Exam domain", required=False, choices=[("", "No domain"), *DOMAINS.items()])
    topic = forms.ChoiceField(label="Topic", required=False)
    category = forms.ChoiceField(label="Category")
    tags = forms.CharField(label="Tags", required=False, max_length=500, help_text="Separated by commas.")
    rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        kind: Kind,
        categories: list[str],
        topics: list[tuple[str, str]],
        rows: int | None = None,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.kind = kind
        self.warnings: list[str] = []
        self.content: QuestionContent | None = None
        self.fields["category"].choices = [(path, path) for path in categories]  # type: ignore[attr-defined]
        self.fields["topic"].choices = [("", "No topic"), *topics]  # type: ignore[attr-defined]
        self.topic_slugs = {slug for slug, _ in topics}
        self.row_count = self._row_count(data, rows)
        self.fields["rows"].initial = self.row_count
        if kind is Kind.TRUEFALSE:
            self.fields["answer"] = forms.ChoiceField(
                label="The statement is", choices=[("true", "True"), ("false", "False")], widget=forms.RadioSelect
            )
            self.fields["feedback_true"] = forms.CharField(
                label="Feedback for “True”", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields["feedback_false"] = forms.CharField(
                label="Feedback for “False”", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
        if kind is Kind.SHORTANSWER:
            self.fields["case_sensitive"] = forms.BooleanField(label="Case matters", required=False)
        for index in range(self.row_count):
            for part in self.parts:
                self.fields[f"opt-{index}-{part}"] = self._row_field(part)

    # --- layout ------------------------------------------------------------------------------------

    @property
    def parts(self) -> tuple[str, ...]:
        if self.kind is Kind.TRUEFALSE:
            return ()
        return _ROW_PARTS.get(self.kind, _CHOICE_PARTS)

    @property
    def noun(self) -> str:
        """What one row is called on the page."""
        return {Kind.NUMERICAL: "Answer", Kind.MATCHING: "Pair", Kind.SHORTANSWER: "Accepted answer"}.get(self.kind, "Option")

    def _row_count(self, data: Mapping[str, Any] | None, rows: int | None) -> int:
        if self.kind is Kind.TRUEFALSE:
            return 0
        count = rows if rows is not None else START_ROWS[self.kind]
        if data is not None:
            written = str(data.get("rows", "")).strip()
            if written.isdigit():
                count = int(written)
            if "more" in data:
                count += MORE_ROWS
        return min(max(count, 1), MAX_ROWS)

    def _row_field(self, part: str) -> forms.Field:
        labels = {
            "text": "Accepted answer" if self.kind is Kind.SHORTANSWER else "Text",
            "fraction": "Grade (%)",
            "feedback": "Feedback",
            "value": "Number",
            "tolerance": "Tolerance (±)",
            "question": "Question",
            "answer": "Matching answer",
        }
        attrs: dict[str, str] = {}
        if part == "fraction":
            attrs = {"list": "moodle-fractions", "inputmode": "decimal", "size": "8"}
        elif part in ("value", "tolerance"):
            attrs = {"inputmode": "decimal", "size": "12"}
        return forms.CharField(label=labels[part], required=False, max_length=2000, widget=forms.TextInput(attrs=attrs))

    def option_rows(self) -> list[Row]:
        return [Row(number=i + 1, fields={part: self[f"opt-{i}-{part}"] for part in self.parts}) for i in range(self.row_count)]

    # --- validation --------------------------------------------------------------------------------

    def clean_tags(self) -> list[str]:
        written = self.cleaned_data.get("tags", "")
        return list(dict.fromkeys(tag.strip() for tag in written.split(",") if tag.strip()))

    def _written_rows(self) -> list[tuple[int, dict[str, str]]]:
        """The rows with anything written in them, as (index, part -> stripped text)."""
        found = []
        for index in range(self.row_count):
            row = {part: (self.cleaned_data.get(f"opt-{index}-{part}") or "").strip() for part in self.parts}
            if any(row.values()):
                found.append((index, row))
        return found

    def _fraction(self, index: int, written: str, default: Decimal) -> Decimal | None:
        """The fraction (-1..1) of a row's grade, or None after adding the field's error."""
        if not written:
            return default
        value = _number(written)
        if value is None or not -_HUNDRED <= value <= _HUNDRED:
            self.add_error(f"opt-{index}-fraction", "Write a grade from -100 to 100 (a percentage, such as 50 or 33.33333).")
            return None
        return value / _HUNDRED

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = self._parts()
        if parts is None or self.errors:
            return data
        try:
            content = QuestionContent(
                kind=self.kind,
                name=data.get("name", ""),
                stem=data["stem"].strip(),
                explanation=data.get("explanation", "").strip(),
                **parts,
            )
        except InvalidContent as error:
            self.add_error(None, f"This question cannot be saved: {error}.")
            return data
        self.content = rendered(content)
        return data

    def _rows_failed(self) -> bool:
        return any(name == "rows" or name.startswith("opt-") for name in self.errors)

    def _parts(self) -> dict[str, Any] | None:
        """The kind's choices, numerical answers or pairs (None when a rule failed: errors added)."""
        if self.kind is Kind.TRUEFALSE:
            return self._truefalse()
        if self.kind is Kind.NUMERICAL:
            return self._numerical()
        if self.kind is Kind.MATCHING:
            return self._matching()
        return self._choices()

    def _truefalse(self) -> dict[str, Any] | None:
        answer = self.cleaned_data.get("answer")
        if answer is None:
            return None
        right = answer == "true"
        choices = (
            Choice(text="True", fraction=Decimal(1 if right else 0), feedback=self.cleaned_data.get("feedback_true", "").strip()),
            Choice(text="False", fraction=Decimal(0 if right else 1), feedback=self.cleaned_data.get("feedback_false", "").strip()),
        )
        return {"choices": choices}

    def _choices(self) -> dict[str, Any] | None:
        kind = self.kind
        default = Decimal(1) if kind is Kind.SHORTANSWER else Decimal(0)
        choices: list[Choice] = []
        for index, row in self._written_rows():
            fraction = self._fraction(index, row["fraction"], default)
            if not row["text"]:
                self.add_error(f"opt-{index}-text", "Write the option's text, or clear its grade and feedback.")
                continue
            if fraction is not None:
                choices.append(Choice(text=row["text"], fraction=fraction, feedback=row["feedback"]))
        if self._rows_failed():
            return None
        full = [c for c in choices if c.fraction == 1]
        if kind is Kind.SHORTANSWER:
            if not choices:
                self.add_error("rows", "Write at least one accepted answer.")
            elif not full:
                self.add_error("rows", "One accepted answer needs a grade of 100 %, or no answer earns full marks.")
            return None if self._rows_failed() else {"choices": choices, "case_sensitive": self.cleaned_data.get("case_sensitive", False)}
        if len(choices) < 2:
            self.add_error("rows", "Write at least two options.")
            return None
        if kind is Kind.SINGLE:
            if len(full) != 1:
                self.add_error("rows", f"A one-answer question needs exactly one option graded 100 %; this one has {len(full)}.")
                return None
            if len(choices) != EXAM_OPTIONS[kind]:
                self.warnings.append(f"Exam-style questions have exactly 4 options; this one has {len(choices)}. Fine for practice.")
        else:
            positive = sum((c.fraction for c in choices if c.fraction > 0), Decimal(0))
            if abs(positive - 1) > _SUM_SLACK:
                self.add_error(
                    "rows",
                    f"The positive grades of a several-answer question must add up to 100 %; these add up to {percent_text(positive)} %.",
                )
                return None
            right = sum(1 for c in choices if c.right)
            if right < 2 or len(choices) < EXAM_OPTIONS[kind]:
                self.warnings.append(
                    f"Exam-style multiple response has at least 2 right answers among at least 5 options; this one has {right} right of {len(choices)}. Fine for practice."
                )
        return {"choices": choices}

    def _numerical(self) -> dict[str, Any] | None:
        answers: list[NumericalAnswer] = []
        for index, row in self._written_rows():
            fraction = self._fraction(index, row["fraction"], Decimal(1))
            value = _number(row["value"]) if row["value"] else None
            if value is None:
                self.add_error(f"opt-{index}-value", "Write the answer as a number, such as 42, -0.5 or 1.5e3.")
            tolerance = _number(row["tolerance"]) if row["tolerance"] else Decimal(0)
            if tolerance is None or tolerance < 0:
                self.add_error(f"opt-{index}-tolerance", "The tolerance is a number of 0 or more (0: only the exact number is right).")
            if value is not None and tolerance is not None and tolerance >= 0 and fraction is not None:
                answers.append(NumericalAnswer(value=value, tolerance=tolerance, fraction=fraction, feedback=row["feedback"]))
        if self._rows_failed():
            return None
        if not answers:
            self.add_error("rows", "Write at least one accepted number.")
        elif not any(a.fraction == 1 for a in answers):
            self.add_error("rows", "One answer needs a grade of 100 %, or no answer earns full marks.")
        return None if self._rows_failed() else {"numerical": answers}

    def _matching(self) -> dict[str, Any] | None:
        pairs: list[MatchPair] = []
        for index, row in self._written_rows():
            if not row["answer"]:
                self.add_error(f"opt-{index}-answer", "Write the answer this question matches.")
                continue
            pairs.append(MatchPair(question=row["question"], answer=row["answer"]))
        if self._rows_failed():
            return None
        questions = sum(1 for p in pairs if p.question)
        if questions < 2:
            self.add_error("rows", f"A matching question needs at least 2 pairs with a question; this one has {questions}.")
            return None
        answers = len({p.answer for p in pairs})
        if answers < 3:
            self.warnings.append(
                "Moodle asks for at least 2 questions and 3 answers (add a wrong answer as a pair with a blank question): "
                "Moodle would refuse this one on import."
            )
        return {"pairs": pairs}

    # --- what the view saves -----------------------------------------------------------------------

    def details(self) -> dict[str, Any]:
        """The question's category, domain and tags (the topic kept as a tag) as the services take them."""
        tags = [tag for tag in self.cleaned_data["tags"] if tag not in self.topic_slugs]
        topic = self.cleaned_data.get("topic")
        return {
            "category": self.cleaned_data["category"],
            "domain": self.cleaned_data.get("domain", ""),
            "tags": [*tags, *([topic] if topic else [])],
        }


def initial_for(question: Question, topics: list[tuple[str, str]]) -> tuple[dict[str, Any], int]:
    """The editor's initial values for ``question`` and how many rows to show (its own and 2 blank)."""
    content = question.content
    slugs = {slug for slug, _ in topics}
    initial: dict[str, Any] = {
        "name": content.name,
        "stem": content.stem,
        "explanation": content.explanation,
        "domain": question.domain,
        "category": question.category,
        "topic": next((tag for tag in question.tags if tag in slugs), ""),
        "tags": ", ".join(tag for tag in question.tags if tag not in slugs),
    }
    rows: list[dict[str, str]]
    if content.kind is Kind.TRUEFALSE:
        right = next(c for c in content.choices if c.fraction == 1)
        initial |= {
            "answer": right.text.lower(),
            "feedback_true": content.choices[0].feedback,
            "feedback_false": content.choices[1].feedback,
        }
        rows = []
    elif content.kind is Kind.NUMERICAL:
        rows = [
            {
                "value": f"{a.value.normalize():f}",
                "tolerance": f"{a.tolerance.normalize():f}",
                "fraction": percent_text(a.fraction),
                "feedback": a.feedback,
            }
            for a in content.numerical
        ]
    elif content.kind is Kind.MATCHING:
        rows = [{"question": p.question, "answer": p.answer} for p in content.pairs]
    else:
        rows = [{"text": c.text, "fraction": percent_text(c.fraction), "feedback": c.feedback} for c in content.choices]
        initial["case_sensitive"] = content.case_sensitive
    for index, row in enumerate(rows):
        initial |= {f"opt-{index}-{part}": value for part, value in row.items()}
    return initial, len(rows) + 2


# --- what the preview and the question page show ----------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ShownRow:
    """One option as the preview and the question page show it: HTML rendered from the text with raw
    HTML off and cleaned by nh3 (:func:`render_safe`), the grade as text (autoescaped)."""

    html: str
    grade: str
    right: bool
    feedback_html: str


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Shown:
    kind: Kind
    kind_label: str
    stem_html: str
    rows: tuple[ShownRow, ...]
    explanation_html: str


def _safe(text: str, *, inline: bool = False) -> str:
    return render_safe(text, inline=inline) if text.strip() else ""


def _shown_row(text: str, fraction: Decimal | None, feedback: str) -> ShownRow:
    grade = "" if fraction is None else f"{percent_text(fraction)} %"
    return ShownRow(
        html=_safe(text, inline=True), grade=grade, right=fraction is not None and fraction > 0, feedback_html=_safe(feedback, inline=True)
    )


def shown_content(content: QuestionContent) -> Shown:
    """A stored version as the question page shows it, rendered again from its texts (never from
    stored HTML, so what this page shows is sanitized whatever wrote the version)."""
    rows: list[ShownRow]
    if content.numerical:
        rows = [_shown_row(f"{a.value.normalize():f} ± {a.tolerance.normalize():f}", a.fraction, a.feedback) for a in content.numerical]
    elif content.pairs:
        rows = [_shown_row(f"{p.question or '(a wrong answer)'} → {p.answer}", None, "") for p in content.pairs]
    else:
        rows = [_shown_row(c.text, c.fraction, c.feedback) for c in content.choices]
    return Shown(
        kind=content.kind,
        kind_label=KINDS.get(content.kind, str(content.kind)),
        stem_html=_safe(content.stem),
        rows=tuple(rows),
        explanation_html=_safe(content.explanation),
    )


def shown_form(form: QuestionForm) -> Shown:
    """What the form holds so far, valid or not, as the live preview shows it."""
    data = form.data

    def text(name: str) -> str:
        value = data.get(name, "")
        return value if isinstance(value, str) else ""

    rows: list[ShownRow] = []
    fraction: Decimal | None
    if form.kind is Kind.TRUEFALSE:
        answer = text("answer")
        for label, feedback in (("True", "feedback_true"), ("False", "feedback_false")):
            fraction = None if not answer else Decimal(1 if answer == label.lower() else 0)
            rows.append(_shown_row(label, fraction, text(feedback)))
    for index in range(form.row_count):
        row = {part: text(f"opt-{index}-{part}").strip() for part in form.parts}
        if not any(row.values()):
            continue
        fraction = None
        if "fraction" in row:
            blank = Decimal(0) if form.kind in (Kind.SINGLE, Kind.MULTIPLE) else Decimal(1)  # as the form reads a blank grade
            written = _number(row["fraction"]) if row["fraction"] else blank * _HUNDRED
            fraction = None if written is None else written / _HUNDRED
        if form.kind is Kind.NUMERICAL:
            rows.append(_shown_row(f"{row['value']} ± {row['tolerance'] or '0'}", fraction, row["feedback"]))
        elif form.kind is Kind.MATCHING:
            rows.append(_shown_row(f"{row['question'] or '(a wrong answer)'} → {row['answer']}", None, ""))
        else:
            rows.append(_shown_row(row["text"], fraction, row["feedback"]))
    return Shown(
        kind=form.kind,
        kind_label=KINDS[form.kind],
        stem_html=_safe(text("stem")),
        rows=tuple(rows),
        explanation_html=_safe(text("explanation")),
    )
