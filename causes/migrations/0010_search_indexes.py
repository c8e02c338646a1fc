"""Site search on PostgreSQL: a stored, weighted search vector per item with a GIN index, and pg_trgm for titles.

A no-op on SQLite, whose search runs in Python (causes/search.py). The vector is a generated column
that PostgreSQL keeps up to date on every insert and update, so a search never rebuilds vectors from
the text (that cost 60 to 120 ms a search with 10x the seed). Django's models do not know the
column: it exists on one backend only, and causes/search.py reads it by name. Title A, summary B,
the rest C, in English, as search ranks them.
"""

from django.db import migrations

# table, title column, summary column, the rest of the text
TABLES = [
    ("causes_cause", "title", "summary", ("body", "self_care")),
    ("causes_remedy", "title", "summary", ("body", "caution")),
    ("causes_faq", "question", None, ("answer",)),
]


def _vector(title: str, summary: str | None, rest: tuple[str, ...]) -> str:
    parts = [f"setweight(to_tsvector('english'::regconfig, coalesce({title}, '')), 'A')"]
    if summary:
        parts.append(f"setweight(to_tsvector('english'::regconfig, coalesce({summary}, '')), 'B')")
    text = " || ' ' || ".join(f"coalesce({column}, '')" for column in rest)
    parts.append(f"setweight(to_tsvector('english'::regconfig, {text}), 'C')")
    return " || ".join(parts)


def add_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, title, summary, rest in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({_vector(title, summary, rest)}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {table}_search ON {table} USING gin (search_vector)")
        schema_editor.execute(f"CREATE INDEX {table}_title_trgm ON {table} USING gin ({title} gin_trgm_ops)")


def remove_search(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, title, _, _ in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_title_trgm")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")  # its index goes with it


class Migration(migrations.Migration):
    dependencies = [
        ("causes", "0009_roles_edit_synonyms_and_glossary"),
    ]

    operations = [
        migrations.RunPython(add_search, remove_search),
    ]
