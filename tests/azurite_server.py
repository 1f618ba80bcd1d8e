"""Azurite (Microsoft's Azure Storage emulator, npm `azurite`, installed by `npm ci` in
tests/azurite) on a free port: the Blob Storage the audit archive tests talk to."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests import services

BIN = Path(__file__).parent / "azurite" / "node_modules" / ".bin" / "azurite-blob"
# Azurite's documented development account (public, the emulator's only account).
ACCOUNT = "devstoreaccount1"
KEY = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/"
       "KBHBeksoGMGw==")


def reason_missing() -> str | None:
    if not BIN.exists():
        return "Azurite not installed (make test runs npm ci in tests/azurite)"
    if shutil.which("node") is None:
        return "node not found for Azurite"
    return None


class Azurite:
    def __init__(self):
        from tests.conftest import free_port

        self.port = free_port()
        self.proc = None

    @property
    def connection_string(self) -> str:
        return (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={KEY};"
                f"BlobEndpoint=http://127.0.0.1:{self.port}/{ACCOUNT};")

    def start(self) -> "Azurite":
        self.proc = subprocess.Popen(
            [str(BIN), "--blobHost", "127.0.0.1", "--blobPort", str(self.port),
             "--inMemoryPersistence", "--skipApiVersionCheck",
             "--silent"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Azurite exited: {self.proc.stderr.read().decode()[-500:]}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("Azurite did not start within 30 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def need() -> None:
    services.need(reason_missing())
