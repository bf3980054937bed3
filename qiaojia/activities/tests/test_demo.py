import pytest

from qiaojia.activities.demo import ACTIVITIES, LINKED_TITLE, load_activities_demo
from qiaojia.activities.models import Activity
from qiaojia.cycle.models import ProgressUpdate

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_links_the_cycle_demo(federation, liaison_department):
    from qiaojia.cycle.demo import load_cycle_demo
    from qiaojia.orgs import services as org_services
    from qiaojia.orgs.models import AssociationKind

    org_services.association_create(
        federation=federation,
        data={
            "name": "河南省僑商聯合會",
            "kind": AssociationKind.BUSINESS,
            "supervising_department": liaison_department,
        },
    )
    load_cycle_demo(federation=federation)
    load_activities_demo(federation=federation)
    load_activities_demo(federation=federation)
    assert Activity.objects.count() == len(ACTIVITIES)
    linked = Activity.objects.get(title=LINKED_TITLE)
    assert ProgressUpdate.objects.filter(activity=linked).count() == 1
