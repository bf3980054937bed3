"""The registry of work-report figures: an app registers what it counts, the report stores it as prefilled
and shows it with the app's label; cycle names no app."""

import pytest
from django.urls import reverse

from conftest import verified_client
from qiaojia.cycle import figures, services
from qiaojia.cycle.tests.world import report_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted():
    calls = []

    def count(*, association_id, year):
        calls.append((association_id, year))
        return {"test_things": 3}

    figures.register_figures("test", figures=(figures.WorkFigure("test_things", "Things counted"),), count=count)
    yield calls
    figures._SOURCES.pop("test")


def test_a_registered_figure_is_prefilled_into_the_report_and_shown(client, counted, business_association, officer_of):
    report = services.report_start(association=business_association, year=report_year())
    assert report.work_figures["test_things"] == 3
    assert counted == [(business_association.pk, report_year())]
    verified_client(client, officer_of)
    text = client.get(reverse("cycle:report-detail", args=[report.pk])).content.decode()
    assert 'data-figure="test_things">3<' in text and "Things counted" in text


def test_the_trade_app_registers_its_figures_from_its_own_folder():
    keys = [f.key for source in figures.sources() for f in source.figures]
    assert "projects_signed" in keys and "projects_amount" in keys
