"""Question formats, pure: standard library (and defusedxml for Moodle XML) only, no Django.

Each module reads text into :class:`studyapp.questions.formats.gift.Question` values (a located
:class:`~studyapp.questions.content.QuestionContent` with its id, tags and category) and writes them
back: ``parse(text) -> ParseResult`` and ``dump(questions) -> str``. GIFT itself lives in
:mod:`studyapp.questions.formats.gift` because the course notes are written in it. :mod:`.aiken` and
:mod:`.moodle_xml` also say, with ``unsupported(question)``, why a question is left out of an export;
:mod:`.interchange` gives any ``ParseResult`` the ``import_questions --json`` shape and holds the rule
that essays and descriptions are reported as skipped.
"""
