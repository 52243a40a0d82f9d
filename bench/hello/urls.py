"""One view returning a fixed 50 KB page, about the size of a newsroom page."""

from django.http import HttpResponse
from django.urls import path

LINE = "<p>Hello, world. This line pads the page to a realistic size.</p>\n"
BODY = (LINE * (50_000 // len(LINE) + 1))[:50_000]


def hello(request):
    return HttpResponse(BODY)


urlpatterns = [path("", hello)]
