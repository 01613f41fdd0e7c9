"""Write parsed content into the database: the only writer of content rows.

``sync_content`` runs in one transaction and compares before it writes: unchanged content writes
nothing at all, changed rows are updated in place (keyed by their stable ids), and rows that left the
files are retired, never deleted, so learner state that points at them survives.
"""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils.text import Truncator

from studyapp.core import pagecache, versions
from studyapp.questions import services as question_services
from studyapp.questions.models import CATEGORY_ROOT, Status

from .loader import LoadedCourse, LoadResult
from .models import Card, Course, Note, QuestionPlacement, SearchEntry, SearchKind, Topic
from .parsing.note import toc_html
from .parsing.types import CALCULATORS, ParsedNote
from .parsing.types import Topic as ParsedTopic


@dataclass(slots=True, kw_only=True)
class SyncReport:
    notes: int = 0
    cards: int = 0
    questions: int = 0
    calculators: int = 0
    changes: Counter[str] = field(default_factory=Counter)

    def summary(self, *, checked: bool = False) -> str:
        line = f"{self.notes} notes, {self.cards} cards, {self.questions} questions, {self.calculators} calculators"
        if checked:
            line += " (checked; nothing written)"
        elif self.changes:
            line += " (" + ", ".join(f"{n} {what}" for what, n in sorted(self.changes.items())) + ")"
        else:
            line += " (no changes)"
        return line


def count(result: LoadResult) -> SyncReport:
    """Count what a load result holds, without writing anything (for ``--check``)."""
    report = SyncReport()
    for course in result.courses:
        for note in course.notes:
            report.notes += 1
            report.cards += len(note.cards)
            report.questions += len(note.questions)
            report.calculators += len(note.calculators)
    return report


@transaction.atomic
def sync_content(result: LoadResult, *, now: datetime) -> SyncReport:
    """Make the database hold exactly the courses in ``result``. ``result`` must have no problems."""
    if result.problems:
        raise ValueError("content with problems cannot be synced")
    report = count(result)
    for loaded in result.courses:
        _sync_course(loaded, now=now, changes=report.changes)
    wanted = {loaded.info.slug for loaded in result.courses}
    for course in Course.objects.live().exclude(slug__in=wanted):
        course.retired_at = now
        course.save(update_fields=["retired_at"])
        Note.objects.live().filter(course=course).update(retired_at=now)
        question_services.retire_many(ids=QuestionPlacement.objects.filter(course=course).values_list("question_id", flat=True))
        SearchEntry.objects.filter(course=course).delete()
        report.changes["courses retired"] += 1
    if report.changes:
        versions.bump(pagecache.VERSION)  # the visitors' cached pages and fragments (core.pagecache) are stale now
    return report


