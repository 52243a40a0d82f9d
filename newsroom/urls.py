from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, SectionSitemap, TagSitemap
from authors.sitemaps import AuthorSitemap

from . import views

sitemaps = {
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("staff/two-factor/", views.two_factor, name="two_factor"),
    path("", include("articles.urls")),
    path("", include("authors.urls")),
]

# Uploaded media in development; production serves MEDIA_ROOT from the web server.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
