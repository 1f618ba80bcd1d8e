"""Child processes the bench starts: each in its own process group, all stopped at the end.

Every process is registered with a ``Reaper``; ``Reaper.stop_all()`` (called from a
``finally`` in bench.run) sends SIGTERM to each process group, waits a bounded time and
then SIGKILLs what is left. On Linux children also get PR_SET_PDEATHSIG, so they receive
SIGTERM even if this Python process is killed without running its ``finally``.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import time

_PR_SET_PDEATHSIG = 1


def _child_setup():  # runs in the child between fork and exec
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


class Reaper:
    def __init__(self):
        self._procs: list[tuple[str, subprocess.Popen]] = []

    def popen(self, name: str, args, **kwargs) -> subprocess.Popen:
        kwargs.setdefault("start_new_session", True)  # own session = own process group
        kwargs.setdefault("preexec_fn", _child_setup)
        proc = subprocess.Popen(args, **kwargs)
        self._procs.append((name, proc))
        return proc

    def stop(self, proc: subprocess.Popen, timeout: float = 10.0) -> None:
        if proc.poll() is None:
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        # The leader may be gone while workers of its group linger: always finish the group.
        _signal_group(proc, signal.SIGKILL)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self._procs = [(n, p) for n, p in self._procs if p is not proc]

    def stop_all(self) -> None:
        for _name, proc in list(reversed(self._procs)):
            self.stop(proc)


def _signal_group(proc: subprocess.Popen, sig) -> None:
    try:
        os.killpg(proc.pid, sig)  # pgid == pid because of start_new_session
    except (ProcessLookupError, PermissionError):
        pass


def wait_until(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Poll ``predicate`` until it returns a truthy value; bounded by ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - keep polling, report the last one
            last_exc = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}"
                       + (f" (last error: {last_exc!r})" if last_exc else ""))
