import re
import uuid

from . import context

_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when it looks sane) and records who and
    from where for the audit trail. The user is read lazily: authentication runs after this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.client_ip = request.META.get("REMOTE_ADDR")
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
        context.set_current(
            context.ActorContext(user.pk, user.get_username(), request.client_ip, request.request_id)
        )
