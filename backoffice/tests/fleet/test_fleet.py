"""The backoffice as a fleet: two web servers, two worker hosts, PostgreSQL, Redis and S3, all
real processes (``harness.py``). Run with ``make test-fleet`` (CI runs it on its PostgreSQL leg);
``make test`` leaves these out. Each test prints its figures (``-s`` shows them).

A test that kills or stops a piece starts it again before it ends, so the tests do not depend
on their order.
"""

import io
import json
import re
import signal
import threading
import time
from collections import Counter

import pytest
import requests
from PIL import Image

from backoffice.fleet import http_ok

from . import harness

pytestmark = pytest.mark.fleet


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    running = harness.start(tmp_path_factory.mktemp("fleet-logs"))
    yield running
    harness.stop(running)


def _auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _png(colour: tuple) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_image_uploaded_through_a_is_served_at_the_url_b_gives(fleet):
    image = _png((200, 30, 90))
    created = requests.post(
        f"{fleet.a}/products/add-product/", headers=_auth(fleet.people["maker"]),
        data={"name": "Fleet poster", "price": "12.00", "category": "Fleet > Posters",
              "stock": "5"},
        files={"images": ("poster.png", image, "image/png")}, timeout=30,
    )
    assert created.status_code == 201, created.text
    product_id = created.json()["id"]

    seen = requests.get(f"{fleet.b}/products/{product_id}/",  # pending: its owner sees it
                        headers=_auth(fleet.people["maker"]), timeout=30)
    assert seen.status_code == 200, seen.text
    url = seen.json()["images_data"][0]["image_urls"]["original"]
    assert url.startswith(fleet.env["AWS_S3_ENDPOINT_URL"] + "/" + harness.BUCKET + "/"), url
    served = requests.get(url, timeout=30)
    assert served.status_code == 200
    assert served.content == image
    print(f"\nimage: {len(image)} bytes uploaded through A, the same {len(served.content)} bytes "
          f"served at B's URL {url}")


