from django import forms
from django.utils.translation import gettext_lazy as _

from qiaojia.core.forms import CreateFormMixin, DateInput, FilterForm, PhotoField, VersionedFormMixin

from .models import Article, ArticleStatus

FEDERATION_PUBLISHER = "federation"
IMPORT_MAX_BYTES = 2 * 1024 * 1024
BODY_HELP = _(
    "One paragraph per line. A line starting with △ is a photo caption (e.g. △會議現場); "
    "a photo with the same caption is shown there."
)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.starts_at:%Y-%m-%d} · {obj.title}"


class PublisherMixin(forms.Form):
    """The publisher: the federation (staff) or one of the officer's associations."""

    publisher = forms.ChoiceField(label=_("Published by"))

    def _set_publishers(self, federation_allowed: bool, associations) -> None:
        self.federation_allowed = federation_allowed
        self.associations = associations
        choices = [(FEDERATION_PUBLISHER, _("The federation"))] if federation_allowed else []
        choices += [(str(a.pk), a.name) for a in associations]
        self.fields["publisher"].choices = choices

    def clean_publisher(self):
        value = self.cleaned_data["publisher"]
        if value == FEDERATION_PUBLISHER:
            return None
        return next(a for a in self.associations if str(a.pk) == value)


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = [
            "title",
            "summary",
            "body",
            "script",
            "source_line",
            "original_date",
            "meeting",
            "title_en",
            "summary_en",
            "body_en",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "summary_en": forms.Textarea(attrs={"rows": 2}),
            "body_en": forms.Textarea(attrs={"rows": 8}),
            "original_date": DateInput(),
        }
        field_classes = {"meeting": MeetingChoiceField}
        help_texts = {
            "body": BODY_HELP,
            "source_line": _("e.g. 來源：河南省僑聯"),
            "title_en": _("Optional: written by a person, shown to English readers."),
        }

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = meetings
        self.extra_init_kwargs = ("meetings",)
        self.fields["meeting"].queryset = meetings


class ArticleCreateForm(CreateFormMixin, PublisherMixin, ArticleForm):
    field_order = ["publisher", "title", "summary", "body"]

    def __init__(self, *args, federation_allowed: bool, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_publishers(federation_allowed, associations)
        self.extra_init_kwargs = ("meetings", "federation_allowed", "associations")


class ArticleEditForm(VersionedFormMixin, ArticleForm):
    pass


class ArticleFilterForm(FilterForm):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses"))] + ArticleStatus.choices
    )
    association = forms.ChoiceField(label=_("Published by"), required=False)

    def __init__(self, *args, associations, federation_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("All"))]
        if federation_allowed:
            choices.append((FEDERATION_PUBLISHER, _("The federation")))
        choices += [(str(a.pk), a.name) for a in associations]
        self.fields["association"].choices = choices


class VersionForm(VersionedFormMixin):
    pass


class ReturnForm(VersionedFormMixin):
    reason = forms.CharField(
        label=_("What should be changed"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class ImageForm(CreateFormMixin, forms.Form):
    image = PhotoField()
    caption = forms.ChoiceField(label=_("Caption"), required=False)
    caption_text = forms.CharField(label=_("Or another caption"), max_length=200, required=False)
    is_cover = forms.BooleanField(label=_("Cover image"), required=False)

    def __init__(self, *args, captions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.extra_init_kwargs = ("captions",)
        self.captions = captions
        self.fields["caption"].choices = [("", "—")] + [(c, c) for c in captions]
        if not captions:
            del self.fields["caption"]
            self.fields["caption_text"].label = _("Caption")

    def clean(self):
        data = super().clean()
        data["caption"] = (data.get("caption_text") or "").strip() or data.get("caption") or ""
        return data


class ImageEditForm(VersionedFormMixin):
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
    is_cover = forms.BooleanField(label=_("Cover image"), required=False)


class ImportForm(PublisherMixin):
    text = forms.CharField(
        label=_("Text or HTML of the article"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paste the article, or upload a .txt or .html file below."),
    )
    upload = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.html,.htm,text/plain,text/html"}),
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Leave empty to take the first sentence.")
    )
    to_meeting = forms.BooleanField(label=_("Also put this text into the record of its meeting"), required=False)
    meeting = MeetingChoiceField(label=_("Meeting"), queryset=None, required=False)
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, federation_allowed: bool, associations, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_publishers(federation_allowed, associations)
        self.fields["meeting"].queryset = meetings

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return ""
        name = (upload.name or "").lower()
        if not name.endswith((".txt", ".html", ".htm")):
            raise forms.ValidationError(_("Upload a .txt or .html file."))
        if upload.size and upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        raw = upload.read(IMPORT_MAX_BYTES + 1)
        for encoding in ("utf-8-sig", "gb18030", "big5"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file's text could not be read: save it as UTF-8 and try again."))

    def clean(self):
        data = super().clean()
        text = data.get("upload") or data.get("text") or ""
        if not text.strip() and not self.errors:
            raise forms.ValidationError(_("Paste the article's text or upload a file."))
        data["raw"] = text
        if data.get("to_meeting") and not data.get("meeting"):
            self.add_error("meeting", _("Choose the meeting whose record should receive the text."))
        return data
