"""Login lockout (django-axes): limits per account and address and per account, one page for every lockout."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, with each lockout group measured against its own limit: an account from one
    address against AXES_FAILURE_LIMIT, an account from anywhere against QIAOJIA_ACCOUNT_FAILURE_LIMIT.

    Axes compares one number with AXES_FAILURE_LIMIT, so each group's count is scaled to that limit."""

    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        groups = get_lockout_parameters(request, credentials)
        worst = 0
        for group, attempts in zip(groups, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            group_limit = settings.QIAOJIA_ACCOUNT_FAILURE_LIMIT if group == "username" else limit
            worst = max(worst, failures * limit // group_limit)
        return worst

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful login clears the failures of its own account from its own address only: the owner
        logging in must not wipe the count of someone guessing from elsewhere."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The same page whatever locked the login (the account, the address, or both) and whether the account
    exists: how long to wait and what to do, in the visitor's language."""
    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
