"""Full-text indexes for SearchEntry, kept by the database itself.

SQLite: an external-content FTS5 table and three triggers. PostgreSQL: a trigger that fills
``search_vector`` (title weighted A, body B) and a GIN index on it.

SQLite rebuilds a table when a later migration alters it, which drops its triggers: a migration that
alters SearchEntry must run ``create_sqlite`` again.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE content_searchentry_fts USING fts5(
        title, body, content='content_searchentry', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER content_searchentry_ai AFTER INSERT ON content_searchentry BEGIN
        INSERT INTO content_searchentry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER content_searchentry_ad AFTER DELETE ON content_searchentry BEGIN
        INSERT INTO content_searchentry_fts(content_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER content_searchentry_au AFTER UPDATE ON content_searchentry BEGIN
        INSERT INTO content_searchentry_fts(content_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO content_searchentry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    "INSERT INTO content_searchentry_fts(content_searchentry_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS content_searchentry_ai",
    "DROP TRIGGER IF EXISTS content_searchentry_ad",
    "DROP TRIGGER IF EXISTS content_searchentry_au",
    "DROP TABLE IF EXISTS content_searchentry_fts",
]
POSTGRES = [
    """CREATE FUNCTION content_searchentry_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('english', coalesce(NEW.body, '')), 'B');
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER content_searchentry_vector_trigger
        BEFORE INSERT OR UPDATE OF title, body ON content_searchentry
        FOR EACH ROW EXECUTE FUNCTION content_searchentry_vector()""",
    "CREATE INDEX content_searchentry_vector_gin ON content_searchentry USING gin (search_vector)",
    "UPDATE content_searchentry SET title = title",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS content_searchentry_vector_gin",
    "DROP TRIGGER IF EXISTS content_searchentry_vector_trigger ON content_searchentry",
    "DROP FUNCTION IF EXISTS content_searchentry_vector()",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)

    return run


create = _run({"sqlite": SQLITE, "postgresql": POSTGRES})
drop = _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
