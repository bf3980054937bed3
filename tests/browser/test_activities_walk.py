"""An officer records, on a phone, an activity with two captioned photos that advances a plan item of the
association's current plan; the plan item then shows the activity, with its photo, as progress.

UI strings are never hard-coded: elements are found by id, name and URL."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from qiaojia.activities.models import Activity
from qiaojia.cycle.models import PlanItemStatus
from qiaojia.cycle.tests.world import make_priorities, make_report

from .conftest import PHONE, log_in, no_horizontal_overflow, wait_until

pytestmark = pytest.mark.browser


def _jpeg(color) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), color).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_officer_records_an_activity_that_shows_as_plan_progress(
    new_page, live_server, officer_of, federation, business_association, make_person, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    year = timezone.localdate().year
    make_priorities(year)
    item = make_report(business_association, year - 1).plan_items.get()  # the plan for this year
    member = make_person("柴莉", association=business_association)
    other = make_person("李明遠", association=business_association)

    page, traffic = new_page(locale="zh-TW", viewport=PHONE, is_mobile=True, has_touch=True)
    log_in(page, officer_of)
    page.goto(reverse("activities:activity-list"))
    assert page.locator("html").get_attribute("lang") == "zh-hant"
    with page.expect_navigation():
        page.locator("#new-activity").click()
    fits, width, inner = no_horizontal_overflow(page)
    assert fits, f"the activity form scrolls sideways on a phone: {width} > {inner}"

    page.locator("#id_title").fill("中原行經貿洽談會")
    page.locator("#id_kind").select_option("trade")
    page.locator("#id_starts_on").fill(timezone.localdate().isoformat())
    page.locator("#id_place").fill("鄭州")
    # The member picker (no Ctrl-click list of every member): the pinyin finds her, and only her.
    page.locator("#id_members").fill("chai")
    expect(page.locator(f"[data-picker-suggestions] input[value='{other.pk}']")).to_have_count(0)
    page.locator(f"[data-picker-suggestions] input[value='{member.pk}']").check()
    expect(page.locator(f"[data-picker-chosen] input[value='{member.pk}']")).to_be_checked()
    page.locator("#id_other_participants").fill("35")
    page.locator("#id_outcome").fill("簽訂合作意向三項")
    page.locator(f"input[name=plan_items][value='{item.pk}']").check()
    page.locator("#id_progress_percent").fill("50")
    page.locator("#id_photo_1").set_input_files(
        {"name": "scene.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((200, 40, 40))}
    )
    page.locator("#id_caption_1").fill("洽談會現場")
    page.locator("#id_photo_2").set_input_files(
        {"name": "group.jpg", "mimeType": "image/jpeg", "buffer": _jpeg((40, 120, 200))}
    )
    page.locator("#id_caption_2").fill("合影留念")
    with page.expect_navigation() as navigation:
        page.locator("#activity-form button[type=submit]").click()
    assert navigation.value.status == 200

    activity = Activity.objects.get()
    assert page.url == live_server.url + reverse("activities:activity-detail", args=[activity.pk])
    gallery = page.locator("#photo-gallery figure")
    expect(gallery).to_have_count(2)
    expect(gallery.first).to_contain_text("洽談會現場")
    expect(gallery.nth(1)).to_contain_text("合影留念")
    expect(page.locator("#member-list")).to_contain_text("柴莉")
    # The photos are loaded, not merely listed (waited for: they are served no-store, fetched afresh).
    wait_until(
        page, "[...document.querySelectorAll('#photo-gallery img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    item.refresh_from_db()
    assert (item.status, item.percent) == (PlanItemStatus.IN_PROGRESS, 50)

    # The plan item's page shows the activity as its progress, with the photos.
    with page.expect_navigation():
        page.locator(f"#plan-item-list a[href='{reverse('cycle:plan-item-detail', args=[item.pk])}']").click()
    progress = page.locator(f"#progress-updates .progress-activity[data-activity='{activity.pk}']")
    expect(progress).to_have_count(1)
    expect(progress.locator(f"a[href='{reverse('activities:activity-detail', args=[activity.pk])}']")).to_contain_text(
        "中原行經貿洽談會"
    )
    thumbs = progress.locator("img.thumb")
    expect(thumbs).to_have_count(2)
    thumbs.first.scroll_into_view_if_needed()
    wait_until(
        page, "[...document.querySelectorAll('.progress-activity img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    expect(page.locator("#progress-updates")).to_contain_text("50%")

    traffic.assert_clean(live_server.url)
