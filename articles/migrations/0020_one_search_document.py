"""One stored search document per story (PostgreSQL only, as in 0003).

Searches read `search_vector || search_names`, and PostgreSQL joined the two afresh for
every story it tested and again for every one it ranked. The new generated column holds
the joined document; the GIN index moves to it. Adding it computes every story's document
once and rewrites the table under a lock: about a minute at 100,000 stories.
"""

from importlib import import_module

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.expressions
from django.db import migrations, models

OnPostgreSQL = import_module("articles.migrations.0003_search_and_site_settings").OnPostgreSQL

DOCUMENT = django.db.models.expressions.CombinedExpression(
    django.contrib.postgres.search.CombinedSearchVector(
        django.contrib.postgres.search.CombinedSearchVector(
            django.contrib.postgres.search.SearchVector("title", config="english", weight="A"),
            "||",
            django.contrib.postgres.search.SearchVector("summary", config="english", weight="B"),
            django.contrib.postgres.search.SearchConfig("english"),
        ),
        "||",
        django.contrib.postgres.search.SearchVector("body", config="english", weight="C"),
        django.contrib.postgres.search.SearchConfig("english"),
    ),
    "||",
    models.F("search_names"),
    output_field=django.contrib.postgres.search.SearchVectorField(),
)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_not_trashed_index"),
    ]

    operations = [
        OnPostgreSQL(migrations.RemoveIndex(model_name="article", name="article_search_gin")),
        OnPostgreSQL(migrations.RemoveField(model_name="article", name="search_vector")),
        OnPostgreSQL(
            migrations.AddField(
                model_name="article",
                name="search_document",
                field=models.GeneratedField(
                    db_persist=True,
                    expression=DOCUMENT,
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
            )
        ),
        OnPostgreSQL(
            migrations.AddIndex(
                model_name="article",
                index=django.contrib.postgres.indexes.GinIndex(
                    fields=["search_document"], name="article_search_gin"
                ),
            )
        ),
    ]
