"""SQLite with one queue for writers per process (``ENGINE = "studyapp.core.sqlite"``); see :mod:`.base`."""
