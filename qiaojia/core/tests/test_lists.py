"""The list helpers: a capped count, and selects written without per-option templates."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from qiaojia.core.forms import FastSelect
from qiaojia.core.pages import CappedPaginator, paginate
from qiaojia.members.forms import PersonFilterForm
from qiaojia.members.models import Person

pytestmark = pytest.mark.django_db


def test_capped_count_stops_at_the_cap(make_person, business_association):
    for i in range(7):
        make_person(f"王{'一二三四五六七'[i]}", association=business_association)
    paginator = CappedPaginator(Person.objects.order_by("name_pinyin"), 2, cap=5)
    assert paginator.count == 5 and paginator.capped
    assert paginator.num_pages == 3
    exact = CappedPaginator(Person.objects.order_by("name_pinyin"), 2, cap=7)
    assert exact.count == 7 and not exact.capped


def test_the_pager_says_more_than_the_cap(make_person, business_association):
    for name in ("王一", "王二", "王三"):
        make_person(name, association=business_association)
    request = RequestFactory().get("/", {"page": "9"})
    page = paginate(request, Person.objects.all(), per_page=1, cap=2)
    assert page.paginator.capped and page.number == 2  # a page past the counted rows shows the last one
    from django.template.loader import render_to_string

    with translation.override("en"):
        html = render_to_string("core/_pager.html", {"page": page, "request": request})
    assert "More than 2 records" in html


def test_fast_select_marks_the_chosen_option_and_escapes_labels():
    widget = FastSelect(choices=[("", "All"), ("a", "<b>A</b>"), ("b", "B")])
    html = widget.render("kind", "b", attrs={"id": "id_kind"})
    assert html.startswith('<select name="kind" id="id_kind">')
    assert '<option value="b" selected>B</option>' in html
    assert "&lt;b&gt;A&lt;/b&gt;" in html and "<b>" not in html


def test_cached_country_select_follows_the_language_and_the_value():
    with translation.override("en"):
        english = str(PersonFilterForm({"country": "MY"})["country"])
    with translation.override("zh-hans"):
        chinese = str(PersonFilterForm({"country": "MY"})["country"])
        chinese_other = str(PersonFilterForm({"country": "SG"})["country"])
    assert "Malaysia" in english and "马来西亚" in chinese
    assert '<option value="MY" selected>' in chinese and '<option value="SG" selected>' in chinese_other
    assert '<option value="MY" selected>' not in chinese_other
