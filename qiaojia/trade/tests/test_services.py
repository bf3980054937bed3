import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone, translation

from conftest import make_credit_code
from qiaojia.core.services import ConflictError
from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.search.selectors import search
from qiaojia.trade import industries, matching, services
from qiaojia.trade.gbt4754 import DIVISIONS, SECTIONS
from qiaojia.trade.models import MatchToken, OfferKind, OfferStatus

from .world import make_offer, png

pytestmark = pytest.mark.django_db


def enterprise_of(association, name, n):
    enterprise = member_services.enterprise_create(data={"name": name, "credit_code": make_credit_code(n)})
    member_services.membership_create(
        association=association,
        enterprise=enterprise,
        data={"level": MembershipLevel.MEMBER_UNIT, "joined_on": datetime.date(2020, 1, 1)},
    )
    return enterprise


def test_the_classification_has_its_20_sections_and_97_divisions_in_three_languages():
    assert [s[0] for s in SECTIONS] == list("ABCDEFGHIJKLMNOPQRST")
    assert [d[1] for d in DIVISIONS] == [f"{i:02d}" for i in range(1, 98)]
    assert all(all(names) for names in DIVISIONS)
    assert industries.code_of("38") == "C38" and industries.code_of("65") == "I65" and industries.code_of("97") == "T97"
    assert industries.division_label("38", "zh-hant") == "C38 電氣機械和器材製造業"
    assert industries.division_label("38", "en") == "C38 Manufacture of electrical machinery and equipment"


@pytest.mark.parametrize(
    "typed, division",
    [("C38", "38"), ("c38", "38"), ("38", "38"), ("C38 电气机械和器材制造业", "38"), ("電氣機械", "38"),
     ("Software and information technology services", "65"), ("ruanjian", "65"), ("A38", None), ("98", None),
     ("制造", None), ("", None)],
)  # fmt: skip
def test_a_division_is_chosen_by_code_or_by_a_name_in_any_script(typed, division):
    assert industries.parse_division(typed) == division


def test_an_item_is_reviewed_before_it_is_published_and_matched(business_association, officer_of, federation):
    offer = make_offer(business_association, by=officer_of)
    assert offer.status == OfferStatus.DRAFT and offer.section == "C"
    assert not MatchToken.objects.filter(offer=offer).exists()
    offer = services.offer_submit(offer=offer, expected_version=offer.version)
    returned = services.offer_return(offer=offer, expected_version=offer.version, reason="補充規格", by=officer_of)
    assert returned.status == OfferStatus.RETURNED and returned.return_reason == "補充規格"
    again = services.offer_update(offer=returned, expected_version=returned.version, data={"title": "採購光伏板"})
    again = services.offer_submit(offer=again, expected_version=again.version)
    published = services.offer_publish(offer=again, expected_version=again.version, by=officer_of)
    assert published.status == OfferStatus.PUBLISHED and published.published_at
    tokens = set(MatchToken.objects.filter(offer=published).values_list("token", flat=True))
    assert {"d:38", "s:C", "c:MY", "t:guangfu"} <= tokens
    with pytest.raises(ValidationError):
        services.offer_update(offer=published, expected_version=published.version, data={"title": "x"})
    with pytest.raises(ConflictError):
        services.offer_withdraw(offer=published, expected_version=published.version - 1)
    withdrawn = services.offer_withdraw(offer=published, expected_version=published.version)
    assert withdrawn.status == OfferStatus.WITHDRAWN
    assert not MatchToken.objects.filter(offer=published).exists()


def test_a_return_needs_a_reason_and_a_bad_move_changes_nothing(business_association):
    offer = make_offer(business_association, status="submitted")
    with pytest.raises(ValidationError):
        services.offer_return(offer=offer, expected_version=offer.version, reason="  ")
    draft = make_offer(business_association)
    with pytest.raises(ValidationError):
        services.offer_publish(offer=draft, expected_version=draft.version)
    draft.refresh_from_db()
    assert draft.status == OfferStatus.DRAFT


def test_an_enterprise_must_belong_to_the_association_it_posts_through(business_association, other_association):
    outsider = enterprise_of(other_association, "乙會實業有限公司", 501)
    with pytest.raises(ValidationError):
        make_offer(business_association, enterprise=outsider)


def test_the_daily_task_expires_what_ran_out(business_association, officer_of):
    offer = make_offer(business_association, status="published", by=officer_of)
    assert services.offers_expire(today=offer.valid_until) == 0
    call_command("trade_expire", today=(offer.valid_until + datetime.timedelta(days=1)).isoformat())
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert not MatchToken.objects.filter(offer=offer).exists()


def test_files_are_checked_like_every_upload(business_association):
    offer = make_offer(business_association)
    attachment = services.attachment_add(offer=offer, uploaded=png())
    assert attachment.content_type == "image/jpeg" and attachment.original_name == "brochure.jpg"
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        services.attachment_add(offer=offer, uploaded=SimpleUploadedFile("x.exe", b"MZ\x90\x00binary"))
    assert offer.attachments.count() == 1


