"""A flagship event's public address is made from its name in pinyin when staff leave it empty: unique,
and theirs to change."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import verified_client
from qiaojia.core.chinese import pinyin_slug
from qiaojia.events import services
from qiaojia.events.models import FlagshipEvent
from qiaojia.events.tests.world import make_event


def test_pinyin_slug_reads_both_scripts_keeps_latin_and_cuts_at_a_hyphen():
    assert pinyin_slug("黃帝故里拜祖大典") == pinyin_slug("黄帝故里拜祖大典") == "huang-di-gu-li-bai-zu-da-dian"
    assert pinyin_slug("知名僑商中原行 Expo 2025") == "zhi-ming-qiao-shang-zhong-yuan-xing-expo-2025"
    cut = pinyin_slug("世界客屬懇親大會" * 5, max_length=30)
    assert len(cut) <= 30 and not cut.endswith("-") and cut.startswith("shi-jie-ke-shu")


def test_an_empty_address_is_made_from_the_name_with_the_year_and_kept_unique(db, federation):
    starts = datetime.date(2026, 4, 1)
    first = make_event(name="黃帝故里拜祖大典", slug="", starts_on=starts)
    second = make_event(name="黄帝故里拜祖大典", slug="", starts_on=starts)
    assert first.slug == "huang-di-gu-li-bai-zu-da-dian-2026"
    assert second.slug == "huang-di-gu-li-bai-zu-da-dian-2026-2"
    # Staff may write their own; one another event has is refused.
    renamed = services.event_update(event=second, expected_version=second.version, data={"slug": "baizu-2026"})
    assert renamed.slug == "baizu-2026"
    with pytest.raises(ValidationError) as exc:
        services.event_update(event=renamed, expected_version=renamed.version, data={"slug": first.slug})
    assert "slug" in exc.value.error_dict


def test_staff_create_an_event_without_inventing_its_address(client, admin_user, federation):
    verified_client(client, admin_user)
    response = client.post(
        reverse("events:event-create"),
        {
            "form_token": "6f1f6f77-1d7a-4c38-9d84-6b1c1a4f0abc",
            "name": "2026年知名僑商中原行",
            "slug": "",
            "starts_on": "2026-09-10",
            "default_quota": 5,
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = FlagshipEvent.objects.get(name="2026年知名僑商中原行")
    assert event.slug == "2026-nian-zhi-ming-qiao-shang-zhong-yuan-xing"
    # The form says what an empty address becomes.
    page = client.get(reverse("events:event-edit", args=[event.pk])).content.decode()
    assert 'id="id_slug_helptext"' in page and f'value="{event.slug}"' in page