def _listed(base: str, **params) -> dict:
    response = requests.get(f"{base}/products/list/", params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_an_approval_and_a_stock_change_through_a_show_at_once_in_bs_cached_list(fleet):
    before = _listed(fleet.b)
    assert _listed(fleet.b)["count"] == before["count"]  # the second read is B's cache

    created = requests.post(
        f"{fleet.a}/products/add-product/", headers=_auth(fleet.people["maker"]),
        json={"name": "Fleet lamp", "price": "30.00", "category": "Fleet > Lamps", "stock": 3},
        timeout=30,
    )
    assert created.status_code == 201, created.text
    product_id = created.json()["id"]
    assert _listed(fleet.b)["count"] == before["count"]  # pending: not public yet

    approved = requests.post(f"{fleet.a}/api/products/{product_id}/approve/",
                             headers=_auth(fleet.people["staff"]), timeout=30)
    assert approved.status_code == 200, approved.text
    after = _listed(fleet.b)
    assert after["count"] == before["count"] + 1
    assert after["results"][0]["id"] == product_id  # newest first

    changed = requests.patch(
        f"{fleet.a}/products/update-product/{product_id}/", headers=_auth(fleet.people["maker"]),
        json={"stock": 42}, timeout=30,
    )
    assert changed.status_code == 200, changed.text
    assert _listed(fleet.b, id=product_id)["results"][0]["inventory"] == 42
    print(f"\ncache: B's list counted {before['count']}, then {after['count']} right after A "
          f"approved; B's stock read 42 right after A's change")


def _add_and_checkout(base: str, token: str, product: str) -> requests.Response:
    added = requests.post(f"{base}/cart/add", headers=_auth(token),
                          json={"product_id": product, "quantity": 1}, timeout=30)
    assert added.status_code in (200, 201), added.text
    return requests.post(f"{base}/checkout/", headers=_auth(token), json={}, timeout=60)


def test_a_manufacturer_on_b_hears_of_an_order_placed_through_a(fleet):
    from websockets.sync.client import connect

    ws_url = fleet.b.replace("http://", "ws://") + "/ws/notifications/"
    with connect(ws_url, subprotocols=["jwt", fleet.people["maker"]], origin=fleet.b,
                 open_timeout=10) as socket:
        first = socket.recv(timeout=10)
        assert json.loads(first)["type"] == "unread_count"
        buyer = fleet.people["buyers"][0]
        started = time.monotonic()
        placed = _add_and_checkout(fleet.a, buyer["token"], fleet.people["product"])
        assert placed.status_code == 201, placed.text
        order_id = placed.json()["order_ids"][0]
        number = fleet.one("SELECT number FROM orders_order WHERE id = %s",
                                     (order_id,))
        while True:
            frame = json.loads(socket.recv(timeout=15))
            if frame.get("type") == "notification" and number in frame.get("title", ""):
                break
        waited = time.monotonic() - started
    print(f"\nwebsocket: the manufacturer connected to B heard of order {number} "
          f"(placed through A) {waited:.2f} s after the checkout was sent")


class Admin:
    """A signed-in admin session on one web server (form posts with the CSRF token)."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.session = requests.Session()
        login = self.session.get(f"{base}/admin/login/", timeout=30)
        answer = self.session.post(
            f"{base}/admin/login/",
            data={"username": email, "password": harness.PASSWORD,
                  "csrfmiddlewaretoken": self._token(login.text), "next": "/admin/"},
            timeout=30, allow_redirects=False,
        )
        assert answer.status_code == 302, answer.text[:500]

    @staticmethod
    def _token(page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post_form(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        page = self.session.get(f"{self.base}{path}", timeout=30)
        return self.session.post(
            f"{self.base}{path}", data={**data, "csrfmiddlewaretoken": self._token(page.text)},
            files=files, timeout=60, allow_redirects=False,
        )


def _wait_for(what: str, check, timeout: float, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        time.sleep(every)


def test_an_import_whose_worker_is_killed_mid_write_is_finished_by_the_other(fleet, tmp_path):
    rows = harness.write_catalogue_csv(tmp_path / "catalogue.csv", products=5000)
    assert rows == 20_000
    importer = fleet.people["importer_id"]
    admin = Admin(fleet.a, "importer@fleet.test")
    started = time.monotonic()
    with (tmp_path / "catalogue.csv").open("rb") as handle:
        uploaded = admin.post_form(
            "/admin/imports/productimport/add/", {},
            files={"file": ("catalogue.csv", handle, "text/csv")},
        )
    assert uploaded.status_code == 302, uploaded.text[:500]
    pk = int(re.search(r"/productimport/(\d+)/", uploaded.headers["Location"]).group(1))
    status = "SELECT status, attempts, rows_done, rows_total FROM catalog_productimport WHERE id=%s"
    _wait_for("the check on a worker", lambda: fleet.sql(status, (pk,))[0][0] == "previewed", 90)
    checked = time.monotonic() - started

    confirmed = admin.session.post(
        f"{fleet.a}/admin/imports/productimport/{pk}/confirm/",
        data={"mode": "all_or_nothing",
              "csrfmiddlewaretoken": admin.session.cookies["csrftoken"]},
        timeout=60, allow_redirects=False,
    )
    assert confirmed.status_code == 302, confirmed.text[:500]

    # Mid-write: the import is running, its rows all checked, and a worker's connection holds
    # a transaction that has written (it has a transaction id): the import's one write.
    writing = """
        SELECT application_name FROM pg_stat_activity
        WHERE datname = current_database() AND backend_xid IS NOT NULL
          AND application_name LIKE 'fleet-worker-%%' AND now() - xact_start > interval '0.3 s'
    """

    def write_under_way():
        state, _attempts, done, total = fleet.sql(status, (pk,))[0]
        if state != "running" or done < total:
            return None
        holders = fleet.sql(writing)
        return holders[0][0] if holders else None

    host = _wait_for("the write under way", write_under_way, 90, every=0.1)
    victim = host.removeprefix("fleet-")
    survivor = "worker-2" if victim == "worker-1" else "worker-1"
    fleet.fleet.kill(victim, signal.SIGKILL)
    killed_at = time.monotonic()
    products = "SELECT count(*) FROM catalog_product WHERE manufacturer_id = %s"
    variations = """SELECT count(*) FROM catalog_variation v JOIN catalog_product p
                    ON p.id = v.product_id WHERE p.manufacturer_id = %s"""
    assert fleet.one(products, (importer,)) == 0
    time.sleep(2)  # PostgreSQL has rolled the dead connection's transaction back by now
    assert fleet.one(products, (importer,)) == 0
    assert fleet.one(variations, (importer,)) == 0
    assert fleet.sql(status, (pk,))[0][0] == "running"

    _wait_for("the other worker to finish it",
              lambda: fleet.sql(status, (pk,))[0][0] in ("completed", "failed"), 150, every=0.5)
    finished = time.monotonic()
    state, attempts, _done, _total = fleet.sql(status, (pk,))[0]
    assert (state, attempts) == ("completed", 2)
    assert fleet.one(products, (importer,)) == 5000
    assert fleet.one(variations, (importer,)) == 20_000
    assert fleet.fleet.members[survivor].alive()
    print(f"\nimport: 20,000 rows checked on a worker in {checked:.1f} s; {victim} killed "
          f"(SIGKILL) mid-write, 0 rows written; {survivor} took it over and finished it "
          f"(attempt 2) {finished - killed_at:.1f} s later: 5,000 products, 20,000 variations")
    harness.start_worker(fleet.fleet, name=victim, env=fleet.fleet.members[victim].env)


def test_b_answers_every_request_and_no_accepted_write_is_lost_when_a_is_killed(fleet):
    product = fleet.people["product"]
    buyers = fleet.people["buyers"][1:]
    stop = threading.Event()
    a_dead = threading.Event()
    log: list = []  # (server, what, status, order ids)
    lock = threading.Lock()

    def record(server, what, status, orders=()):
        with lock:
            log.append((server, what, status, tuple(orders)))

    def shop(buyer):
        session = requests.Session()
        headers = _auth(buyer["token"])
        i = 0
        while not stop.is_set():
            server = "A" if i % 2 == 0 else "B"
            base = fleet.a if server == "A" else fleet.b
            i += 1
            step = "list"
            try:
                listed = session.get(f"{base}/products/list/", timeout=10)
                record(server, "list", listed.status_code)
                step = "cart"
                added = session.post(f"{base}/cart/add", headers=headers, timeout=10,
                                     json={"product_id": product, "quantity": 1})
                record(server, "cart", added.status_code)
                if added.status_code not in (200, 201):
                    continue
                step = "checkout"
                placed = session.post(f"{base}/checkout/", headers=headers, json={},
                                      timeout=30)
                orders = placed.json()["order_ids"] if placed.status_code == 201 else []
                record(server, "checkout", placed.status_code, orders)
            except requests.RequestException as error:
                record(server, f"error:{step}", type(error).__name__)
                session = requests.Session()  # the pooled connection may be the dead one
                if server == "A" and a_dead.is_set():
                    time.sleep(0.05)

    threads = [threading.Thread(target=shop, args=(buyer,)) for buyer in buyers]
    for thread in threads:
        thread.start()
    time.sleep(6)
    fleet.fleet.kill("web-a", signal.SIGKILL)
    a_dead.set()
    killed_at = len(log)
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)

    by_server = Counter((server, what, status) for server, what, status, _ in log)
    b_answers = [(what, status) for server, what, status, _ in log if server == "B"]
    assert b_answers and all(isinstance(s, int) and 200 <= s < 300 for _, s in b_answers), [
        a for a in b_answers if not (isinstance(a[1], int) and 200 <= a[1] < 300)
    ]
    assert any(server == "B" for server, *_ in log[killed_at:])
    accepted_orders = {o for *_, orders in log for o in orders}
    buyer_ids = tuple(b["id"] for b in buyers)
    stored = {row[0] for row in fleet.sql(
        "SELECT id FROM orders_order WHERE id = ANY(%s)", (list(accepted_orders),))}
    assert stored == accepted_orders  # every order answered 201 is there
    # Every unit a 2xx put in a cart is in an order or still in that cart.
    units_added = sum(1 for _, what, status, _ in log if what == "cart" and status in (200, 201))
    ordered = fleet.one(
        """SELECT coalesce(sum(i.quantity), 0) FROM orders_orderitem i
           JOIN orders_order o ON o.id = i.order_id WHERE o.buyer_id = ANY(%s)""",
        (list(buyer_ids),))
    in_carts = fleet.one(
        "SELECT coalesce(sum(quantity), 0) FROM shopping_cartitem WHERE user_id = ANY(%s)",
        (list(buyer_ids),))
    # An add sent to A as it died may have been written without its answer: at most one more
    # unit per add that got no answer.
    unanswered_adds = sum(1 for _, what, *_ in log if what == "error:cart")
    assert units_added <= ordered + in_carts <= units_added + unanswered_adds, (
        units_added, ordered, in_carts, unanswered_adds)
    print(f"\nload: {len(buyers)} buyers, {len(log)} requests; A killed after {killed_at}. "
          f"B: {len(b_answers)} answers, all 2xx. Answers by server: {dict(sorted(by_server.items(), key=str))}. "
          f"{len(accepted_orders)} orders answered 201, all stored; {units_added} units added "
          f"accepted; {ordered} ordered + {in_carts} still in carts ({unanswered_adds} adds "
          f"cut off by the kill)")
    harness.start_web(fleet.fleet, name="web-a", port=int(fleet.a.rsplit(":", 1)[1]),
                      env=fleet.fleet.members["web-a"].env)


def _readyz(base: str) -> tuple[int, dict]:
    response = requests.get(f"{base}/readyz", timeout=5)
    return response.status_code, response.json()


def _time_until(base: str, status: int, timeout: float = 10) -> tuple[float, dict]:
    started = time.monotonic()
    while True:
        code, body = _readyz(base)
        if code == status:
            return time.monotonic() - started, body
        if time.monotonic() - started > timeout:
            raise AssertionError(f"/readyz stayed {code} ({body}) for {timeout:g} s")
        time.sleep(0.05)


def test_readyz_on_b_follows_redis_and_the_s3_server(fleet):
    _, ready = _time_until(fleet.b, 200)  # a probe may be slow on a loaded machine
    assert ready["checks"] == {"database": "ok", "redis": "ok", "storage": "ok"}
    figures = []
    for piece, part in (("redis", "redis"), ("s3", "storage")):
        fleet.fleet.stop(piece)
        down, body = _time_until(fleet.b, 503)
        assert down <= 2.0
        assert body["status"] == "unavailable"
        assert body["checks"][part].startswith("unreachable")
        assert {k: v for k, v in body["checks"].items() if k != part} == {
            k: "ok" for k in ("database", "redis", "storage") if k != part}
        if piece == "redis":
            fleet.fleet.restart("redis")
        else:
            harness.restart_s3(fleet)
        up, _ = _time_until(fleet.b, 200)
        figures.append(f"{piece} stopped: 503 after {down:.2f} s ({body['checks'][part][:60]}); "
                       f"back: 200 after {up:.2f} s")
    assert http_ok(f"{fleet.b}/healthz")
    print("\nreadyz: " + "; ".join(figures))
