"""The load generator: wrk (Debian package), installed on demand, optionally CPU-pinned."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path:
        return path
    print("wrk not found: installing the Debian package (apt-get install -y wrk)", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = sudo + ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(cmd, env=env, timeout=600).returncode != 0:
        subprocess.run(sudo + ["apt-get", "update", "-q"], env=env, timeout=600, check=True)
        subprocess.run(cmd, env=env, timeout=600, check=True)
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is still missing after apt-get install")
    return path


@dataclass
class Target:
    """One URL under load: what wrk requests, plus optional headers or a Lua script."""
    label: str
    url: str
    headers: dict = field(default_factory=dict)
    lua: str | None = None  # wrk Lua script text (e.g. for POST bodies or varying paths)


@dataclass
class WrkResult:
    rps: float
    requests: int
    p50_ms: float | None
    p99_ms: float | None
    non_2xx: int
    socket_errors: str | None
    raw: str

    @property
    def ok(self) -> bool:
        return self.non_2xx == 0 and self.socket_errors is None and self.requests > 0


def _seconds(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not m:
        raise ValueError(f"unparsable wrk duration {value!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse(output: str) -> WrkResult:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sockerr = re.search(r"Socket errors:(.*)", output)
    if not rps or not total:
        raise RuntimeError(f"could not parse wrk output:\n{output}")
    return WrkResult(
        rps=float(rps.group(1)), requests=int(total.group(1)),
        p50_ms=_seconds(p50.group(1)) * 1000 if p50 else None,
        p99_ms=_seconds(p99.group(1)) * 1000 if p99 else None,
        non_2xx=int(non2xx.group(1)) if non2xx else 0,
        socket_errors=sockerr.group(1).strip() if sockerr else None,
        raw=output,
    )


def run_wrk(target: Target, duration: float, connections: int, threads: int = 1,
            cpus: str | None = None, timeout_s: float = 10) -> WrkResult:
    args = [ensure_wrk(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s",
            f"--timeout={timeout_s:g}s", "--latency"]
    for name, value in target.headers.items():
        args += ["-H", f"{name}: {value}"]
    script = None
    try:
        if target.lua:
            script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
            script.write(target.lua)
            script.close()
            args += ["-s", script.name]
        args.append(target.url)
        if cpus is not None:
            args = ["taskset", "-c", cpus] + args
        proc = subprocess.run(args, capture_output=True, text=True,
                              timeout=duration + timeout_s + 30)
    finally:
        if script is not None:
            os.unlink(script.name)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    return parse(proc.stdout)
