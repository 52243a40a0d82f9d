from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("news/", views.news_feed, name="index"),
    path("news/<slug:slug>/", views.article_detail, name="detail"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("section/<slug:slug>/feed/", feeds.SectionFeed(), name="section_feed"),
    path("section/<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tag/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("authors/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path("search/", views.search, name="search"),
    path("preview/<str:token>/", views.preview_link, name="preview_link"),
    path("corrections/", views.corrections, name="corrections"),
    path("corrections/feed/", feeds.CorrectionsFeed(), name="corrections_feed"),
    path("corrections/feed/atom/", feeds.CorrectionsAtomFeed(), name="corrections_feed_atom"),
]
