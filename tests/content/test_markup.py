"""Rendering short, untrusted text: sanitized, and the plain-text shortcut renders exactly as Markdown would."""

import markdown
import nh3
from hypothesis import given
from hypothesis import strategies as st

from studyapp.content.parsing.markup import _PLAIN, render_safe


def test_raw_html_is_escaped_and_scripts_never_survive():
    rendered = render_safe("<script>alert(1)</script> **bold** [x](javascript:alert(1))")
    assert "<script" not in rendered and "&lt;script&gt;" in rendered
    assert "<strong>bold</strong>" in rendered
    assert "javascript:" not in rendered


def test_inline_drops_the_paragraph():
    assert render_safe("Use `docker push`", inline=True) == "Use <code>docker push</code>"


@given(st.text(alphabet="abcXYZ019 ,.;:'\"()?/%$+=@-", min_size=1, max_size=40))
def test_plain_shortcut_matches_markdown(text):
    if not _PLAIN.match(text.strip()):
        return
    slow = nh3.clean(markdown.markdown(text.strip(), output_format="html"))
    assert render_safe(text) == slow
