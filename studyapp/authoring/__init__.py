"""Question authoring: the bank's browser editor, versions and their diffs, GIFT / Aiken / Moodle XML
import and export, and regrading after a key change. Questions are written only through
:mod:`studyapp.questions.services`; the pure parsers and writers live in :mod:`.formats`.
"""
