from qiaojia.accounts import scope

from .models import Note


def note_list(*, viewer):
    notes = Note.objects.all()
    return notes if scope.is_federation(viewer) else notes.filter(internal=False)
