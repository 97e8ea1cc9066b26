"""Who may open the equipment pages: every URL declares its access (core.access), the own
schools' coordinators get in, everyone else 403; odd query parameters never give a 500."""

import pytest
from django.urls import URLPattern, reverse

from tests.courses.planning_fixtures import make_plan
from tests.factories import coordinator, instructor
from workshops import urls

pytestmark = pytest.mark.django_db


def test_equipment_pages_are_for_the_own_schools_coordinators_only(client):
    """The school's instructors read the item page (its QR label links there) and nothing
    else; another school's staff get none of it."""
    plan = make_plan(units=1)
    item = plan.printers[0]
    item_urls = [
        reverse("workshops:equipment_detail", args=[item.pk]),
        reverse("workshops:equipment_edit", args=[item.pk]),
        reverse("workshops:reservation_create", args=[item.pk]),
        reverse("workshops:maintenance_create", args=[item.pk]),
        reverse("workshops:schedule_create", args=[item.pk]),
    ]
    own_instructors = (plan.instructor, instructor(plan.school))
    for user in (coordinator(), instructor(), *own_instructors):
        client.force_login(user)
        for url in item_urls:
            readable = user in own_instructors and url == item_urls[0]
            assert client.get(url).status_code == (200 if readable else 403), (user, url)
        response = client.post(
            reverse("workshops:equipment_status", args=[item.pk]), {"status": "retired"}
        )
        assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == "available"
    client.force_login(coordinator())
    labels = client.get(reverse("workshops:labels_pdf") + f"?ids={item.pk}")
    assert labels.status_code == 302  # not one of theirs: nothing to print
    client.force_login(plan.coordinator)
    for url in item_urls:
        assert client.get(url).status_code == 200, url


def test_the_lists_are_for_coordinators_of_some_school(client):
    plan = make_plan(units=1)
    lists = [
        reverse(f"workshops:{name}")
        for name in ("equipment_list", "equipment_create", "maintenance_due", "utilisation")
    ]
    client.force_login(instructor(plan.school))
    for url in lists + [reverse("workshops:labels_pdf")]:
        assert client.get(url).status_code == 403, url
    client.force_login(coordinator())  # of another school: their own (empty) lists
    for url in lists:
        assert client.get(url).status_code == 200, url


def test_odd_query_parameters_never_give_a_500(client):
    plan = make_plan(units=1)
    client.force_login(plan.coordinator)
    for url in [
        reverse("workshops:equipment_create") + "?school=abc",
        reverse("workshops:equipment_list") + "?type=abc&status=kaputt&workshop=-1&page=x",
        reverse("workshops:labels_pdf") + "?ids=abc",
        reverse("workshops:utilisation") + "?start=gestern&end=2031-13-45",
        reverse("courses:staff_calendar_month") + "?month=2031-13",
        reverse("courses:staff_calendar_month") + "?month=abc&workshop=x",
        reverse("courses:staff_calendar_week") + "?date=31.02.2031",
        reverse("courses:staff_run_list") + "?status=unbekannt&page=999",
    ]:
        assert client.get(url).status_code in (200, 302), url


def test_every_url_declares_its_access():
    patterns = [p for p in urls.urlpatterns if isinstance(p, URLPattern)]
    assert len(patterns) == len(urls.urlpatterns)
    assert [p.name for p in patterns if not hasattr(p.callback, "access_perm")] == []
    # Equipment is staff-visible: "not for you" is a 403, never a 404.
    assert not any(p.callback.access_private for p in patterns)
