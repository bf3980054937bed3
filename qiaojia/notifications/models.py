"""The platform inbox: one row per message to one user, also sent by e-mail in the background."""

from django.conf import settings
from django.db import models
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from qiaojia.core.chinese import to_script

from . import kinds, text
from .kinds import kind_label


class Notification(models.Model):
    """A notice to one user (a deadline, a return, an acceptance, an invitation...). Its words are written
    when it is read, in the reader's language and script, from its kind and `params` (`text.render`);
    `subject` and `body` keep the words as sent (in the recipient's language then), for a notice whose kind
    declares no words. `emailed_at` is set once the e-mail job delivered it."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("type"), max_length=50, db_index=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def subject_for(self, language: str, *, html: bool = False) -> str:
        """The subject in `language` and its script (HTML-safe with `html`, names marked)."""
        return self._text("subject", language, html)

    def body_for(self, language: str, *, html: bool = False) -> str:
        return self._text("body", language, html)

    def _text(self, part: str, language: str, html: bool) -> str:
        kind = kinds.kind_or_none(self.kind)
        write = getattr(kind, part, None) if kind is not None else None
        if write is not None and self.params:
            return text.render(write, self.params, language, html=html)
        stored = to_script(getattr(self, part), language)
        return escape(stored) if html else stored

    def get_kind_display(self) -> str:
        """The kind's translated label from the app that declared it (see `kinds`)."""
        return kind_label(self.kind)