def test_a_need_in_simplified_finds_an_offer_in_traditional_and_says_why(business_association, other_association):
    need = make_offer(
        business_association,
        status="published",
        kind=OfferKind.PURCHASE,
        title="寻求太阳能电池板供应商",
        keywords="光伏",
        countries=["MY", "SG"],
    )
    offer = make_offer(
        other_association,
        status="published",
        kind=OfferKind.SUPPLY,
        title="供應太陽能電池板",
        keywords="光伏組件",
        countries=["MY"],
    )
    section_only = make_offer(
        other_association,
        status="published",
        kind=OfferKind.SUPPLY,
        title="供應變壓器",
        division="34",
        countries=[],
        keywords="",
    )
    same_kind = make_offer(other_association, status="published", kind=OfferKind.PURCHASE, title="采购太阳能电池板")
    with translation.override("en"):
        found = matching.suggestions(need)
    assert [s.offer.pk for s in found] == [offer.pk, section_only.pk]
    assert same_kind.pk not in [s.offer.pk for s in found]
    assert found[0].reasons == ["same division C38", "both Malaysia", "‘太阳能电池板’, ‘光伏’ in both"]
    assert found[1].reasons == ["same section C"]
    with translation.override("zh-hant"):
        reasons = matching.suggestions(need)[0].reasons
    assert reasons[0] == "同屬大類 C38" and "「太陽能電池板」" in reasons[2]


def test_pinyin_written_in_latin_letters_finds_the_characters(business_association, other_association):
    need = make_offer(business_association, status="published", title="Seeking guangfu modules", countries=[])
    offer = make_offer(other_association, status="published", kind=OfferKind.SUPPLY, title="光伏組件", countries=[])
    assert [s.offer.pk for s in matching.suggestions(need)] == [offer.pk]


def test_going_abroad_partners_are_suggested_beside_the_complements(business_association, other_association):
    supply = make_offer(business_association, status="published", kind=OfferKind.SUPPLY, title="光伏組件出口")
    partner = make_offer(
        other_association, status="published", kind=OfferKind.GOING_ABROAD, title="馬來西亞光伏合作夥伴"
    )
    with translation.override("en"):
        found = matching.suggestions(supply)
    assert found[0].offer.pk == partner.pk and found[0].reasons[0] == "partner for going abroad"


def test_the_index_ranks_as_the_full_scan_does(business_association, other_association):
    need = make_offer(business_association, status="published", title="采购光伏组件", countries=["MY", "TH"])
    for i in range(12):
        make_offer(
            other_association,
            status="published",
            kind=OfferKind.SUPPLY,
            title=["光伏組件", "電纜", "變壓器", "太陽能板"][i % 4] + str(i),
            division=["38", "38", "34", "39"][i % 4],
            countries=[["MY"], ["TH", "MY"], [], ["VN"]][i % 4],
        )
    indexed = [(s.offer_id, s.score) for s in matching.suggestion_ids(need)]
    scanned = [(s.offer_id, s.score) for s in matching.scan_suggestion_ids(need)]
    assert indexed == scanned and len(indexed) == 12


def test_offers_and_profiles_are_in_the_search(business_association, other_association, officer_of, officer_of_other):
    make_offer(business_association, status="published", title="供應太陽能電池板")
    make_offer(business_association, title="草稿太陽能項目")
    titles = lambda viewer: [e.title for g in search(viewer=viewer, q="太阳能") for e in g.entries]  # noqa: E731
    assert sorted(titles(officer_of)) == ["供應太陽能電池板", "草稿太陽能項目"]
    assert titles(officer_of_other) == ["供應太陽能電池板"]
    enterprise = enterprise_of(business_association, "鄭州光能科技有限公司", 502)
    services.profile_save(enterprise=enterprise, data={"division": "38", "products": "光伏逆變器", "listed": False})
    assert "鄭州光能科技有限公司" not in titles(officer_of_other)
    profile = enterprise.trade_profile
    services.profile_save(enterprise=enterprise, data={"listed": True}, expected_version=profile.version)
    found = [e.title for g in search(viewer=officer_of_other, q="逆变器") for e in g.entries]
    assert found == ["鄭州光能科技有限公司"]


def test_a_profile_keeps_its_industry_section_and_refuses_a_stale_edit(business_association):
    enterprise = enterprise_of(business_association, "河南僑商科技有限公司", 503)
    profile = services.profile_save(enterprise=enterprise, data={"division": "65", "countries": ["MY", "ID"]})
    assert profile.section == "I" and profile.industry_code == "I65"
    with pytest.raises(ConflictError):
        services.profile_save(enterprise=enterprise, data={"division": "38"}, expected_version=profile.version + 1)
    assert timezone.now()
