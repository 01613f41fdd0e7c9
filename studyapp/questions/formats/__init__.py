"""Pure question formats (GIFT today): text in, :class:`~studyapp.questions.content.QuestionContent` out.

Standard library only, no Django imports; each format reads into and writes from the typed content of
:mod:`studyapp.questions.content`, so every format and every reader share one question type.
"""
