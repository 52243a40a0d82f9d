import base64
import hashlib
import re

# An inline <script> without a src attribute, e.g. the import map the body editor needs.
INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)


class AdminContentSecurityPolicy:
    """Let the admin run under the site's Content-Security-Policy.

    Admin pages carry a few inline scripts that third-party widgets write (the rich-text
    editor's import map). Rather than allowing any inline script, each one on the page is
    allowed by its SHA-256 hash, so an injected script still cannot run. The admin's own
    inline style attributes are allowed there, and only there.
    Must sit after csp.middleware.CSPMiddleware so that it sees the response first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/") and is_html(response):
            hashes = [script_hash(body) for body in INLINE_SCRIPT.findall(response.content)]
            response._csp_update = {"script-src": hashes, "style-src": ["'unsafe-inline'"]}
        return response


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html") and not response.streaming


def script_hash(body):
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    return f"'sha256-{digest}'"
