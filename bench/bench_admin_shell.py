"""Admin shell: dashboard and user changelist render time with many users."""

from bench.harness import admin_client, timed


def run(rows: int | None = None) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from users.models import CustomerProfile, User
    from users.services import user_create

    rows = rows or 20_000
    staff = user_create(email="bench-staff@martaf.test", is_staff=True, is_superuser=True)
    users = User.objects.bulk_create(
        User(email=f"user{i}@bench.test", is_customer=True, password="!") for i in range(rows)
    )
    CustomerProfile.objects.bulk_create(CustomerProfile(user=u) for u in users)
    client = admin_client(staff)

    results = []
    for label, url in [
        ("dashboard", "/admin/"),
        ("user changelist", "/admin/users/user/"),
        ("user search", "/admin/users/user/?q=user1999"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        results.append(
            {"page": label, "users": rows + 1, "queries": len(queries), **timed(lambda url=url: client.get(url))}
        )
    return results
