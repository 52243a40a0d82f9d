"""Site settings for structured data, and full-text search columns on PostgreSQL only.

The search columns and their index are PostgreSQL features (tsvector, a generated column
calling to_tsvector, GIN). Wrapped in OnPostgreSQL, they are applied, in the schema and in
the migration state alike, only when the database is PostgreSQL, matching the model, which
declares them only there (articles.models.FULL_TEXT_SEARCH). SQLite gets the plain table.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.expressions
from django.db import connection, migrations, models
from django.db.migrations.operations.base import Operation

import newsroom.uploads


class OnPostgreSQL(Operation):
    """Run the wrapped operation only on PostgreSQL, in state and schema alike."""

    reversible = True

    def __init__(self, operation):
        self.operation = operation

    def deconstruct(self):
        return (self.__class__.__name__, [self.operation], {})

    def state_forwards(self, app_label, state):
        if connection.vendor == "postgresql":
            self.operation.state_forwards(app_label, state)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"


def fill_search_names(apps, schema_editor):
    """The same update as articles.services.refresh_search_names, for existing stories."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.aggregates import StringAgg
    from django.contrib.postgres.search import SearchVector
    from django.db.models import OuterRef, Subquery

    Article = apps.get_model("articles", "Article")
    Byline = apps.get_model("articles", "Byline")
    Tag = apps.get_model("articles", "Tag")
    writers = (
        Byline.objects.filter(article=OuterRef("pk"))
        .values("article")
        .annotate(names=StringAgg("author__name", " "))
        .values("names")
    )
    tags = (
        Tag.objects.filter(articles=OuterRef("pk"))
        .values("articles")
        .annotate(names=StringAgg("name", " "))
        .values("names")
    )
    Article.objects.update(
        search_names=SearchVector(Subquery(tags), weight="B", config="english")
        + SearchVector(Subquery(writers), weight="D", config="english")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_newsroom_groups"),
        ("authors", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SiteSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "logo",
                    models.ImageField(
                        blank=True,
                        help_text="The publisher logo for search engines: PNG or JPEG, at most 600×60 pixels works everywhere. Without one, the site's default logo is used.",
                        upload_to=newsroom.uploads.UploadTo("site"),
                        validators=[
                            newsroom.uploads.validate_upload_size,
                            newsroom.uploads.validate_image_extension,
                        ],
                    ),
                ),
                (
                    "publishing_principles_url",
                    models.URLField(
                        blank=True,
                        help_text="Address of the page describing the newsroom's editorial standards.",
                        verbose_name="publishing principles",
                    ),
                ),
                (
                    "corrections_policy_url",
                    models.URLField(
                        blank=True,
                        help_text="How readers report errors and how we fix them.",
                        verbose_name="corrections policy",
                    ),
                ),
                ("ethics_policy_url", models.URLField(blank=True, verbose_name="ethics policy")),
                (
                    "masthead_url",
                    models.URLField(
                        blank=True,
                        help_text="The page listing the editors and who is responsible.",
                        verbose_name="masthead",
                    ),
                ),
                (
                    "ownership_funding_url",
                    models.URLField(
                        blank=True,
                        help_text="Who owns and funds the publication.",
                        verbose_name="ownership and funding",
                    ),
                ),
                ("modified", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "site settings",
                "verbose_name_plural": "site settings",
            },
        ),
        OnPostgreSQL(
            migrations.AddField(
                model_name="article",
                name="search_names",
                field=django.contrib.postgres.search.SearchVectorField(
                    default="", editable=False, help_text="Tag names (weight B) and writers (D)."
                ),
            )
        ),
        OnPostgreSQL(
            migrations.AddField(
                model_name="article",
                name="search_vector",
                field=models.GeneratedField(
                    db_persist=True,
                    expression=django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.CombinedSearchVector(
                            django.contrib.postgres.search.SearchVector(
                                "title", config="english", weight="A"
                            ),
                            "||",
                            django.contrib.postgres.search.SearchVector(
                                "summary", config="english", weight="B"
                            ),
                            django.contrib.postgres.search.SearchConfig("english"),
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "body", config="english", weight="C"
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
            )
        ),
        OnPostgreSQL(
            migrations.AddIndex(
                model_name="article",
                index=django.contrib.postgres.indexes.GinIndex(
                    django.db.models.expressions.CombinedExpression(
                        models.F("search_vector"),
                        "||",
                        models.F("search_names"),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                    name="article_search_gin",
                ),
            )
        ),
        migrations.AddConstraint(
            model_name="sitesettings",
            constraint=models.CheckConstraint(
                condition=models.Q(("id", 1)), name="sitesettings_single_row"
            ),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop, elidable=True),
    ]
