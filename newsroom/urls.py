from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.sitemaps import news_sitemap

from . import sitemaps, views

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-news.xml", news_sitemap, name="news_sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("admin/", admin.site.urls),
    path("staff/two-factor/", views.two_factor, name="two_factor"),
    path("", include("articles.urls")),
    path("", include("authors.urls")),
]

# Uploaded media in development; production serves MEDIA_ROOT from the web server.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
