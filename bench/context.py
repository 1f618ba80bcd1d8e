"""What a benchmark's ``run(ctx)`` gets: settings, shared servers (started lazily, once per
run), data-setup helpers and ``compare()``, the interleaved A/B measurement."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from bench import database, servers
from bench.load import Target, WrkResult, ensure_wrk, run_wrk
from bench.procs import Reaper
from bench.stats import summary

ROOT = servers.ROOT
VENV_BIN = Path(sys.executable).parent


def _env_num(name: str, default, kind=float):
    value = os.environ.get(name)
    return kind(value) if value not in (None, "") else default


@dataclass
class Settings:
    pairs: int = field(default_factory=lambda: _env_num("BENCH_PAIRS", 5, int))
    duration: float = field(default_factory=lambda: _env_num("BENCH_DURATION", 3.0))
    warmup: float = field(default_factory=lambda: _env_num("BENCH_WARMUP", 3.0))
    connections: int = field(default_factory=lambda: _env_num("BENCH_CONNECTIONS", 16, int))
    wrk_threads: int = field(default_factory=lambda: _env_num("BENCH_WRK_THREADS", 1, int))
    web_concurrency: int = field(default_factory=lambda: _env_num("BENCH_WEB_CONCURRENCY", 1, int))
    pin: bool = field(default_factory=lambda: os.environ.get("BENCH_PIN", "1") != "0")
    postgres_url: str = field(default_factory=lambda: os.environ.get(
        "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/"))
    db_name: str = field(default_factory=lambda: os.environ.get("BENCH_DB", "ngm_bench"))
    keep_db: bool = field(default_factory=lambda: os.environ.get("BENCH_KEEP_DB") == "1")
    redis_url: str | None = field(default_factory=lambda: os.environ.get("BENCH_REDIS_URL") or None)


THROUGHPUT, LATENCY = "throughput", "latency"


@dataclass
class Comparison:
    """Result of ``ctx.compare``. ``metric`` "throughput": ratio per pair =
    req/s(a) / req/s(b), higher is better, goal is a minimum. "latency": ratio per pair =
    p50(a) / p50(b), lower is better, goal is a maximum."""
    label: str
    a: Target
    b: Target
    goal: float | None
    a_runs: list[WrkResult]
    b_runs: list[WrkResult]
    metric: str = THROUGHPUT
    connections: int | None = None
    notes: list[str] = field(default_factory=list)  # extra lines printed under the result

    @property
    def ratios(self) -> list[float]:
        if self.metric == LATENCY:
            return [x.p50_ms / y.p50_ms for x, y in zip(self.a_runs, self.b_runs)]
        return [x.rps / y.rps for x, y in zip(self.a_runs, self.b_runs)]

    @property
    def stats(self) -> dict:
        return summary(self.ratios)

    @property
    def meets_goal(self) -> bool | None:
        if self.goal is None:
            return None
        median = self.stats["median"]
        return median <= self.goal if self.metric == LATENCY else median >= self.goal


class Context:
    def __init__(self, settings: Settings, out=print):
        self.settings = settings
        self.out = out
        self.reaper = Reaper()
        self.workdir = Path(tempfile.mkdtemp(prefix="ngm-bench-"))
        self._app: servers.Server | None = None
        self._bare: servers.Server | None = None
        self._db_created = False
        self.web_command = servers.procfile_command("web")
        cpus = sorted(os.sched_getaffinity(0))
        if settings.pin and len(cpus) >= 2 and shutil.which("taskset"):
            self.server_cpus, self.load_cpus = str(cpus[0]), str(cpus[1])
        else:
            self.server_cpus = self.load_cpus = None
        self.secret_key = secrets.token_hex(32)
        self._shared: dict = {}

    # -- description ------------------------------------------------------------------------
    def describe(self) -> list[str]:
        s = self.settings
        pin = (f"servers on CPU {self.server_cpus} (taskset -c {self.server_cpus}), "
               f"wrk on CPU {self.load_cpus} (taskset -c {self.load_cpus})"
               if self.server_cpus is not None else "none")
        threads = os.environ.get("WEB_THREADS") or "unset (Procfile default)"
        return [
            f"web command (Procfile): {self.web_command}",
            f"  WEB_CONCURRENCY={s.web_concurrency}  WEB_THREADS={threads}  "
            f"bare baseline: same line with {servers.APP_TARGET} -> {servers.BARE_TARGET}",
            f"pinning: {pin}  (machine CPUs: {os.cpu_count()})",
            f"load: wrk -t{s.wrk_threads} -c{s.connections}; warm-up {s.warmup:g}s per server "
            f"(discarded), then {s.pairs} interleaved A/B pairs of {s.duration:g}s",
            f"app env: APP_ENV=production, DATABASE_URL={self.database_url}, "
            f"REDIS_URL={s.redis_url or 'unset (jobs inline, in-memory cache/limits)'}, "
            f"RATELIMIT_ENABLED=0, STAFF_MFA_REQUIRED=1, JWT_ACCESS_TTL_SECONDS=86400, "
            f"SECRET_KEY=<random>",
            f"logs: {self.workdir}",
        ]

    # -- environment ------------------------------------------------------------------------
    @property
    def database_url(self) -> str:
        return database.database_url(self.settings.postgres_url, self.settings.db_name)

    def base_env(self) -> dict:
        env = {k: v for k, v in os.environ.items()
               if k not in {"DATABASE_URL", "REDIS_URL", "PORT", "FLASK_APP"}}
        env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
        env["WEB_CONCURRENCY"] = str(self.settings.web_concurrency)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    def app_env(self, **extra) -> dict:
        env = self.base_env()
        env.update({
            "APP_ENV": "production",
            "SECRET_KEY": self.secret_key,
            "PUBLIC_BASE_URL": "http://127.0.0.1",
            "DATABASE_URL": self.database_url,
            "INSTANCE_PATH": str(self.workdir / "instance"),
            "RATELIMIT_ENABLED": "0",
            "STAFF_MFA_REQUIRED": "1",
            "JWT_ACCESS_TTL_SECONDS": "86400",
        })
        if self.settings.redis_url:
            env["REDIS_URL"] = self.settings.redis_url
        env.update({k: str(v) for k, v in extra.items()})
        return env

    # -- servers (shared by all benchmarks of a run) -----------------------------------------
    def prepare_database(self) -> None:
        if self._db_created:
            return
        database.recreate(self.settings.postgres_url, self.settings.db_name)
        self._db_created = True
        self.flask("db", "upgrade")

    def flask(self, *args, timeout: float = 300) -> str:
        """Run ``flask --app wsgi ...`` with the app's environment; returns stdout."""
        proc = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                              env=self.app_env(), capture_output=True, text=True,
                              timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
        return proc.stdout

    def app_server(self) -> servers.Server:
        if self._app is None:
            self.prepare_database()
            self._app = servers.start(self.reaper, "app", self.web_command, self.app_env(),
                                      self.workdir, cpus=self.server_cpus, ready_path="/healthz")
        return self._app

    def bare_server(self) -> servers.Server:
        if self._bare is None:
            self._bare = servers.start(self.reaper, "bare", servers.bare_command(self.web_command),
                                       self.base_env(), self.workdir, cpus=self.server_cpus,
                                       ready_path="/")
        return self._bare

    def bare_target(self) -> Target:
        return Target("bare Flask GET /", self.bare_server().url("/"))

    # -- data setup -----------------------------------------------------------------------------
    def register_user(self, password: str = "violet harbour kettle staple") -> dict:
        """A fresh end user through the API; returns email, password, tokens and the user."""
        app = self.app_server()
        email = f"bench-{uuid.uuid4().hex[:12]}@example.com"
        status, answer = servers.http_post(app.url("/api/v1/auth/register"),
                                           {"email": email, "password": password,
                                            "full_name": "Bench User"})
        if status != 202:  # the same answer for a new and a taken email (#13)
            raise RuntimeError(f"register answered {status}: {answer}")
        status, tokens = servers.http_post(app.url("/api/v1/auth/login"),
                                           {"email": email, "password": password})
        if status != 200:
            raise RuntimeError(f"login answered {status}: {tokens}")
        status, user = servers.http_get(app.url("/api/v1/users/me"), headers={
            "Authorization": f"Bearer {tokens['access_token']}"})
        if status != 200:
            raise RuntimeError(f"users/me answered {status}: {user}")
        return {"email": email, "password": password, "user": user, **tokens}

    def in_app(self, func: str, **kwargs):
        """Call ``package.module:function(**kwargs)`` inside an app context in a separate
        process with the app's environment (for bulk seeding through app services); the
        function's JSON-serialisable return value comes back."""
        self.prepare_database()
        proc = subprocess.run([sys.executable, "-m", "bench.inapp", func, json.dumps(kwargs)],
                              cwd=ROOT, env=self.app_env(), capture_output=True, text=True,
                              timeout=600)
        if proc.returncode != 0:
            raise RuntimeError(f"in_app {func} failed:\n{proc.stderr}")
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def shared(self, name: str, build):
        """``build()`` once per run, memoised under ``name``: a data set several benchmarks
        use (seeded once, whichever of them runs first)."""
        if name not in self._shared:
            self._shared[name] = build()
        return self._shared[name]

    # -- measuring ------------------------------------------------------------------------------
    def check(self, target: Target) -> None:
        """One plain request before loading: the target must answer 2xx (304 when it
        revalidates with If-None-Match)."""
        if target.lua:
            return
        status, body = servers.http_get(target.url, headers=target.headers)
        revalidates = "If-None-Match" in target.headers
        if not (status == 304 if revalidates else 200 <= status < 300):
            raise RuntimeError(f"{target.label}: {target.url} answered {status}: {body}")

    def measure(self, target: Target, duration: float,
                connections: int | None = None) -> WrkResult:
        connections = connections or self.settings.connections
        result = run_wrk(target, duration, connections,
                         threads=min(self.settings.wrk_threads, connections), cpus=self.load_cpus)
        if not result.ok:
            raise RuntimeError(
                f"{target.label}: {result.non_2xx} non-2xx responses, socket errors "
                f"{result.socket_errors}; refusing to report a ratio\n{result.raw}")
        return result

    def compare(self, a: Target, b: Target | None = None, *, goal: float | None = None,
                label: str = "", metric: str = THROUGHPUT,
                connections: int | None = None) -> Comparison:
        """Warm both up (discarded), then ``pairs`` interleaved runs, alternating which goes
        first (ABBA...) so slow drift of the machine does not favour one side.
        ``metric=LATENCY`` compares p50 latencies (use ``connections=1`` for service time
        without queueing); ``connections`` overrides the run's wrk -c for this comparison."""
        b = b or self.bare_target()
        ensure_wrk()
        for t in (a, b):
            self.check(t)
        for t in (a, b):
            self.measure(t, self.settings.warmup, connections)
        cmp = Comparison(label or a.label, a, b, goal, [], [], metric=metric,
                         connections=connections or self.settings.connections)
        for i in range(self.settings.pairs):
            order = (a, b) if i % 2 == 0 else (b, a)
            got = {id(t): self.measure(t, self.settings.duration, connections) for t in order}
            x, y = got[id(a)], got[id(b)]
            cmp.a_runs.append(x)
            cmp.b_runs.append(y)
            if metric == LATENCY:
                self.out(f"    pair {i + 1}/{self.settings.pairs}: p50 {x.p50_ms:8.2f} / "
                         f"{y.p50_ms:8.2f} ms = {cmp.ratios[-1]:.3f}")
            else:
                self.out(f"    pair {i + 1}/{self.settings.pairs}: {x.rps:9.1f} / "
                         f"{y.rps:9.1f} req/s = {cmp.ratios[-1]:.3f}")
        return cmp

    # -- teardown -------------------------------------------------------------------------------
    def close(self) -> None:
        try:
            self.reaper.stop_all()
        finally:
            if self._db_created and not self.settings.keep_db:
                try:
                    database.drop(self.settings.postgres_url, self.settings.db_name)
                except Exception as exc:  # noqa: BLE001 - teardown reports, never masks
                    self.out(f"(could not drop database {self.settings.db_name}: {exc})")
