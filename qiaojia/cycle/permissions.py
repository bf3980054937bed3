"""Pure predicates about the annual cycle; views and templates ask these."""

from qiaojia.accounts import scope

from .models import AnnualReport, Attachment, PlanItem, WorkPriorities


def can_edit_priorities(user) -> bool:
    return scope.is_federation(user)


def can_view_priorities(user, priorities: WorkPriorities) -> bool:
    return scope.is_federation(user) or (priorities.is_published and bool(scope.officer_association_ids(user)))


def can_use_cycle(user) -> bool:
    return scope.is_federation(user) or bool(scope.officer_association_ids(user))


def can_view_report(user, report: AnnualReport) -> bool:
    return scope.is_federation(user) or report.association_id in scope.officer_association_ids(user)


def can_start_report(user, association) -> bool:
    return association.pk in scope.officer_association_ids(user)


def can_edit_report(user, report: AnnualReport) -> bool:
    return report.is_editable and report.association_id in scope.officer_association_ids(user)


def can_submit_report(user, report: AnnualReport) -> bool:
    return can_edit_report(user, report)


def can_review_report(user, report: AnnualReport | None = None) -> bool:
    return scope.is_federation(user)


def can_upload_declaration(user, report: AnnualReport) -> bool:
    return report.association_id in scope.officer_association_ids(user) and report.status != "filed"


def can_record_progress(user, item: PlanItem) -> bool:
    return item.report.association_id in scope.officer_association_ids(user)


def can_edit_plan_item(user, item: PlanItem) -> bool:
    return item.report.association_id in scope.officer_association_ids(user)


def can_view_attachment(user, attachment: Attachment) -> bool:
    if scope.is_federation(user):
        return True
    if attachment.association_id is not None:
        return attachment.association_id in scope.officer_association_ids(user)
    return (
        bool(scope.officer_association_ids(user))
        and WorkPriorities.objects.filter(document=attachment, status="published").exists()
    )


def can_compile(user) -> bool:
    return scope.is_federation(user)


def can_view_dashboard(user) -> bool:
    """Every association's state of reporting, for the federation's staff."""
    return scope.is_federation(user)


def can_remind_officers(user) -> bool:
    return scope.is_federation(user)


def can_start_reports(user) -> bool:
    """Officers start their associations' reports; the federation reviews them and starts none."""
    return bool(scope.officer_association_ids(user))
