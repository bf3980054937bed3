import io

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from conftest import make_id_number
from qiaojia.imports.models import ImportStatus, MemberImport
from qiaojia.jobs import services as jobs
from qiaojia.members.models import Membership, Person

from .conftest import csv_upload


def _upload(client, association, rows, *, name="members.csv"):
    """Upload through the page, then run the job that reads the file, as the worker would."""
    response = client.post(
        reverse("imports:import-create"), {"association": association.pk, "file": csv_upload(rows, name=name)}
    )
    jobs.run_pending()
    return response


def _map(client, imp, **extra):
    """Match the columns through the page, then run the check job, as the worker would."""
    data = {f"col_{i}": f for i, f in imp.mapping.items()}
    data.update(extra)
    response = client.post(reverse("imports:import-map", args=[imp.pk]), data)
    jobs.run_pending()
    return response


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_officer_uploads_maps_previews_and_commits(client, login, officer_of, business_association, language):
    officer_of.language = language
    officer_of.save()
    client = login(officer_of)
    bad = make_id_number(3, "19800101")[:-1] + "0"
    bad = bad if bad != make_id_number(3, "19800101") else bad[:-1] + "1"
    response = _upload(
        client,
        business_association,
        [["姓名", "手机", "身份证号"], ["鄭定輝", "13812341234", bad], ["王芳", "abc", ""]],
    )
    imp = MemberImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:upload-detail", args=[imp.job_id])
    read = client.get(response["Location"])
    assert read.status_code == 302 and read["Location"] == reverse("imports:import-map", args=[imp.pk])
    page = client.get(read["Location"])
    assert page.status_code == 200 and 'value="name" selected' in page.content.decode()
    response = _map(client, imp, consent="on")
    assert response.status_code == 302
    detail = client.get(reverse("imports:import-detail", args=[imp.pk])).content.decode()
    with translation.override(language):
        assert _("The check character of this ID number is wrong; please check the number.") in detail
        assert _("This is not a phone number.") in detail
    assert bad not in detail and "13812341234" not in detail
    assert 'id="commit-form"' not in detail  # errors: nothing to commit
    refused = client.post(reverse("imports:import-commit", args=[imp.pk]))
    assert refused.status_code == 302 and Person.objects.count() == 0

    _upload(
        client,
        business_association,
        [
            ["姓名", "手机", "身份证号"],
            ["鄭定輝", "13812341234", make_id_number(3, "19800101")],
            ["王芳", "13812341235", ""],
        ],
    )
    fixed = MemberImport.objects.order_by("-pk").first()
    _map(client, fixed, consent="on")
    detail = client.get(reverse("imports:import-detail", args=[fixed.pk])).content.decode()
    assert 'id="commit-form"' in detail
    response = client.post(reverse("imports:import-commit", args=[fixed.pk]))
    assert response.status_code == 302
    fixed.refresh_from_db()
    assert fixed.status == ImportStatus.COMMITTED and Person.objects.count() == 2
    assert Membership.objects.filter(association=business_association).count() == 2
    report = client.get(reverse("imports:import-report", args=[fixed.pk]))
    body = b"".join(report.streaming_content).decode("utf-8-sig")
    assert report.status_code == 200 and "13812341234" not in body and make_id_number(3, "19800101") not in body
    listing = client.get(reverse("imports:import-list")).content.decode()
    assert "members.csv" in listing


def test_renamed_text_file_is_refused_next_to_the_field(client, login, officer_of, business_association):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(officer_of)
    response = client.post(
        reverse("imports:import-create"),
        {"association": business_association.pk, "file": SimpleUploadedFile("notes.xlsx", b"just some text\n")},
    )
    assert response.status_code == 400
    assert 'id="field-file"' in response.content.decode() and "has-error" in response.content.decode()
    assert MemberImport.objects.count() == 0


def test_officer_cannot_import_into_another_association(client, login, officer_of, other_association):
    client = login(officer_of)
    response = _upload(client, other_association, [["姓名"], ["王芳"]])
    assert response.status_code == 400 and MemberImport.objects.count() == 0


