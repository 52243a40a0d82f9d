from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404


def paginate(request, queryset, per_page=None):
    """The requested page of `queryset`; 404 for a page that is absent or not a number."""
    paginator = Paginator(queryset, per_page or settings.NEWSROOM_PAGE_SIZE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage as error:
        raise Http404("No such page.") from error
