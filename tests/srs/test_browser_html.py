"""The card browser's rows written in Python (srs.browser_html): the same markup the template had,
every value escaped."""

from datetime import UTC, datetime

from studyapp.srs.browser import Row
from studyapp.srs.browser_html import rows_html


def _row(**changes: object) -> Row:
    values: dict = {
        "pk": 7,
        "is_question": False,
        "text": "What is <b>Fargate</b>?",
        "tick_label": 'Tick "Fargate"',
        "url": "/courses/compute/fargate/#what",
        "topic": "Containers & co",
        "state": "Review",
        "due": datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
        "due_text": "3 Dec 2026",
        "lapses": 2,
        "marks": ("Flagged", "Leech"),
    }
    return Row(**(values | changes))


def test_a_card_row_links_its_text_and_escapes_every_value():
    html = rows_html([_row()])
    assert '<input type="checkbox" name="ids" value="7" id="pick-7" aria-label="Tick &quot;Fargate&quot;">' in html
    assert '<a href="/courses/compute/fargate/#what">What is &lt;b&gt;Fargate&lt;/b&gt;?</a>' in html
    assert "<td>Containers &amp; co</td><td>Review</td>" in html
    assert '<time datetime="2026-12-03T09:30:00+00:00">3 Dec 2026</time>' in html
    assert '<span class="mark-tag">Flagged</span><span class="mark-tag leech-tag">Leech</span>' in html
    assert "item-kind" not in html


def test_a_question_without_a_note_or_a_due_date_shows_plain_text_and_a_dash():
    html = rows_html([_row(is_question=True, url="", due=None, due_text="–", marks=())])
    assert '<td><span class="item-kind">Question</span> What is &lt;b&gt;Fargate&lt;/b&gt;?</td>' in html
    assert "<td>–</td>" in html and "<a " not in html
    assert '<td class="marks"></td>' in html


def test_rows_come_in_order():
    html = rows_html([_row(pk=1), _row(pk=2)])
    assert html.index('value="1"') < html.index('value="2"')