def test_another_officer_cannot_see_commit_or_download_an_import(
    client, login, officer_of, officer_of_other, business_association, staff_user
):
    client = login(officer_of)
    _upload(client, business_association, [["姓名", "手机"], ["王芳", "13812341235"]])
    imp = MemberImport.objects.get()
    _map(client, imp)
    imp.refresh_from_db()
    assert imp.status == ImportStatus.CHECKED
    for user in (officer_of_other, staff_user):
        other = login(user)
        for name in ("imports:import-detail", "imports:import-map", "imports:import-report"):
            assert other.get(reverse(name, args=[imp.pk])).status_code == 404
        assert other.post(reverse("imports:import-commit", args=[imp.pk])).status_code == 404
        assert "members.csv" not in other.get(reverse("imports:import-list")).content.decode()
    assert Person.objects.count() == 0


def test_member_cannot_import(client, login, member_user):
    client = login(member_user)
    assert client.get(reverse("imports:import-list")).status_code == 404
    assert client.get(reverse("imports:import-create")).status_code == 404
    assert client.get(reverse("imports:import-template")).status_code == 404


@pytest.mark.parametrize("language,header", [("zh-hans", "出生日期"), ("zh-hant", "出生日期"), ("en", "Birth date")])
def test_template_is_in_the_readers_language_with_an_example_row(client, login, officer_of, language, header):
    from openpyxl import load_workbook

    officer_of.language = language
    officer_of.save()
    response = login(officer_of).get(reverse("imports:import-template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert header in headers and sheet.max_row == 2
    from qiaojia.imports.fields import guess_mapping

    assert len(guess_mapping(headers)) == len(headers)  # the template's own headers are recognised


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_templates_example_row_is_an_invented_person_not_one_of_the_seed(client, login, officer_of, language):
    """The brief forbids attaching invented data to a real name: the example row names nobody the seed
    names, in either script or in pinyin, and its ID number is a valid one (the importer accepts it)."""
    from openpyxl import load_workbook

    from qiaojia.core.chinese import pinyin_key, search_key
    from qiaojia.core.validators import validate_id_number
    from qiaojia.demo.data import SEED_PEOPLE
    from qiaojia.imports.fields import FIELDS

    officer_of.language = language
    officer_of.save()
    sheet = load_workbook(io.BytesIO(login(officer_of).get(reverse("imports:import-template")).content)).active
    row = dict(zip(FIELDS, [c.value or "" for c in sheet[2]], strict=True))
    cells = " ".join(str(v) for v in row.values())
    keys = {search_key(cells), search_key(cells).replace(" ", "")}
    for name in SEED_PEOPLE:
        assert not any(search_key(name) in key for key in keys), name
        assert pinyin_key(name, as_name=True) not in search_key(cells).replace(" ", ""), name
    assert row["name"] == "張三"
    validate_id_number(row["id_number"])


def test_people_list_and_association_detail_link_to_the_import(client, login, officer_of, business_association):
    client = login(officer_of)
    assert reverse("imports:import-create") in client.get(reverse("members:person-list")).content.decode()
    detail = client.get(reverse("orgs:association-detail", args=[business_association.pk])).content.decode()
    assert reverse("imports:import-create") + f"?association={business_association.pk}" in detail


def test_an_expired_upload_says_so_in_the_readers_language(client, login, officer_of, business_association):
    import datetime

    from qiaojia.imports import services

    client = login(officer_of)
    _upload(client, business_association, [["姓名"], ["王芳"]])
    imp = MemberImport.objects.get()
    MemberImport.objects.filter(pk=imp.pk).update(
        created_at=imp.created_at - datetime.timedelta(days=2), status=ImportStatus.FAILED
    )
    assert services.import_purge_expired() == 1
    page = client.get(reverse("imports:import-detail", args=[imp.pk])).content.decode()
    with translation.override("zh-hans"):
        assert _("The uploaded file is no longer kept: upload it again.") in page
    assert "expired" not in page
