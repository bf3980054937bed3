from django.urls import reverse

from qiaojia.core.chinese import initials_key, pinyin_key, search_key
from qiaojia.search.registry import Document, Indexer, register

from .exports import NOTES
from .models import Note
from .selectors import note_list

KIND = "plugin-note"


def _document(note: Note) -> Document:
    return Document(
        title=note.title, key=search_key(note.title), pinyin=pinyin_key(note.title), initials=initials_key(note.title)
    )


def _visible(viewer):
    return note_list(viewer=viewer).values("pk")


register(
    Indexer(
        kind=KIND,
        model=Note,
        label="Notes",
        order=900,
        document=_document,
        visible_ids=_visible,
        url=lambda viewer, pk: reverse("exports:source", args=[NOTES.name]),
    )
)
