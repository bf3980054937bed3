"""The login lockout counts in the database shared by every web process: failures spread over two real
server processes lock as if they had all reached one."""

from axes.models import AccessAttempt
from django.db.models import Sum

from conftest import TEST_PASSWORD
from qiaojia.accounts.models import Role
from tests.multiprocess import Browser


def _login(base: str, browser: Browser, username: str, password: str) -> int:
    browser.request(f"{base}/accounts/login/")  # the CSRF cookie, as a browser gets it with the form
    status, _headers, _body = browser.request(f"{base}/accounts/login/", {"username": username, "password": password})
    return status


def _failures(username: str) -> int:
    return AccessAttempt.objects.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0


def test_login_failures_spread_over_two_server_processes_lock_the_account(server_processes, make_user):
    for name in ("from_one_address", "from_many_addresses", "control"):
        make_user(name, Role.MEMBER)
    first, second = server_processes(2, QIAOJIA_TRUSTED_PROXIES="1")
    servers = (first, second)
    home = Browser(address="198.51.100.7")

    # Five failures from one address, alternating between the processes: neither saw five.
    for n in range(5):
        assert _login(servers[n % 2], home, "from_one_address", "wrong-password-x") in (200, 429)
    assert _failures("from_one_address") == 5
    assert _login(first, home, "from_one_address", TEST_PASSWORD) == 429
    assert _login(second, home, "from_one_address", TEST_PASSWORD) == 429

    # Ten failures from ten addresses, five on each process: the account is locked on both.
    for n in range(10):
        assert _login(
            servers[n % 2], Browser(address=f"192.0.2.{n + 1}"), "from_many_addresses", "wrong-password-x"
        ) in (200, 429)
    assert _login(second, Browser(address="192.0.2.99"), "from_many_addresses", TEST_PASSWORD) == 429

    # The servers do log in a right password that no lockout holds back.
    for n in range(4):
        _login(servers[n % 2], home, "control", "wrong-password-x")
    assert _login(first, home, "control", TEST_PASSWORD) == 302
