"""The sign-in policy's cost per attempt (users.signin_policy): a failed API login, a refused
one, a successful one, with the lockouts table holding ``rows`` counts from an attack."""


def run(rows: int | None = None) -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from rest_framework.test import APIClient
    from rest_framework.throttling import ScopedRateThrottle

    from bench.harness import timed
    from users.models import SignInThrottle, SignInThrottleScope
    from users.services import user_create

    rows = rows or 10_000
    ScopedRateThrottle.THROTTLE_RATES["login"] = "1000000/min"  # the policy alone
    user_create(email="owner@bench.test", password="bench-passphrase-42", is_customer=True)
    now = timezone.now()
    SignInThrottle.objects.bulk_create(
        SignInThrottle(
            scope=SignInThrottleScope.PAIR,
            client_ip=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
            email=f"victim{i % 500}@bench.test",
            failures=1,
            last_failure_at=now,
        )
        for i in range(rows)
    )
    client = APIClient()
    counter = iter(range(10**9))

    def attempt(password: str, email: str = "owner@bench.test"):
        n = next(counter)
        return client.post(
            "/accounts/login",
            {"email": email.format(n=n), "password": password},
            format="json",
            REMOTE_ADDR=f"192.168.{n // 256 % 256}.{n % 256}",
        )

    results = []
    cases = [
        ("success", lambda: attempt("bench-passphrase-42"), 200),
        ("failure", lambda: attempt("wrong", "guess{n}@bench.test"), 401),
    ]
    for label, fn, status in cases:
        with CaptureQueriesContext(connection) as queries:
            response = fn()
        assert status is None or response.status_code == status, response.status_code
        results.append(
            {"attempt": label, "table_rows": rows, "queries": len(queries), **timed(fn, repeat=21)}
        )
    # Six failures put the email in its backoff: further attempts are refused unchecked.
    for _ in range(6):
        attempt("wrong")
    with CaptureQueriesContext(connection) as queries:
        refused = attempt("wrong")
    assert refused.status_code == 429, refused.status_code
    results.append(
        {
            "attempt": "refused (backoff)",
            "table_rows": rows,
            "queries": len(queries),
            **timed(lambda: attempt("wrong"), repeat=21),
        }
    )
    # The policy alone, without the password hasher: what each door adds to an attempt.
    from django.test import RequestFactory

    from users.signin_policy import signin_check, signin_failed

    def request_from(n: int):
        return RequestFactory().post("/", REMOTE_ADDR=f"172.16.{n // 256 % 256}.{n % 256}")

    same = request_from(1)
    policy = [
        ("policy: check", lambda: signin_check(request=request_from(next(counter)), email="a@b.c")),
        (
            "policy: failure, new counts",
            lambda: signin_failed(
                request=request_from(next(counter)), email="new{}@b.c".format(next(counter))
            ),
        ),
        ("policy: failure, existing counts", lambda: signin_failed(request=same, email="seen@b.c")),
    ]
    for label, fn in policy:
        with CaptureQueriesContext(connection) as queries:
            fn()
        results.append(
            {"attempt": label, "table_rows": rows, "queries": len(queries), **timed(fn, repeat=21)}
        )
    return results
