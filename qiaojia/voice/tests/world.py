"""Voice in the shared isolation world (qiaojia/core/tests/test_isolation.py), and small builders."""

import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from qiaojia.voice import services
from qiaojia.voice.models import OpinionCategory, OpinionChannel


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def opinion_data(**data):
    return {
        "category": OpinionCategory.LIVELIHOOD,
        "title": "僑眷子女入學手續繁瑣",
        "text": "歸僑子女回鄉入學需要的證明太多，希望簡化。",
        "name": "林美華",
        "phone": "13812345678",
        "email": "",
        "anonymous": False,
        "consent": True,
        **data,
    }


_senders = itertools.count(1)


def make_opinion(*, channel=OpinionChannel.PUBLIC, association=None, person=None, by=None, uploaded=None, **data):
    """An opinion received through the services; each from its own address and phone unless given, so
    builders do not run into the public form's limits."""
    n = next(_senders)
    data.setdefault("phone", f"1370000{n % 10000:04d}")
    return services.opinion_submit(
        data=opinion_data(**data),
        channel=channel,
        association=association,
        person=person,
        by=by,
        uploaded=uploaded,
        address=f"192.0.2.{n % 250}-{n}",
    )


def voice_world(w, k):
    """A member's opinion sent through association k with a photo attached (made once per world)."""
    if ("voice", k) not in w:
        person = w[k]["person"]
        opinion = make_opinion(
            channel=OpinionChannel.MEMBER,
            association=w[k]["association"],
            person=person,
            name=person.name,
            title=f"{w[k]['association'].name}會員的意見",
            uploaded=png(),
        )
        w["voice", k] = {"opinion": opinion}
    return w["voice", k]
