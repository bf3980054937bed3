"""The shape every create and edit page shares: validate, call the service, handle a conflict,
a repeated submission, or a rule the service refuses — and keep what the user typed."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .services import AlreadySubmitted, ConflictError, check_form_token

PAGE_SIZE = 50


def count_capped(queryset, cap: int) -> int:
    """How many rows `queryset` holds, counting no further than `cap + 1` (`CappedPaginator` counts with it,
    exports with it tell a large list from a small one): no exact COUNT of a million rows."""
    if isinstance(queryset, QuerySet):
        return queryset.order_by()[: cap + 1].count()
    return len(queryset[: cap + 1])


def form_page(
    request,
    *,
    form,
    save: Callable[[dict[str, Any]], Any],
    success_url: Callable[[Any], str],
    title: str,
    breadcrumb: list[tuple[str, str]] | None = None,
    current: Any = None,
    template: str = "core/form_page.html",
    extra: dict[str, Any] | None = None,
    success_message: Callable[[Any], str] | None = None,
):
    context = {"form": form, "title": title, "breadcrumb": breadcrumb or [], **(extra or {})}
    if request.method == "POST":
        try:
            # Before validation: the repeat would otherwise be refused as a duplicate of its own record.
            check_form_token(_posted_form_token(form))
        except AlreadySubmitted as exc:
            return _already_submitted(request, exc, success_url)
        if form.is_valid():
            try:
                obj = save(form.cleaned_data)
            except ConflictError as exc:
                latest = current.__class__._default_manager.filter(pk=current.pk).first() if current else None
                data = form.data.copy()
                if latest is not None:
                    data["version"] = latest.version
                form = form.__class__(data=data, **_form_kwargs(form))
                form.is_valid()
                return render(
                    request, template, {**context, "form": form, "conflict": exc.message, "latest": latest}, status=409
                )
            except AlreadySubmitted as exc:
                return _already_submitted(request, exc, success_url)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, success_message(obj) if success_message else _("Saved."))
                return redirect(success_url(obj))
        return render(request, template, context, status=400)
    return render(request, template, context)


def _posted_form_token(form) -> uuid.UUID | None:
    if "form_token" not in form.fields or not form.is_bound:
        return None
    try:
        return uuid.UUID(str(form.data.get(form.add_prefix("form_token"), "")))
    except ValueError:
        return None


def _already_submitted(request, exc: AlreadySubmitted, success_url: Callable[[Any], str]):
    messages.info(request, _("This form was already submitted; the record was created once."))
    return redirect(success_url(exc.object_id) if exc.object_id else request.path)


def _form_kwargs(form) -> dict[str, Any]:
    kwargs = {}
    if getattr(form, "instance", None) is not None:
        kwargs["instance"] = form.instance
    for key in getattr(form, "extra_init_kwargs", ()):
        kwargs[key] = getattr(form, key)
    return kwargs


# Lists count at most this many rows: an exact COUNT(*) of a million rows costs more than the page
# itself (tens of ms on either database), and nobody pages past the 200th page — they filter instead.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at `cap`: `capped` says there are more rows than it counted, and
    the pages reach as far as the counted rows do."""

    def __init__(self, object_list, per_page, *, cap: int = COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        counted = count_capped(self.object_list, self.cap)
        self.capped = counted > self.cap
        return min(counted, self.cap)


def paginate(request, queryset, per_page: int = PAGE_SIZE, *, cap: int = COUNT_CAP):
    """One page of a list: a COUNT bounded by `cap` plus one slice, whatever the number of rows."""
    paginator = CappedPaginator(queryset, per_page, cap=cap)
    return paginator.get_page(request.GET.get("page"))


__all__ = ["form_page", "paginate", "NON_FIELD_ERRORS"]


def require(allowed: bool) -> None:
    """Out of scope and not permitted look the same from outside: not found."""
    if not allowed:
        raise Http404


def post_action(request, form, action, *, success: str, back: str, done: str | None = None):
    """A small POST (a button on a page): run it, say what happened, and go back (to `done` on success)."""
    if not form.is_valid():
        messages.error(request, _("The request was incomplete. Reload the page and try again."))
        return redirect(back)
    try:
        action(form.cleaned_data)
    except ConflictError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
        return redirect(done or back)
    return redirect(back)
