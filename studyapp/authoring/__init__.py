"""Question bank authoring: editor, versions, import/export."""
