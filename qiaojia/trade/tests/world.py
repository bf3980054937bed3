"""Trade in the shared isolation world (qiaojia/core/tests/test_isolation.py), and small builders."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from qiaojia.trade import services, services_deals
from qiaojia.trade.models import OfferKind


def png(name: str = "brochure.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_offer(association, *, enterprise=None, by=None, status="draft", **data):
    """An item of `association` moved to `status` through the services (draft, submitted, published, returned)."""
    today = timezone.localdate()
    values = {
        "kind": OfferKind.PURCHASE,
        "title": "採購太陽能電池板",
        "description": "需要一批光伏組件。",
        "keywords": "太陽能, 光伏",
        "division": "38",
        "countries": ["MY"],
        "valid_from": today,
        "valid_until": today + datetime.timedelta(days=180),
        **data,
    }
    offer = services.offer_create(association=association, enterprise=enterprise, data=values, by=by)
    if status in ("submitted", "published", "returned"):
        offer = services.offer_submit(offer=offer, expected_version=offer.version)
    if status == "published":
        offer = services.offer_publish(offer=offer, expected_version=offer.version, by=by)
    if status == "returned":
        offer = services.offer_return(offer=offer, expected_version=offer.version, reason="請補充規格", by=by)
    return offer


def trade_world(w, k):
    """Association k's items in each state (a draft with a file, a submitted one, a published public one)
    and its enterprise's unlisted trade profile (made once per world)."""
    if ("trade", k) not in w:
        association = w[k]["association"]
        enterprise = w[k]["enterprise"]
        draft = make_offer(association, enterprise=enterprise, title=f"{association.name}草稿需求")
        attachment = services.attachment_add(offer=draft, uploaded=png())
        submitted = make_offer(association, enterprise=enterprise, status="submitted", title="待審核供應")
        published = make_offer(
            association, kind=OfferKind.SUPPLY, status="published", public=True, title="光伏組件供應"
        )
        profile = services.profile_save(
            enterprise=enterprise, data={"division": "38", "products": "光伏組件", "countries": ["MY"]}
        )
        need = make_offer(association, enterprise=enterprise, status="published", title="光伏組件採購")
        interest = services_deals.interest_express(
            offer=published, association=association, enterprise=enterprise, message="我們有興趣。"
        )
        interest = services_deals.introduction_answer(
            introduction=interest, expected_version=interest.version, sides={"b"}, accept=True
        )
        pending = services_deals.interest_express(
            offer=need, association=association, enterprise=None, message="協會有興趣。"
        )
        project = services_deals.project_create(
            association=association,
            introduction=interest,
            data={
                "title": f"{association.name}光伏項目",
                "parties": "甲方\n乙方",
                "kind": "trade",
                "amount": 1000,
                "currency": "CNY",
                "city": "鄭州",
                "signed_on": timezone.localdate(),
            },
        )
        w["trade", k] = {
            "need": need,
            "interest": interest,
            "pending": pending,
            "project": project,
            "draft": draft,
            "submitted": submitted,
            "published": published,
            "attachment": attachment,
            "profile": profile,
            "enterprise": enterprise,
        }
    return w["trade", k]
