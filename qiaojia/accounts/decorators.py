from functools import wraps

from . import second_factor


def recent_second_factor(view=None, *, when=None):
    """A sensitive action: staff and officers must have passed the second factor within
    QIAOJIA_SENSITIVE_REVERIFY_MINUTES, or confirm it again and come back. `when(request, *args, **kwargs)`
    limits the demand to some calls of the view. Put it under `login_required`."""

    def decorate(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if (
                second_factor.is_required(request.user)
                and (when is None or when(request, *args, **kwargs))
                and not second_factor.verified_recently(request)
            ):
                return second_factor.verify_redirect(request)
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate
