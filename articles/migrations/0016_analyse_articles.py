"""Refresh PostgreSQL's statistics for the article table.

The columns the workflow, Trash and photo migrations added (embargo, trash, lead photo) have
no statistics until the table is analysed, and adding a column does not wake autovacuum. The
planner then misjudges the publish rule and reads the whole table for the News Feed and
related stories (100 ms instead of 3 ms at 100,000 articles). SQLite needs nothing.
"""

from django.db import migrations


def analyse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE articles_article")


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_merge_cache")]

    operations = [migrations.RunPython(analyse, migrations.RunPython.noop)]
