"""The index of stories outside the Trash also carries what published() tests (status,
publish time, embargo end), so a writer's or a tag's newest stories are found from their
links by reading the index alone (PostgreSQL; SQLite indexes the key alone)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_one_search_document"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="article_not_trashed_idx"),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("trashed_at__isnull", True)),
                fields=["id"],
                include=("status", "published_at", "embargo_until"),
                name="article_not_trashed_idx",
            ),
        ),
    ]
