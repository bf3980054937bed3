"""Named fixtures for the seed's world, shared by every test package."""

import datetime
import itertools
import time

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qiaojia.accounts import second_factor
from qiaojia.accounts.middleware import LAST_SEEN
from qiaojia.accounts.models import Role, User
from qiaojia.core.validators import credit_code_check_character, id_number_check_character
from qiaojia.members import services as member_services
from qiaojia.members.models import MembershipLevel
from qiaojia.orgs import services as org_services
from qiaojia.orgs.models import AssociationKind, Department, Federation

# Real web server processes against the test database, for limits that hold across processes.
pytest_plugins = ["tests.multiprocess"]

TEST_PASSWORD = "Qiaojia-test-2025!"
_seq = itertools.count(1)


def make_credit_code(n: int) -> str:
    body = f"51410000MJ{n:07d}"
    return body + credit_code_check_character(body)


def make_id_number(n: int, birth: str = "19800101") -> str:
    body = f"410102{birth}{n % 1000:03d}"
    return body + id_number_check_character(body)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, end any connection the live server's request threads left behind, so the
    test database can be dropped at the end of the run.

    Django empties the tables after each transactional test with one TRUNCATE, which the audit
    table's trigger refuses: the flush, and only it, opens the audit door for its own transaction."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    from qiaojia.core.auditlock import MAINTENANCE_SETTING

    flush = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        return flush(self, [f"SELECT set_config('{MAINTENANCE_SETTING}', 'on', true)", *sql_list])

    DatabaseOperations.execute_sql_flush = execute_sql_flush
    yield
    DatabaseOperations.execute_sql_flush = flush
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture
def federation(db):
    return Federation.objects.create(
        name="河南省僑聯", name_en="Henan Federation of Returned Overseas Chinese", short_name="省僑聯"
    )


@pytest.fixture
def liaison_department(federation):
    return Department.objects.create(
        federation=federation,
        name="文化經濟聯絡部",
        name_en="Culture and Economy Liaison Department",
        supervises_associations=True,
    )


def _association(federation, department, name, **extra):
    return org_services.association_create(
        federation=federation,
        data={
            "name": name,
            "kind": extra.pop("kind", AssociationKind.HOMETOWN),
            "supervising_department": department,
            "credit_code": make_credit_code(next(_seq)),
            "founded_on": datetime.date(2010, 5, 1),
            **extra,
        },
    )


@pytest.fixture
def business_association(federation, liaison_department):
    return _association(
        federation,
        liaison_department,
        "河南省僑商聯合會",
        kind=AssociationKind.BUSINESS,
        name_en="Henan Association of Overseas Chinese Businessmen",
        short_name="省僑商會",
    )


@pytest.fixture
def other_association(federation, liaison_department):
    return _association(
        federation, liaison_department, "河南省歸國華僑聯誼會", name_en="Henan Returnees Friendship Association"
    )


@pytest.fixture
def make_person(db):
    def make(name="鄭定輝", association=None, **data):
        id_number = data.pop("id_number", None)
        person_data = {"name": name, **data}
        if association is None:
            return member_services.person_create(data=person_data, id_number=id_number, consent=bool(id_number))
        membership = member_services.member_add(
            association=association,
            person_data=person_data,
            id_number=id_number,
            consent=bool(id_number),
            membership_data={"level": MembershipLevel.MEMBER, "joined_on": datetime.date(2020, 1, 1)},
        )
        return membership.person

    return make


@pytest.fixture
def make_user(db):
    def make(username, role, *, associations=(), person=None, department=None, otp=True):
        user = User.objects.create_user(
            username=username, password=TEST_PASSWORD, role=role, person=person, department=department
        )
        if associations:
            user.associations.set(associations)
        if otp and user.needs_second_factor:
            TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        return user

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", Role.ADMIN)


@pytest.fixture
def staff_user(make_user, liaison_department):
    return make_user("staff", Role.STAFF, department=liaison_department)


@pytest.fixture
def officer_of(make_user, business_association):
    return make_user("officer_a", Role.OFFICER, associations=[business_association])


@pytest.fixture
def officer_of_other(make_user, other_association):
    return make_user("officer_b", Role.OFFICER, associations=[other_association])


@pytest.fixture
def member_person(make_person, business_association):
    return make_person(
        "柴莉", association=business_association, phone="+8613812341234", id_number=make_id_number(7, "19850312")
    )


@pytest.fixture
def member_user(make_user, member_person):
    return make_user("member", Role.MEMBER, person=member_person)


def verified_client(client, user):
    """A test client logged in with the second factor already passed, as after the real flow."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session[second_factor.VERIFIED_AT] = session[LAST_SEEN] = int(time.time())
        session.save()
    return client


@pytest.fixture
def login(client):
    def do(user):
        return verified_client(client, user)

    return do


@pytest.fixture
def today():
    return timezone.localdate()


# CI runs every test: a skipped test there is a failure, not a pass.
_skipped: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    import os

    if os.environ.get("CI") and _skipped:
        print(f"\n{len(_skipped)} test(s) skipped, which CI does not allow: {_skipped[:10]}")
        session.exitstatus = 1
