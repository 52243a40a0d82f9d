from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # Writers' names are part of each story's search document. The authors app must not
        # import articles, so articles listens for saved authors (renames, merges).
        from django.db.models.signals import post_save

        from authors.models import Author

        from .services import refresh_author_search_names

        post_save.connect(
            refresh_author_search_names, sender=Author, dispatch_uid="articles.author_names"
        )
