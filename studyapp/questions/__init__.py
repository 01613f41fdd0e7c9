"""The question bank: questions, their versions and status, and the one writer of them.

Below content, srs, quizzes and the apps to come; imports nothing from them. ``content.py`` is pure
(typed question content and ``grade()``); ``formats/`` holds the pure GIFT reader and writer.
"""