def _set(obj: object, values: Mapping[str, object]) -> bool:
    """Assign values that differ; report whether anything did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _sync_course(loaded: LoadedCourse, *, now: datetime, changes: Counter[str]) -> None:
    info = loaded.info
    course = Course.objects.filter(slug=info.slug).first()
    if course is None:
        course = Course.objects.create(slug=info.slug, title=info.title, summary=info.summary)
        changes["courses added"] += 1
    elif _set(course, {"title": info.title, "summary": info.summary, "retired_at": None}):
        course.save()
        changes["courses updated"] += 1
    topics = _sync_topics(course, info.topics, now=now, changes=changes)
    notes, changed_notes = _sync_notes(course, loaded.notes, topics, now=now, changes=changes)
    _sync_cards(course, loaded, notes, now=now, changes=changes)
    question_ids = _sync_questions(course, loaded, notes, topics, now=now, changes=changes)
    for note, parsed in changed_notes:
        _index_note(course, note, parsed, question_ids)


def _sync_topics(course: Course, wanted: tuple[ParsedTopic, ...], *, now: datetime, changes: Counter[str]) -> dict[str, Topic]:
    topics = {t.slug: t for t in Topic.objects.filter(course=course)}
    for parsed in wanted:
        values = {"title": parsed.title, "summary": parsed.summary, "position": parsed.position, "retired_at": None}
        topic = topics.get(parsed.slug)
        if topic is None:
            topics[parsed.slug] = Topic.objects.create(course=course, slug=parsed.slug, **values)
            changes["topics added"] += 1
        elif _set(topic, values):
            topic.save()
            changes["topics updated"] += 1
    slugs = {t.slug for t in wanted}
    for slug, topic in topics.items():
        if slug not in slugs and topic.retired_at is None:
            topic.retired_at = now
            topic.save(update_fields=["retired_at"])
            changes["topics retired"] += 1
    return topics


def _sync_notes(
    course: Course, wanted: tuple[ParsedNote, ...], topics: dict[str, Topic], *, now: datetime, changes: Counter[str]
) -> tuple[dict[str, Note], list[tuple[Note, ParsedNote]]]:
    """Notes in place by slug; then each one's previous/next in reading order. Returns every note
    by slug and the ones whose search entries must be rebuilt."""
    notes = {n.slug: n for n in Note.objects.filter(course=course)}
    changed: list[tuple[Note, ParsedNote]] = []
    for parsed in wanted:
        note = notes.get(parsed.slug)
        values = _note_values(parsed, topics)
        if note is None:
            note = notes[parsed.slug] = Note.objects.create(course=course, slug=parsed.slug, **values)
            changes["notes added"] += 1
            changed.append((note, parsed))
        elif _set(note, values):
            note.save()
            changes["notes updated"] += 1
            changed.append((note, parsed))
    slugs = {n.slug for n in wanted}
    for slug, note in notes.items():
        if slug not in slugs and note.retired_at is None:
            note.retired_at = now
            note.save(update_fields=["retired_at"])
            SearchEntry.objects.filter(note=note).delete()
            changes["notes retired"] += 1
    reading_order = [notes[n.slug] for n in wanted]
    for index, note in enumerate(reading_order):
        links = {
            "previous_id": reading_order[index - 1].pk if index > 0 else None,
            "next_id": reading_order[index + 1].pk if index + 1 < len(reading_order) else None,
        }
        if _set(note, links):
            note.save(update_fields=list(links))
    return notes, changed


def _note_values(parsed: ParsedNote, topics: dict[str, Topic]) -> dict[str, object]:
    meta = parsed.meta
    return {
        "topic_id": topics[meta.topic].pk,
        "path": parsed.path,
        "title": meta.title,
        "order": meta.order,
        "domains": list(meta.domains),
        "updated": meta.updated,
        "sources": list(meta.sources),
        "summary": parsed.summary,
        "body_html": parsed.body_html,
        "toc_html": toc_html(parsed.toc),
        "checksum": parsed.checksum,
        "retired_at": None,
    }


def _sync_cards(course: Course, loaded: LoadedCourse, notes: dict[str, Note], *, now: datetime, changes: Counter[str]) -> None:
    existing = {c.source_key: c for c in Card.objects.filter(course=course)}
    position = 0
    new: list[Card] = []
    seen: set[str] = set()
    for parsed_note in loaded.notes:
        note = notes[parsed_note.slug]
        for parsed in parsed_note.cards:
            position += 1
            seen.add(parsed.key)
            values = {
                "note_id": note.pk,
                "kind": parsed.kind,
                "front_html": parsed.front_html,
                "back_html": parsed.back_html,
                "section_anchor": parsed.section.anchor,
                "section_title": parsed.section.title,
                "position": position,
                "tags": list(parsed.tags),  # a row updated in place: its review history stays
                "checksum": parsed.checksum,
                "retired_at": None,
            }
            card = existing.get(parsed.key)
            if card is None:
                new.append(Card(course=course, source_key=parsed.key, **values))
            elif _set(card, values):
                card.save()
                changes["cards updated"] += 1
    if new:
        Card.objects.bulk_create(new)
        changes["cards added"] += len(new)
    retire = [c.pk for key, c in existing.items() if key not in seen and c.retired_at is None]
    if retire:
        changes["cards retired"] += Card.objects.filter(pk__in=retire).update(retired_at=now)


def _sync_questions(
    course: Course, loaded: LoadedCourse, notes: dict[str, Note], topics: dict[str, Topic], *, now: datetime, changes: Counter[str]
) -> dict[str, int]:
    """The notes' questions, written through :mod:`studyapp.questions.services`: a changed wording
    becomes a new version, questions that left the files are retired. Returns question ids by key."""
    placements = {
        p.question.source_key: p
        for p in QuestionPlacement.objects.filter(course=course, note__isnull=False).select_related("question__current_version")
    }
    position = 0
    ids: dict[str, int] = {}
    for parsed_note in loaded.notes:
        note = notes[parsed_note.slug]
        for parsed in parsed_note.questions:
            position += 1
            category, domain, tags = f"{CATEGORY_ROOT}/{course.slug}/{parsed.topic}", parsed.domain, list(parsed.tags)
            place = {"topic_id": topics[parsed.topic].pk, "note_id": note.pk, "section_anchor": parsed.section.anchor, "position": position}
            placement = placements.get(parsed.key)
            if placement is None:
                question = question_services.create_question(
                    content=parsed.content,
                    by=None,
                    now=now,
                    source_key=parsed.key,
                    status=Status.PUBLISHED,
                    category=category,
                    domain=domain,
                    tags=tags,
                )
                QuestionPlacement.objects.create(question=question, course=course, **place)
                changes["questions added"] += 1
                ids[parsed.key] = question.pk
                continue
            question = placement.question
            ids[parsed.key] = question.pk
            version = question.current_version
            if version is None or version.checksum != parsed.version_checksum:
                question_services.add_version(question=question, content=parsed.content, by=None, now=now)
                changes["question versions added"] += 1
            updated = question_services.update_details(question=question, category=category, domain=domain, tags=tags)
            if question.status != Status.PUBLISHED:
                question_services.publish(question=question)
                updated = True
            if _set(placement, place):
                placement.save()
                updated = True
            if updated:
                changes["questions updated"] += 1
    gone = [p.question_id for key, p in placements.items() if key not in ids and p.question.status != Status.RETIRED]
    if gone:
        changes["questions retired"] += question_services.retire_many(ids=gone)
    return ids


def _index_note(course: Course, note: Note, parsed: ParsedNote, question_ids: dict[str, int]) -> None:
    """Rebuild the search entries of one changed note: the note itself, each of its sections, the
    calculators it embeds, its cards and its questions."""
    SearchEntry.objects.filter(note=note).delete()
    url = note.get_absolute_url()
    entries = [SearchEntry(course=course, note=note, kind=SearchKind.NOTE, title=note.title, body=parsed.text, url=url)]
    entries += [
        SearchEntry(
            course=course,
            note=note,
            kind=SearchKind.SECTION,
            title=Truncator(f"{note.title} \u203a {section.title}").chars(300),  # a breadcrumb's separator
            body=section.text,
            url=f"{url}#{section.anchor}",
        )
        for section in parsed.sections
    ]
    entries += [
        SearchEntry(
            course=course,
            note=note,
            kind=SearchKind.CALCULATOR,
            title=f"{CALCULATORS.get(name, name)} pricing calculator",
            body=f"Estimate what {CALCULATORS.get(name, name)} costs a month: the {CALCULATORS.get(name, name)} pricing calculator, "
            f"with the price table and the arithmetic shown. Embedded in the note {note.title}.",
            url=f"/pricing/{name}/",  # the pricing app's address (content does not import pricing), as calculator_placeholder links it
        )
        for name in dict.fromkeys(parsed.calculators)
    ]
    written = {card.key.split("/")[0]: card for card in reversed(parsed.cards)}  # cloze siblings share one entry
    entries += [
        SearchEntry(
            course=course,
            note=note,
            kind=SearchKind.CARD,
            title=card.section.title or note.title,
            body=card.text,
            url=f"{url}#{card.section.anchor}" if card.section.anchor else url,
        )
        for card in reversed(written.values())
    ]
    entries += [
        SearchEntry(
            course=course,
            note=note,
            question_id=question_ids[q.key],
            kind=SearchKind.QUESTION,
            title=q.content.name or Truncator(q.text).chars(80),
            body=q.text,  # the stem: a snippet must not list the options
            url=f"{url}#q-{q.key}",
        )
        for q in parsed.questions
    ]
    SearchEntry.objects.bulk_create(entries)
