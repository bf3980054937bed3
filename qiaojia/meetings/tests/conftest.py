import datetime

import pytest
from django.utils import timezone

from qiaojia.core.services import create_audited
from qiaojia.members import services as member_services
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationTitle, FederationOfficial, FederationTitle

from .world import make_meeting


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def chair(federation):
    person = member_services.person_create(data={"name": "楊海強", "public_title": "河南省僑聯黨組書記、主席"})
    return create_audited(
        FederationOfficial(federation=federation, person=person, title=FederationTitle.PARTY_SECRETARY_CHAIR, order=1)
    )


@pytest.fixture
def president(make_person, business_association):
    person = make_person("鄭定輝", association=business_association, phone="+8613912345678")
    org_services.term_create(
        association=business_association,
        data={"person": person, "title": AssociationTitle.PRESIDENT, "starts_on": datetime.date(2024, 12, 18)},
    )
    return person


@pytest.fixture
def fed_meeting(federation):
    """A federation meeting happening now (sign-in open)."""
    return make_meeting(None, starts_at=timezone.now())


@pytest.fixture
def assoc_meeting(federation, business_association):
    return make_meeting(business_association, title="僑商聯合會理事會", starts_at=timezone.now())
