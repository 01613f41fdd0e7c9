"""The mock exam's question map, written as HTML in Python.

A full mock has 65 numbers in its map; through the template language each cost a dozen tag and
variable evaluations, a third of the question page's time (bench/load_learners.py). Every value here
is an integer or one of the fixed words below, so nothing needs escaping. The page template
(``quizzes/mock_question.html``) places the list in its ``<ol>``; an autosave or a flag sends back
the changed number out of band.
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils.safestring import SafeString, mark_safe

type MapItem = tuple[int, datetime | None, bool]  # a slot's position, when it was answered, whether it is flagged


def _item(item: MapItem, current: int, *, oob: bool) -> str:
    position, answered_at, flagged = int(item[0]), item[1], item[2]
    here = position == current
    classes = "map-button" + (" is-answered" if answered_at else "") + (" is-flagged" if flagged else "") + (" is-current" if here else "")
    label = f"Question {position}, {'answered' if answered_at else 'not answered'}{', flagged' if flagged else ''}{', this question' if here else ''}"
    return (
        f'<li id="map-{position}"{' hx-swap-oob="true"' if oob else ""}><button type="submit" form="mock-form" name="go" value="{position}" '
        f'class="{classes}"{' aria-current="step"' if here else ""} aria-label="{label}">{position}</button></li>'
    )


def map_html(items: Iterable[MapItem], current: int) -> SafeString:
    """Every number of the map, ``current`` marked as this question."""
    return mark_safe("".join(_item(item, current, oob=False) for item in items))  # integers and fixed words only


def changed_item_html(item: MapItem) -> SafeString:
    """The number of the question just saved (so the current one), to replace its place in the map
    out of band (``hx-swap-oob``)."""
    return mark_safe(_item(item, item[0], oob=True))  # integers and fixed words only
