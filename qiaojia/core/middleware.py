import ipaddress
import re
import uuid

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.utils import translation

from . import context
from .chinese import reader_script
from .script import convert_html

# fullmatch, not `$`: `$` also matches before a trailing newline, which would then be echoed into
# the X-Request-ID response header and make Django refuse the response.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{8,64}")


def _valid_ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address for the audit trail and the login lockout (axes uses this too).

    Behind QIAOJIA_TRUSTED_PROXIES reverse proxies REMOTE_ADDR is the nearest proxy, so the address
    is taken from X-Forwarded-For, counted from the right: entries further left are whatever the
    client chose to send and are never trusted."""
    proxies = settings.QIAOJIA_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return _valid_ip(forwarded[-proxies])
    return _valid_ip(request.META.get("REMOTE_ADDR"))


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when it looks sane) and records who and
    from where for the audit trail. The user is read lazily: authentication runs after this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
        request.client_ip = client_ip(request)
        token = context.set_current(context.ActorContext(None, "anonymous", request.client_ip, request.request_id))
        request._actor_token = token
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def bind_user(request) -> None:
    """Called once authentication has run (accounts middleware) so audit rows name the user."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        context.set_current(context.ActorContext(user.pk, user.get_username(), request.client_ip, request.request_id))


def _content_type(response) -> str:
    return response.get("Content-Type", "").split(";")[0].strip().lower()


def _is_html(response) -> bool:
    return _content_type(response) in ("text/html", "application/xhtml+xml")


def _cache_directives(response) -> set[str]:
    return {part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",") if part.strip()}


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's Content-Security-Policy, with a fresh nonce in the policy of every HTML page even
    where the page has no inline element to use it, so every page states the same nonce-based policy.

    PDFs go without: Chrome shows an inline PDF in a page of its own that the policy would break
    (object-src 'none' blocks its viewer, crbug.com/271452); nothing in a PDF runs in our origin."""

    def process_response(self, request, response):
        if _is_html(response) and hasattr(request, "csp_nonce"):
            str(request.csp_nonce)
        if _content_type(response) == "application/pdf":
            response._csp_exempt = True
        return super().process_response(request, response)


class CacheControlMiddleware:
    """`Cache-Control: private, no-store` on every response unless its view declared it `public` (a
    published news image), so no browser or proxy keeps a page or file with personal data.

    HTML is never public: each page carries a per-response CSP nonce and a CSRF token, so even the
    public news portal must not be replayed from a cache. Static assets never reach this middleware
    (WhiteNoise answers them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        directives = _cache_directives(response)
        if "public" in directives and not _is_html(response):
            return response
        if "public" in directives or "no-store" not in directives:
            response["Cache-Control"] = "private, no-store"
        return response


class ReaderScriptMiddleware:
    """Every HTML page in the reader's script (`core.script.convert_html`), people's names as registered.
    It runs inside the language middlewares' choice (the language active when the page is answered)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.streaming or not _is_html(response) or response.get("Content-Encoding"):
            return response
        language = translation.get_language() or settings.LANGUAGE_CODE
        if not reader_script(language):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset, errors="replace")
        converted = convert_html(html, language)
        if converted != html:
            response.content = converted.encode(charset)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response
