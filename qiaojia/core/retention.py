"""Retention (PIPL art. 19): what is kept only as long as its purpose needs is deleted by
`manage.py retention` (daily, from cron), which reports counts and with --dry-run changes nothing.

Each app declares its own rules in its `retention.py`, found by autodiscovery:

    retention.register("exports", "export files", purge)  # purge(*, now, dry_run) -> count
    retention.register_folder("meetings/photos", lambda: Photo.objects.values_list("file", flat=True))

A file directly in a registered folder of the private storage that none of the folder's references names,
and older than QIAOJIA_ORPHAN_FILE_GRACE_HOURS, is an orphan (a failed upload's file, a row deleted by hand)
and is deleted, through the storage API (a folder on disk or a bucket alike). The audit trail is purged after
QIAOJIA_AUDIT_RETENTION_DAYS through `audit_maintenance()`.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .auditlock import audit_maintenance, audit_rows
from .models import AuditAction, AuditEntry
from .services import audit_operation
from .storage import private_storage

# 網絡安全法 art. 21: network logs are kept at least six months.
MIN_AUDIT_RETENTION_DAYS = 183
AUDIT_BATCH = 10_000


@dataclass(frozen=True)
class Rule:
    name: str
    label: str
    purge: Callable[..., int]
    order: int = 50


_RULES: dict[str, Rule] = {}
_FOLDERS: dict[str, Callable[[], Iterable[str]]] = {}


def register(name: str, label: str, purge: Callable[..., int], *, order: int = 50) -> None:
    """Register `purge(*, now, dry_run) -> count` under `name`; rules run by `order`, then name."""
    _RULES[name] = Rule(name=name, label=label, purge=purge, order=order)


def register_folder(folder: str, referenced: Callable[[], Iterable[str]]) -> None:
    """Files directly in `folder` of the private storage that `referenced()` (names on the storage, which are
    paths relative to MEDIA_ROOT on disk) does not name are orphans. A folder may be registered by several
    apps: a file any of them names is kept."""
    folder = folder.strip("/")
    previous = _FOLDERS.get(folder)
    if previous is None or previous is referenced:
        _FOLDERS[folder] = referenced
    else:
        _FOLDERS[folder] = lambda: [*previous(), *referenced()]


def rules() -> list[Rule]:
    autodiscover_modules("retention")
    return sorted(_RULES.values(), key=lambda rule: (rule.order, rule.name))


def retention_run(*, dry_run: bool = False, now: datetime.datetime | None = None) -> list[tuple[Rule, int]]:
    """Apply every rule; one audit row records what a real run deleted."""
    audit_retention_days()  # a too-short setting stops the run before anything is deleted
    now = now or timezone.now()
    outcome = [(rule, rule.purge(now=now, dry_run=dry_run)) for rule in rules()]
    if not dry_run and any(count for _rule, count in outcome):
        with transaction.atomic():
            audit_operation(
                action=AuditAction.DELETE,
                object_type="core.retention",
                object_repr="retention",
                changes={rule.name: count for rule, count in outcome},
            )
    return outcome


def orphan_files(*, now: datetime.datetime) -> list[str]:
    """The names of the orphans on the private storage."""
    grace = now - datetime.timedelta(hours=settings.QIAOJIA_ORPHAN_FILE_GRACE_HOURS)
    storage = private_storage()
    found = []
    for folder, referenced in sorted(_FOLDERS.items()):
        try:
            _folders, names = storage.listdir(folder)
        except FileNotFoundError:
            continue
        kept = {str(name) for name in referenced() if name}
        for name in names:
            stored = f"{folder}/{name}"
            if stored not in kept and storage.get_modified_time(stored) < grace:
                found.append(stored)
    return sorted(found)


def _purge_orphans(*, now: datetime.datetime, dry_run: bool) -> int:
    rules()  # the folders are registered by the apps' retention modules
    orphans = orphan_files(now=now)
    if not dry_run:
        storage = private_storage()
        for name in orphans:
            storage.delete(name)
    return len(orphans)


def audit_retention_days() -> int:
    days = settings.QIAOJIA_AUDIT_RETENTION_DAYS
    if not isinstance(days, int) or days < MIN_AUDIT_RETENTION_DAYS:
        raise ImproperlyConfigured(f"QIAOJIA_AUDIT_RETENTION_DAYS must be at least {MIN_AUDIT_RETENTION_DAYS}.")
    return days


def _purge_audit(*, now: datetime.datetime, dry_run: bool) -> int:
    cutoff = now - datetime.timedelta(days=audit_retention_days())
    if dry_run:
        return AuditEntry.objects.filter(at__lt=cutoff).count()
    deleted = 0
    while True:
        # One transaction per batch: a purge of millions of rows neither holds one long lock nor one huge undo.
        with audit_maintenance():
            rows = audit_rows()
            batch = list(rows.filter(at__lt=cutoff).order_by("id").values_list("id", flat=True)[:AUDIT_BATCH])
            if batch:
                deleted += rows.filter(id__in=batch).delete()[0]
        if len(batch) < AUDIT_BATCH:
            return deleted


# The orphan sweep runs after the rules that clear references; the audit trail last.
register("orphan_files", "files nothing refers to", _purge_orphans, order=90)
register("audit_trail", "audit rows", _purge_audit, order=100)


@checks.register(checks.Tags.security)
def check_audit_retention(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        audit_retention_days()
    except ImproperlyConfigured:
        return [
            checks.Error(
                f"QIAOJIA_AUDIT_RETENTION_DAYS is {settings.QIAOJIA_AUDIT_RETENTION_DAYS!r}: the audit trail must be "
                f"kept at least {MIN_AUDIT_RETENTION_DAYS} days (six months, 網絡安全法 art. 21).",
                hint="Leave the default (1095 days, three years) or set a whole number of days of 183 or more.",
                id="qiaojia.E183",
            )
        ]
    return []
