"""Run the production shape on one machine (``make fleet``): two web servers on two ports, a
django-q2 cluster, PostgreSQL, Redis and an S3 server (moto) for media, until Ctrl-C.

PostgreSQL and Redis are the machine's own (``--database-url``, ``--redis-url``); the database
is created if missing and migrated. The S3 server is started here (nothing it stores outlives
it). Each piece is a separate process, configured only by the environment, as it would be on
its own host (docs/fleet.md maps them onto hosts). Ctrl-C, or any piece stopping, stops all.
"""

import time
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from backoffice.fleet import (
    Fleet,
    ensure_database,
    http_ok,
    manage,
    port_open,
    start_s3,
    start_web,
    start_worker,
    wait_web,
)
from backoffice.management.commands.runbackoffice import stop_on_sigterm


class Command(BaseCommand):
    help = "Run two web servers, a worker cluster, and an S3 server on PostgreSQL and Redis."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8001,
                            help="the first web server's port; the others follow (8001, 8002)")
        parser.add_argument("--web", type=int, default=2, help="web servers (one port each)")
        parser.add_argument("--web-workers", type=int, default=1,
                            help="uvicorn processes per web server")
        parser.add_argument("--workers", type=int, default=2,
                            help="worker processes in the django-q2 cluster")
        parser.add_argument("--database-url",
                            default="postgres://postgres@127.0.0.1:5432/martaf_fleet")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
        parser.add_argument("--s3-port", type=int, default=9100)
        parser.add_argument("--bucket", default="martaf-media")
        parser.add_argument("--no-demo", action="store_true", help="skip the demo data")

    def handle(self, *args, **options) -> None:
        stop_on_sigterm()
        redis = urlsplit(options["redis_url"])
        if not port_open(redis.port or 6379, redis.hostname or "127.0.0.1"):
            raise CommandError(f"Redis does not answer at {options['redis_url']}.")
        for port in [options["port"] + i for i in range(options["web"])] + [options["s3_port"]]:
            if port_open(port):
                raise CommandError(f"Port {port} is taken: choose others (--port, --s3-port).")

        self.stdout.write(f"Database {options['database_url']}: creating if missing, migrating ...")
        ensure_database(options["database_url"])
        env = {
            "DATABASE_URL": options["database_url"],
            "REDIS_URL": options["redis_url"],
            # The database broker: a task whose worker died is handed out again (Q_BROKER).
            "Q_BROKER": "orm",
        }
        fleet = Fleet()
        try:
            env.update(start_s3(fleet, port=options["s3_port"], bucket=options["bucket"]))
            manage("migrate", "--noinput", "-v", "0", env=env)
            if not options["no_demo"]:
                manage("seed_demo", env=env)
            webs = [  # started side by side, then waited for
                start_web(fleet, name=f"web-{i + 1}", port=options["port"] + i, env=env,
                          workers=options["web_workers"], wait=False)
                for i in range(options["web"])
            ]
            worker = start_worker(fleet, name="worker", env=env, processes=options["workers"])
            for i, base in enumerate(webs):
                wait_web(fleet, f"web-{i + 1}", base)
            self._banner(webs, worker.pid, options, env)
            while not fleet.dead():
                time.sleep(0.5)
            self.stderr.write(f"{', '.join(fleet.dead())} stopped; stopping the rest.")
        except KeyboardInterrupt:
            self.stdout.write("\nStopping ...")
        finally:
            fleet.stop_all()

    def _banner(self, webs: list[str], worker_pid: int, options: dict, env: dict) -> None:
        lines = ["", "MARTAF fleet is running."]
        for i, base in enumerate(webs, 1):
            ready = "ready" if http_ok(f"{base}/readyz") else "NOT READY (see /readyz)"
            lines.append(f"  Web {i}:    {base}/admin/   {base}/readyz ({ready})")
        lines += [
            f"  Worker:   django-q2 cluster, {options['workers']} processes (pid {worker_pid})",
            f"  Database: {options['database_url']}",
            f"  Redis:    {options['redis_url']} (cache, channel layer)",
            f"  Media:    S3 bucket {env['AWS_STORAGE_BUCKET_NAME']} at "
            f"{env['AWS_S3_ENDPOINT_URL']} (moto_server)",
            "Put a load balancer in front of the web servers (docs/fleet.md). "
            "Press Ctrl-C to stop everything.",
        ]
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

