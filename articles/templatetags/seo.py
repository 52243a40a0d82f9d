"""Tags for machine-readable page metadata: canonical addresses and JSON-LD."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

# As django.utils.html.json_script: inside a script element these three could end it early
# ("</script>") or start markup; their JSON escapes read the same to a JSON parser.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """`data` (a dict or list) as a JSON-LD script element.

    A data block, not script: browsers never run it, so the CSP needs no nonce for it.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    text = text.translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """`path` (e.g. a static or media URL) as an absolute address on this site."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def canonical_url(context):
    """This page's address without query parameters, except a page number past the first.

    Filters, cursors and tracking parameters never make a page a different document.
    """
    request = context["request"]
    url = request.build_absolute_uri(request.path)
    page = context.get("page")
    number = getattr(page, "number", 1)
    if isinstance(number, int) and number > 1:
        url += f"?page={number}"
    return url
