from django.urls import path

from . import views

app_name = "authors"

urlpatterns = [
    path("authors/<slug:slug>/", views.author_detail, name="detail"),
    path("team/", views.team, name="team"),
    path("staff/profile/", views.profile_edit, name="profile"),
]
