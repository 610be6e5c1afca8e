"""A fake Paystack served over real HTTP on this machine, for the tests and the checkout bench:
``paystack_served()`` starts it on a free port and yields the fake's state and its URL (point
``PAYSTACK_API_URL`` at it)."""

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

PAYSTACK_KEY = "sk_test_martaf_secret"


class FakePaystack:
    """Paystack's API: initialised transactions by reference, each call recorded (method,
    path, payload, authorization header). Served over real HTTP by ``PaystackServer``.

    ``down``: the connection is dropped without an answer (Paystack unreachable). A call
    without our key gets Paystack's 401 "Invalid key"; a verify of a reference it never
    initialised, its 400 "Transaction reference not found". ``fail()`` makes the next calls
    to a path fail as Paystack refuses."""

    def __init__(self):
        self.calls: list[dict] = []
        self.transactions: dict[str, dict] = {}
        self.down = False
        self.currency = "NGN"
        self.failures: list[list] = []
        self.refunds: dict[str, dict] = {}  # Paystack's refunds by id (``POST /refund``)
        # Payouts (see the payouts block below).
        self.accounts: dict[tuple[str, str], str] = {}
        self.recipients: dict[str, dict] = {}
        self.transfers: dict[str, dict] = {}

    def pay(self, reference: str, *, amount: int | None = None, currency: str | None = None):
        transaction = self.transactions[reference]
        transaction.update(status="success", paid_at="2026-11-30T12:00:00.000Z")
        if amount is not None:
            transaction["amount"] = amount
        if currency is not None:
            transaction["currency"] = currency

    def fail(self, method: str, path_prefix: str, status: int, message: str, *, times: int = 1):
        """Answer the next ``times`` calls to ``method path_prefix...`` with Paystack's error
        ``status``/``message`` (a refusal, e.g. 400 "Insufficient balance")."""
        self.failures.append([method, path_prefix, status, message, times])

    def _failure(self, method: str, path: str):
        for failure in self.failures:
            if failure[0] == method and path.startswith(failure[1]) and failure[4] > 0:
                failure[4] -= 1
                return failure[2], {"status": False, "message": failure[3]}
        return None

    def answer(
        self, *, method: str, path: str, body: bytes, authorization: str | None, query: str = ""
    ):
        # A GET's query string is its payload (``GET /bank/resolve?account_number=...``).
        payload = json.loads(body) if body else (dict(parse_qsl(query)) if query else None)
        self.calls.append(
            {"method": method, "path": path, "payload": payload, "authorization": authorization}
        )
        if authorization != f"Bearer {PAYSTACK_KEY}":
            return 401, {"status": False, "message": "Invalid key"}
        failure = self._failure(method, path)
        if failure is not None:
            return failure
        # Each call Paystack offers that the product uses: (method, path prefix, handler).
        # The money calls (banks, transfers, refunds) are added by ``FakePaystack.routes``.
        for route_method, prefix, handler in self.routes():
            if method == route_method and (path == prefix or path.startswith(prefix + "/")):
                return handler(path=path, payload=payload)
        return 404, {"status": False, "message": "Not found"}

    def routes(self) -> list:
        return [
            ("POST", "/transaction/initialize", self._initialize),
            ("GET", "/transaction/verify", self._verify),
            # -- refunds (money): create one, list a transaction's, fetch one --
            ("POST", "/refund", self._refund_create),
            ("GET", "/refund", self._refund_read),
            *self._payout_routes(),
        ]

    def _initialize(self, *, path: str, payload: dict):
        reference = payload["reference"]
        self.transactions[reference] = {
            "status": "abandoned",
            "amount": payload["amount"],
            "currency": payload.get("currency") or self.currency,
        }
        access = f"ac_{len(self.transactions)}"
        return 200, {
            "status": True,
            "message": "Authorization URL created",
            "data": {
                "authorization_url": f"https://checkout.paystack.com/{access}",
                "access_code": access,
                "reference": reference,
            },
        }

    def _verify(self, *, path: str, payload: dict | None):
        reference = path.rsplit("/", 1)[1]
        transaction = self.transactions.get(reference)
        if transaction is None:
            return 400, {"status": False, "message": "Transaction reference not found"}
        return 200, {
            "status": True,
            "message": "Verification successful",
            "data": {"reference": reference, **transaction},
        }


    # -- refunds (money) -----------------------------------------------------------------------

    def _refund_create(self, *, path: str, payload: dict):
        reference = payload.get("transaction")
        transaction = self.transactions.get(reference)
        if transaction is None:
            return 400, {"status": False, "message": "Transaction reference not found"}
        if transaction["status"] != "success":
            return 400, {"status": False, "message": "Cannot refund an unpaid transaction"}
        amount = int(payload.get("amount") or transaction["amount"])
        refunded = sum(
            r["amount"] for r in self.refunds.values()
            if r["transaction"]["reference"] == reference and r["status"] != "failed"
        )
        if refunded + amount > transaction["amount"]:
            return 400, {
                "status": False,
                "message": "Refund amount cannot be greater than transaction amount",
            }
        refund_id = str(1000 + len(self.refunds))
        self.refunds[refund_id] = {
            "id": int(refund_id),
            "transaction": {"reference": reference, "amount": transaction["amount"]},
            "amount": amount,
            "currency": payload.get("currency") or self.currency,
            "merchant_note": payload.get("merchant_note") or "",
            "customer_note": payload.get("customer_note") or "",
            "status": "pending",
        }
        return 200, {
            "status": True,
            "message": "Refund has been queued for processing",
            "data": self.refunds[refund_id],
        }

    def _refund_read(self, *, path: str, payload: dict | None):
        if path.rstrip("/") == "/refund":  # the list (the fake ignores the filters)
            return 200, {"status": True, "message": "Refunds retrieved",
                         "data": list(self.refunds.values())}
        refund = self.refunds.get(path.rsplit("/", 1)[1])
        if refund is None:
            return 404, {"status": False, "message": "Refund not found"}
        return 200, {"status": True, "message": "Refund retrieved", "data": refund}

    def refund_event(self, refund_id, status: str) -> dict:
        """Paystack settles a refund (``status`` "processed" or "failed"): the webhook event's
        body, to sign and post."""
        refund = self.refunds[str(refund_id)]
        refund["status"] = status
        return {
            "event": f"refund.{status}",
            "data": {
                "id": refund["id"],
                "status": status,
                "transaction_reference": refund["transaction"]["reference"],
                "amount": refund["amount"],
                "currency": refund["currency"],
                "merchant_note": refund["merchant_note"],
            },
        }

    # --- Payouts: banks, account names, transfer recipients, transfers -------------------------
    # ``accounts`` maps (bank code, account number) to the name the bank holds; an account not
    # in it cannot be resolved (Paystack's 422). ``recipients`` and ``transfers`` are what was
    # created; a transfer whose reference was already used is refused as Paystack does, so a
    # retry never pays twice. ``transfer_settle()`` makes a transfer succeed, fail or reverse.

    BANKS = [
        {"name": "Access Bank", "slug": "access-bank", "code": "044"},
        {"name": "Guaranty Trust Bank", "slug": "guaranty-trust-bank", "code": "058"},
        {"name": "Zenith Bank", "slug": "zenith-bank", "code": "057"},
    ]

    def transfer_settle(self, reference: str, status: str) -> dict:
        self.transfers[reference]["status"] = status
        return self.transfers[reference]

    def _payout_routes(self) -> list:
        return [
            ("GET", "/bank/resolve", self._bank_resolve),
            ("GET", "/bank", self._banks),
            ("POST", "/transferrecipient", self._recipient_create),
            ("GET", "/transfer/verify", self._transfer_verify),
            ("POST", "/transfer", self._transfer_create),
        ]

    def _banks(self, *, path: str, payload: dict | None):
        return 200, {"status": True, "message": "Banks retrieved", "data": self.BANKS}

    def _bank_resolve(self, *, path: str, payload: dict | None):
        payload = payload or {}
        name = self.accounts.get((payload.get("bank_code"), payload.get("account_number")))
        if name is None:
            return 422, {
                "status": False,
                "message": "Could not resolve account name. Check parameters or try again.",
            }
        return 200, {
            "status": True,
            "message": "Account number resolved",
            "data": {"account_number": payload["account_number"], "account_name": name},
        }

    def _recipient_create(self, *, path: str, payload: dict):
        code = f"RCP_{len(self.recipients) + 1:06d}"
        self.recipients[code] = payload
        return 201, {
            "status": True,
            "message": "Transfer recipient created successfully",
            "data": {"recipient_code": code, "type": payload.get("type"), "active": True},
        }

    def _transfer_create(self, *, path: str, payload: dict):
        reference = payload.get("reference")
        if reference in self.transfers:
            return 400, {"status": False, "message": "Duplicate Transfer Reference"}
        if payload.get("recipient") not in self.recipients:
            return 400, {"status": False, "message": "Recipient specified is invalid"}
        transfer = {
            "reference": reference,
            "transfer_code": f"TRF_{len(self.transfers) + 1:06d}",
            "amount": payload["amount"],
            "currency": payload.get("currency") or self.currency,
            "recipient": payload["recipient"],
            "status": "pending",
        }
        self.transfers[reference] = transfer
        return 200, {"status": True, "message": "Transfer has been queued", "data": transfer}

    def _transfer_verify(self, *, path: str, payload: dict | None):
        transfer = self.transfers.get(path.rsplit("/", 1)[1])
        if transfer is None:
            return 404, {"status": False, "message": "Transfer not found"}
        return 200, {"status": True, "message": "Transfer retrieved", "data": transfer}

    # --- end of payouts ----------------------------------------------------------------------


class _PaystackHandler(BaseHTTPRequestHandler):
    fake: FakePaystack

    def _serve(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.fake.down:
            self.close_connection = True  # no answer at all: the client sees it drop
            return
        status, answer = self.fake.answer(
            method=self.command,
            path=urlparse(self.path).path,
            body=body,
            authorization=self.headers.get("Authorization"),
            query=urlparse(self.path).query,
        )
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _serve

    def log_message(self, *args) -> None:  # quiet
        pass


@contextlib.contextmanager
def paystack_served() -> Iterator[tuple[FakePaystack, str]]:
    fake = FakePaystack()
    handler = type("Handler", (_PaystackHandler,), {"fake": fake})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
