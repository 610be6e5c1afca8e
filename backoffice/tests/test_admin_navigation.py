"""The sidebar is built per role and never links to a page the user may not open."""

import pytest
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from backoffice.admin_navigation import sidebar_navigation

pytestmark = pytest.mark.django_db

STAFF_ONLY_URLS = [
    reverse("admin:users_user_changelist"),
    reverse("admin:auth_group_changelist"),
    reverse("admin:django_q_failure_changelist"),
    reverse("admin:django_q_success_changelist"),
    reverse("admin:django_q_schedule_changelist"),
    reverse("admin:token_blacklist_outstandingtoken_changelist"),
    reverse("admin:socialaccount_socialapp_changelist"),
]


def _links(user) -> dict[str, list[str]]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return {
        group["title"]: [item["link"] for item in group["items"]]
        for group in sidebar_navigation(request)
    }


def _groups(user) -> list[dict]:
    request = RequestFactory().get("/admin/")
    request.user = user
    return sidebar_navigation(request)


def test_staff_sees_people_and_system_groups(staff_user):
    links = _links(staff_user)

    assert reverse("admin:index") in links["Overview"]
    assert reverse("admin:users_user_changelist") in links["People"]
    assert reverse("admin:auth_group_changelist") in links["System"]
    assert reverse("admin:django_q_failure_changelist") in links["System"]
    assert reverse("admin:token_blacklist_blacklistedtoken_changelist") in links["System"]


def test_system_pages_are_one_folded_section_for_superusers_only(staff_user, make_user):
    plain_staff = make_user("ops@martaf.test", is_staff=True)
    plain_staff.user_permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["django_q", "auth", "sites"])
    )
    plain_staff = type(plain_staff).objects.get(pk=plain_staff.pk)

    superuser_groups = {g["title"]: g for g in _groups(staff_user)}
    staff_groups = {g["title"] for g in _groups(plain_staff)}

    system = superuser_groups["System"]
    assert system["collapsible"] is True
    assert [item["title"] for item in system["items"]] == [
        "Groups", "Email addresses", "Social accounts", "Social applications", "Queued tasks",
        "Successful tasks", "Failed tasks", "Scheduled tasks", "Refresh tokens",
        "Blacklisted tokens", "Sign-in lockouts", "Sites",
    ]
    # Nothing of the plumbing anywhere else in the sidebar.
    daily = [item["link"] for title, g in superuser_groups.items() if title != "System"
             for item in g["items"]]
    assert not set(daily) & {item["link"] for item in system["items"]}
    # Daily work is unfolded; the rest folds away.
    assert [t for t, g in superuser_groups.items() if not g["collapsible"]] == [
        "Overview", "Catalogue", "Sales", "Money", "Reports"
    ]
    # A staff member who is not a superuser has no System section, whatever they may open.
    assert "System" not in staff_groups


def test_manufacturer_sees_no_staff_only_link(manufacturer_a):
    links = _links(manufacturer_a)
    every_link = [link for group in links.values() for link in group]

    assert "People" not in links and "System" not in links
    assert reverse("admin:index") in every_link
    assert not set(every_link) & set(STAFF_ONLY_URLS)


def test_manufacturer_sidebar_in_the_rendered_page_has_no_staff_links(client, manufacturer_a):
    client.force_login(manufacturer_a)

    html = client.get(reverse("admin:index")).content.decode()

    for url in STAFF_ONLY_URLS:
        assert f'href="{url}"' not in html


@pytest.mark.parametrize("url", STAFF_ONLY_URLS)
def test_manufacturer_is_forbidden_on_staff_pages_by_direct_url(client, manufacturer_a, url):
    client.force_login(manufacturer_a)
    assert client.get(url).status_code == 403


def test_every_sidebar_link_opens_for_staff(client, staff_user):
    client.force_login(staff_user)
    every_link = [link for group in _links(staff_user).values() for link in group]

    assert every_link
    for link in every_link:
        assert client.get(link).status_code == 200, link
