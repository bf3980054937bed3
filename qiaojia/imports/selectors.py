"""Reads of imports: a user sees only their own, and only while they may still import into its association."""

from django.db.models import QuerySet
from django.http import Http404

from qiaojia.accounts import scope

from .models import MemberImport
from .permissions import can_import


def import_list(*, viewer) -> QuerySet[MemberImport]:
    if not can_import(viewer):
        raise Http404
    qs = MemberImport.objects.filter(owner_id=viewer.pk).select_related("association", "job")
    if not scope.is_federation(viewer):
        qs = qs.filter(association_id__in=scope.officer_association_ids(viewer))
    return qs


def import_get(*, viewer, pk: int) -> MemberImport:
    imp = import_list(viewer=viewer).select_related("owner").filter(pk=pk).first()
    if imp is None:
        raise Http404
    return imp
