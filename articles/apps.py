from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        # Writers' names are part of each story's search document. The authors app must not
        # import articles, so articles listens for saved authors (renames, merges).
        from django.db.models.signals import post_save

        from authors.models import Author
        from photos.models import Image

        from .services import purge_pages_showing_photo, refresh_author_search_names

        post_save.connect(
            refresh_author_search_names, sender=Author, dispatch_uid="articles.author_names"
        )
        # The photos app knows nothing of the pages; articles knows which show a photo.
        post_save.connect(
            purge_pages_showing_photo, sender=Image, dispatch_uid="articles.photo_pages"
        )
        # Stored story parts are forgotten by the same purges as cached pages.
        from . import stories  # noqa: F401
