"""The database goes away: the request fails whole with the 503 page, /healthz says so, nothing is half-written."""

import pytest
from django.core import mail
from django.db import IntegrityError, InterfaceError, OperationalError
from django.urls import reverse

from qiaojia.core.views import server_error
from qiaojia.cycle.models import AnnualReport, ReportStatus
from qiaojia.cycle.tests.world import make_priorities, make_report, pdf_upload

from .conftest import changed, faulty_client, files_under, table_counts

# Committed for real: the fault ends the connection, and a test's own transaction would go with it.
transactional = pytest.mark.django_db(transaction=True)


def _is_unavailable_page(response) -> bool:
    text = response.content.decode()
    return (
        response.status_code == 503
        and response["Retry-After"] == "30"
        and "暂时无法服务" in text
        and "Briefly unavailable" in text
        and "Traceback" not in text
        and "OperationalError" not in text
    )


def _sweep(fault, prepare):
    """Run the request `prepare()` returns with the database dying at its 1st, 2nd, ... query until it runs
    without meeting the fault; yields (query number, rows written before it, response, rows changed) each run."""
    at = 1
    while True:
        request = prepare()
        before = table_counts()
        fault.arm(at)
        response = request()
        reached, writes = fault.down, fault.writes_before_fault
        fault.come_back()
        yield at if reached else None, writes, response, changed(before, table_counts())
        if not reached:
            return
        at += 1


@transactional
def test_a_submission_whose_database_dies_at_any_query_fails_whole(
    business_association, other_association, officer_of, officer_of_other, staff_user, database_fault
):
    make_priorities()
    reference = make_report(other_association)
    report = make_report(business_association)
    url = reverse("cycle:report-submit", args=[report.pk])

    other = faulty_client(officer_of_other)
    before = table_counts()
    done = other.post(reverse("cycle:report-submit", args=[reference.pk]), {"version": reference.version})
    assert done.status_code == 302
    whole = changed(before, table_counts())
    assert whole.get("cycle_reportevent") == 1 and whole.get("core_auditentry", 0) >= 1
    assert whole.get("notifications_notification") == 1

    client = faulty_client(officer_of)
    faults = []
    for at, writes, response, rows in _sweep(
        database_fault, lambda: lambda: client.post(url, {"version": report.version})
    ):
        if at is None:
            assert response.status_code == 302
            assert rows == whole
            break
        assert _is_unavailable_page(response), (at, response.status_code)
        faults.append((at, writes))
        if rows:  # only a fault after the commit may leave the write behind, and then all of it
            assert rows == whole, (at, rows)
            break
    assert AnnualReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
    # The sweep reached into the transaction: faults after several rows were already written left none.
    assert len(faults) >= 10
    assert max(writes for _at, writes in faults) >= 3


@transactional
def test_an_attachment_whose_database_dies_midway_leaves_neither_file_nor_row(
    business_association, officer_of, database_fault, media
):
    make_priorities()
    report = make_report(business_association, complete=False)  # no statements yet: the test attaches them
    client = faulty_client(officer_of)
    url = reverse("cycle:report-attach", args=[report.pk, "financial"])
    mail.outbox.clear()
    runs = 0

    def prepare():
        data = {"version": AnnualReport.objects.get(pk=report.pk).version, "file": pdf_upload()}
        return lambda: client.post(url, data)

    for at, _writes, response, rows in _sweep(database_fault, prepare):
        runs += 1
        if at is None:
            assert response.status_code == 302
            assert len(files_under(media)) == 1
            assert rows.get("cycle_attachment") == 1
            break
        assert _is_unavailable_page(response), (at, response.status_code)
        if rows:
            assert rows.get("cycle_attachment") == 1 and len(files_under(media)) == 1
            break
        assert files_under(media) == [], at
    assert runs >= 5
    assert AnnualReport.objects.get(pk=report.pk).financial_file is not None


@transactional
def test_healthz_answers_503_while_the_database_is_away_and_200_when_it_is_back(
    client, business_association, officer_of, database_away
):
    make_priorities()
    make_report(business_association)
    officer = faulty_client(officer_of)
    assert client.get("/healthz").status_code == 200
    assert officer.get(reverse("cycle:report-list")).status_code == 200

    database_away.leave()
    for _ in range(3):
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.json() == {"status": "error", "database": "unavailable"}
    assert _is_unavailable_page(officer.get(reverse("cycle:report-list")))

    database_away.come_back()
    assert client.get("/healthz").status_code == 200
    assert officer.get(reverse("cycle:report-list")).status_code == 200


@pytest.mark.parametrize(
    ("error", "status", "page"),
    [
        (OperationalError("server closed the connection unexpectedly"), 503, "Briefly unavailable"),
        (InterfaceError("connection already closed"), 503, "Briefly unavailable"),
        (ZeroDivisionError("division by zero"), 500, "Server error"),
        (IntegrityError("duplicate key value"), 500, "Server error"),
    ],
)
def test_the_error_page_tells_the_database_away_from_an_error_of_ours(rf, error, status, page):
    try:
        raise error
    except Exception:  # noqa: BLE001 - the handler reads the exception being handled, as Django calls it
        response = server_error(rf.get("/"))
    text = response.content.decode()
    assert response.status_code == status and page in text
    assert str(error) not in text and "Traceback" not in text
    assert ("Retry-After" in response) == (status == 503)
