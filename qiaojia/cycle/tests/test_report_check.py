"""The report's check before each step of its review: what is missing is listed, in the reader's language,
and the step is refused until it is there; the report form's help texts are shown under their fields."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from conftest import verified_client
from qiaojia.cycle import services
from qiaojia.cycle.forms import ReportForm
from qiaojia.cycle.models import AnnualReport, ReportStatus
from qiaojia.cycle.tests.world import make_priorities, make_report, pdf_upload

STATEMENTS = "The financial statements are not attached."


def _without_statements(report):
    """A report submitted before the statements were required (the demo's returned report was)."""
    AnnualReport.objects.filter(pk=report.pk).update(financial_file=None)
    report.refresh_from_db()
    return report


def test_submission_lists_each_missing_part_and_changes_nothing(business_association, priorities):
    report = make_report(business_association, with_item=False, complete=False)
    with pytest.raises(ValidationError) as exc:
        services.report_submit(report=report, expected_version=report.version)
    assert exc.value.messages[0] == gettext("The report cannot be submitted yet.")
    assert gettext(STATEMENTS) in exc.value.messages
    assert gettext("The plan for the new year needs at least one plan item.") in exc.value.messages
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None


def test_acceptance_is_refused_without_the_financial_statements(report):
    report = services.report_submit(report=report, expected_version=report.version)
    report = _without_statements(report)
    with pytest.raises(ValidationError) as exc:
        services.report_accept(report=report, expected_version=report.version)
    assert exc.value.messages == [gettext("The report cannot be accepted yet."), gettext(STATEMENTS)]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.accepted_at is None


def test_filing_is_refused_without_the_signed_declaration(report):
    report = services.report_submit(report=report, expected_version=report.version)
    report = services.report_accept(report=report, expected_version=report.version)
    with pytest.raises(ValidationError) as exc:
        services.report_mark_filed(report=report, expected_version=report.version)
    assert exc.value.messages[1] == gettext("The signed and sealed declaration page is not uploaded.")
    report = services.report_attach(
        report=report, expected_version=report.version, kind="declaration", uploaded=pdf_upload("declaration.pdf")
    )
    assert services.report_mark_filed(report=report, expected_version=report.version).status == ReportStatus.FILED


def test_reviewer_sees_what_is_missing_and_the_refusal_in_their_language(client, staff_user, report):
    report = services.report_submit(report=report, expected_version=report.version)
    report = _without_statements(report)
    staff_user.language = "zh-hans"
    staff_user.save()
    verified_client(client, staff_user)
    page = client.get(reverse("cycle:report-detail", args=[report.pk])).content.decode()
    with translation.override("zh-hans"):
        statements = translation.gettext(STATEMENTS)
        heading = translation.gettext("Missing before the report can be accepted:")
    assert statements != STATEMENTS
    missing = re.search(r'<div class="alert alert-warning" id="missing-parts".*?</div>', page, re.S).group(0)
    assert heading in missing and statements in missing
    refused = client.post(
        reverse("cycle:report-accept", args=[report.pk]), {"version": report.version}, follow=True
    ).content.decode()
    assert statements in refused
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_complete_submitted_report_shows_the_reviewer_no_missing_list(client, staff_user, report):
    report = services.report_submit(report=report, expected_version=report.version)
    verified_client(client, staff_user)
    page = client.get(reverse("cycle:report-detail", args=[report.pk])).content.decode()
    assert 'id="missing-parts"' not in page


def test_the_report_forms_help_texts_are_shown_and_described(client, officer_of, report):
    verified_client(client, officer_of)
    page = client.get(reverse("cycle:report-edit", args=[report.pk])).content.decode()
    form = ReportForm(instance=report)
    helped = [field for field in form.visible_fields() if field.help_text]
    assert len(helped) >= 15
    for field in helped:
        # The help is drawn under the field, and the field points at it for screen readers.
        help_text = escape(field.help_text)
        assert f'<span class="help" id="{field.auto_id}_helptext">{help_text}</span>' in page, field.name
        assert re.search(rf'id="{field.auto_id}"[^>]*aria-describedby="{field.auto_id}_helptext"', page) or re.search(
            rf'aria-describedby="{field.auto_id}_helptext"[^>]*id="{field.auto_id}"', page
        ), field.name


def test_a_plan_item_says_why_it_has_no_priorities_to_choose(client, officer_of, business_association):
    """No published priorities for the plan's year (none, or only a draft): the form says so and what to do."""
    report = make_report(business_association, with_item=False)
    make_priorities(report.plan_year, publish=False)
    verified_client(client, officer_of)
    page = client.get(reverse("cycle:plan-item-create", args=[report.pk])).content.decode()
    reason = gettext(
        "The federation has not published its work priorities for %(year)s yet, so there is nothing to "
        "choose here. Save the item without them; once they are published, edit the item to tie it to them."
    ) % {"year": report.plan_year}
    assert escape(reason) in page
    assert 'name="priorities"' not in page  # the draft's items are not offered


def test_published_priorities_are_offered_without_the_explanation(client, officer_of, business_association):
    report = make_report(business_association, with_item=False)
    make_priorities(report.plan_year)
    verified_client(client, officer_of)
    page = client.get(reverse("cycle:plan-item-create", args=[report.pk])).content.decode()
    assert page.count('name="priorities"') == 3
    assert gettext("The work priorities of the plan's year this item serves.") in page
