from django.db import transaction

from qiaojia.core.services import create_audited
from qiaojia.search.services import index_object

from .models import Note


@transaction.atomic
def note_create(*, title: str, internal: bool = True) -> Note:
    note = create_audited(Note(title=title, internal=internal))
    index_object(note)
    return note
