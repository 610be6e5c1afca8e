"""At most ``WEB_THREADS`` HTTP requests in Django at once (core.request_slots), driven through
the ASGI middleware with a small app that records what runs when."""

import asyncio

from core.request_slots import RequestSlotsMiddleware


class Recorder:
    """An ASGI app: reads the whole body, holds the request for ``hold`` seconds (or until
    its gate opens), answers 200 with the body's length; records who ran when."""

    def __init__(self, hold: float = 0.02):
        self.hold = hold
        self.running = 0
        self.most = 0
        self.started: list[str] = []
        self.bodies: dict[str, bytes] = {}
        self.gates: dict[str, asyncio.Event] = {}

    async def __call__(self, scope, receive, send):
        name = scope["path"]
        self.running += 1
        self.most = max(self.most, self.running)
        self.started.append(name)
        try:
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            self.bodies[name] = body
            if name in self.gates:
                await self.gates[name].wait()
            else:
                await asyncio.sleep(self.hold)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": str(len(body)).encode()})
        finally:
            self.running -= 1


def _scope(path: str, headers=()) -> dict:
    return {"type": "http", "path": path, "method": "GET", "headers": list(headers)}


def _empty_body():
    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    return receive


async def _request(app, scope, receive=None) -> list[dict]:
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    await app(scope, receive or _empty_body(), send)
    return sent


def test_at_most_the_slots_run_at_once_and_the_rest_wait_in_order():
    recorder = Recorder()
    app = RequestSlotsMiddleware(recorder, slots=2)

    async def main():
        return await asyncio.gather(*(_request(app, _scope(f"/r{i}")) for i in range(6)))

    answers = asyncio.run(main())
    assert recorder.most == 2
    assert recorder.started == [f"/r{i}" for i in range(6)]
    assert [answer[0]["status"] for answer in answers] == [200] * 6


def test_zero_slots_is_no_limit():
    recorder = Recorder()
    app = RequestSlotsMiddleware(recorder, slots=0)

    async def main():
        await asyncio.gather(*(_request(app, _scope(f"/r{i}")) for i in range(6)))

    asyncio.run(main())
    assert recorder.most == 6


def test_a_body_still_arriving_holds_no_place_and_arrives_whole():
    recorder = Recorder()
    app = RequestSlotsMiddleware(recorder, slots=1)
    order: list[str] = []

    async def main():
        more = asyncio.Event()
        chunks = [b"a" * 70_000, b"b" * 1_200_000, b"c"]

        async def slow_body():
            if len(chunks) == 2:  # the rest of the body comes only later
                await more.wait()
            chunk = chunks.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

        upload = asyncio.create_task(_request(
            app, _scope("/upload", [(b"content-length", b"1270001")]), slow_body))
        await asyncio.sleep(0.01)
        # Runs while the upload is still arriving (were the upload holding the one place, this
        # would wait for ever: the rest of its body comes only after the page's answer).
        await asyncio.wait_for(_request(app, _scope("/page")), timeout=5)
        order.append("page answered")
        more.set()
        await upload
        order.append("upload answered")

    asyncio.run(main())
    assert order == ["page answered", "upload answered"]
    assert recorder.started == ["/page", "/upload"]
    assert recorder.bodies["/upload"] == b"a" * 70_000 + b"b" * 1_200_000 + b"c"


def test_a_client_gone_before_its_body_arrived_runs_nothing():
    recorder = Recorder()
    app = RequestSlotsMiddleware(recorder, slots=1)

    async def gone():
        return {"type": "http.disconnect"}

    sent = asyncio.run(_request(app, _scope("/upload", [(b"transfer-encoding", b"chunked")]),
                                gone))
    assert sent == [] and recorder.started == []


def test_websockets_take_no_place():
    recorder = Recorder()
    app = RequestSlotsMiddleware(recorder, slots=1)

    async def main():
        recorder.gates["/busy"] = asyncio.Event()
        busy = asyncio.create_task(_request(app, _scope("/busy")))
        await asyncio.sleep(0.01)
        socket = {"type": "websocket", "path": "/ws/notifications/", "headers": []}
        await asyncio.wait_for(_request(app, socket), timeout=2)
        assert recorder.started == ["/busy", "/ws/notifications/"]
        recorder.gates["/busy"].set()
        await busy

    asyncio.run(main())
