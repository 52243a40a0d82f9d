from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("news/", views.news_feed, name="index"),
    path("news/<slug:slug>/", views.article_detail, name="detail"),
    path("section/<slug:slug>/", views.section_detail, name="section"),
    path("tag/<slug:slug>/", views.tag_detail, name="tag"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
]
