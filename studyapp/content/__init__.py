"""Course content: Markdown files in, database rows out; the notes pages and search."""
