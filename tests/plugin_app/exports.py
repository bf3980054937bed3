from qiaojia.exports.formats import Column, ExportSpec
from qiaojia.exports.sources import register_export

from .selectors import note_list

NOTES = register_export(
    "plugin-notes",
    queryset=lambda user, params: note_list(viewer=user).filter(title__contains=params.get("q", "")).order_by("pk"),
    spec=ExportSpec(columns=[Column("Title", lambda n: n["title"], width=30)], values=("title",)),
    label="Notes",
)
