"""Start web servers exactly as the Procfile's ``web:`` line does, on a free local port."""
from __future__ import annotations

import json
import socket
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.procs import Reaper, wait_until

ROOT = Path(__file__).resolve().parent.parent
APP_TARGET = "wsgi:app"
BARE_TARGET = "bench.bare_app:app"


def procfile_command(kind: str = "web", procfile: Path = ROOT / "Procfile") -> str:
    for line in procfile.read_text().splitlines():
        name, sep, cmd = line.partition(":")
        if sep and name.strip() == kind:
            return cmd.strip()
    raise RuntimeError(f"no '{kind}:' line in {procfile}")


def bare_command(web_cmd: str) -> str:
    """The same command line serving the bare Flask app instead of ``wsgi:app``."""
    if web_cmd.split().count(APP_TARGET) != 1:
        raise RuntimeError(f"expected exactly one '{APP_TARGET}' in the web command: {web_cmd}")
    return " ".join(BARE_TARGET if tok == APP_TARGET else tok for tok in web_cmd.split(" "))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    name: str
    command: str
    port: int
    log_path: Path
    proc: object = None
    env: dict = field(default_factory=dict, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start(reaper: Reaper, name: str, command: str, env: dict, log_dir: Path,
          cpus: str | None = None, ready_path: str = "/", ready_timeout: float = 60) -> Server:
    """Run ``command`` through bash (as a Procfile runner does) with PORT set to a free port,
    optionally pinned with ``taskset -c cpus``; wait until ``ready_path`` answers 2xx."""
    port = free_port()
    # Gunicorn >= 23 opens a control socket at $XDG_RUNTIME_DIR/gunicorn.ctl (else
    # ~/.gunicorn/): give each server its own directory so two bench servers (or a
    # developer's gunicorn) never share one. The command line itself stays untouched.
    runtime_dir = log_dir / f"{name}-run"
    runtime_dir.mkdir(mode=0o700, exist_ok=True)
    env = {**env, "PORT": str(port), "XDG_RUNTIME_DIR": str(runtime_dir)}
    log_path = log_dir / f"{name}.log"
    args = ["bash", "-c", command]
    if cpus is not None:
        args = ["taskset", "-c", cpus] + args
    log = open(log_path, "wb")
    try:
        proc = reaper.popen(name, args, cwd=str(ROOT), env=env, stdin=subprocess.DEVNULL,
                            stdout=log, stderr=log)
    finally:
        log.close()  # the child holds its own descriptor
    server = Server(name=name, command=command, port=port, log_path=log_path, proc=proc, env=env)

    def ready():
        if proc.poll() is not None:
            raise RuntimeError(f"{name} server exited with {proc.returncode}:\n"
                               f"{server.log_tail()}")
        status, _ = http_get(server.url(ready_path), timeout=2)
        return 200 <= status < 300

    try:
        wait_until(ready, timeout=ready_timeout, what=f"{name} on port {port}")
    except RuntimeError:
        raise
    except TimeoutError as exc:
        raise RuntimeError(f"{exc}\n--- {log_path} ---\n{server.log_tail()}") from None
    return server


# -- tiny JSON HTTP client (stdlib only), for readiness checks and data setup ---------------

def http_request(method: str, url: str, body=None, headers: dict | None = None,
                 timeout: float = 30) -> tuple[int, object]:
    data = None
    headers = dict(headers or {})
    if body is not None:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    headers.setdefault("Accept", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, _decode(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, _decode(err.read())


def http_get(url: str, headers: dict | None = None, timeout: float = 30):
    return http_request("GET", url, headers=headers, timeout=timeout)


def http_post(url: str, body, headers: dict | None = None, timeout: float = 60):
    return http_request("POST", url, body=body, headers=headers, timeout=timeout)


def _decode(raw: bytes):
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")
