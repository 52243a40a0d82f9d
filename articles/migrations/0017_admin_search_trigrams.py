"""Trigram indexes for the admin's article search on PostgreSQL.

The changelist searches headline, slug and standfirst with `icontains`, which PostgreSQL
answers as `UPPER(column) LIKE '%word%'`: without these, a search read all 100,000 stories
(about 480 ms). pg_trgm is a trusted extension, so the database owner may create it; where
it cannot be created the search still works, only without the indexes. SQLite needs nothing.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

COLUMNS = ["title", "slug", "summary"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        logger.warning("pg_trgm is not available: the admin search runs without its indexes")
        return
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS article_{column}_trgm ON articles_article "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS article_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_analyse_articles")]

    operations = [migrations.RunPython(create, drop)]
