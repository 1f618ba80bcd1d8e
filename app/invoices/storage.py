"""Where invoice PDFs and exports are kept: one small interface, chosen by configuration.

Keys are relative, slash-separated names such as ``INV/INV-2026-000123.pdf`` or
``exports/<uuid>.zip``; callers store the key (e.g. in ``Invoice.pdf_path``), never a
filesystem path, so the backend can change without touching rows.

The interface (``Storage``) is what an object-store backend implements later:

- ``save(key, data) -> key``: write the whole object; readers see the old object or the new
  one, never a partial one (local: temp file + rename; S3: a single PUT is atomic).
- ``save_file(key, stream) -> key``: the same from a binary file object, copied in chunks
  (constant memory; S3: ``upload_fileobj`` / multipart upload).
- ``open(key) -> binary file object``: read (and stream) the object; use it as a context
  manager. Raises ``NotFound`` (S3: map ``NoSuchKey``/404).
- ``exists(key) -> bool``; ``delete(key)``: idempotent, a missing key is not an error.

Only the local backend exists: boto3 is not a dependency, and a stub that pretends to store
would lose invoices. To add one, subclass ``Storage`` and register a factory in ``BACKENDS``
(``INVOICE_STORAGE_BACKEND=s3`` then picks it).
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import BinaryIO, Callable

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_CHUNK = 1024 * 1024


class StorageError(RuntimeError):
    """A storage operation failed or a key is not acceptable."""


class NotFound(StorageError, FileNotFoundError):
    """No object under this key."""


def check_key(key: str) -> str:
    """Keys are relative names of safe characters: no '..', no leading '/' or '.', no '\\'."""
    if not isinstance(key, str) or len(key) > 300 or not _KEY.match(key) \
            or any(part in {".", ".."} or part.startswith(".") for part in key.split("/")):
        raise StorageError(f"Invalid storage key: {key!r}")
    return key


class Storage(ABC):
    @abstractmethod
    def save(self, key: str, data: bytes) -> str: ...

    @abstractmethod
    def save_file(self, key: str, stream: BinaryIO) -> str: ...

    @abstractmethod
    def open(self, key: str) -> BinaryIO: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def delete(self, key: str) -> None: ...

    @contextlib.contextmanager
    def writer(self, key: str):
        """A binary file to write ``key`` into incrementally; stored when the block ends
        without error. The default spools to a temp file then ``save_file``s it; backends
        that can write in place override it (no second copy)."""
        with tempfile.TemporaryFile() as spool:
            yield spool
            spool.seek(0)
            self.save_file(key, spool)


class LocalStorage(Storage):
    """Files under one directory. Writes go to a temp file in the target directory, are
    fsynced, then renamed over the target (atomic on POSIX and Windows), so a crash or a
    concurrent reader never sees half a PDF. Files are created owner-readable only."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if self.root not in path.parents:
            raise StorageError(f"Invalid storage key: {key!r}")
        return path

    def save(self, key: str, data: bytes) -> str:
        return self._write(key, lambda handle: handle.write(data))

    def save_file(self, key: str, stream: BinaryIO) -> str:
        return self._write(key, lambda handle: shutil.copyfileobj(stream, handle, _CHUNK))

    def _write(self, key: str, write: Callable[[BinaryIO], object]) -> str:
        with self.writer(key) as handle:
            write(handle)
        return key

    @contextlib.contextmanager
    def writer(self, key: str):
        """Written in place: a temp file beside the target, renamed over it at the end."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "w+b") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        _fsync_dir(target.parent)

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self.path(key), "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise NotFound(key) from None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(key))

    def __repr__(self) -> str:
        return f"LocalStorage({str(self.root)!r})"


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _local(config) -> Storage:
    directory = config.get("INVOICE_STORAGE_DIR") or os.path.join(
        config.get("INSTANCE_PATH") or "instance", "invoices")
    return LocalStorage(directory)


# Backend name -> factory(config). An object-store backend registers itself here.
BACKENDS: dict[str, Callable[[dict], Storage]] = {"local": _local}


def get_storage(app) -> Storage:
    """The configured storage of ``app`` (INVOICE_STORAGE_BACKEND, default "local"), built
    once per app and kept in ``app.extensions``."""
    storage = app.extensions.get("invoice_storage")
    if storage is None:
        name = (app.config.get("INVOICE_STORAGE_BACKEND") or "local").lower()
        if name not in BACKENDS:
            raise StorageError(f"Unknown INVOICE_STORAGE_BACKEND {name!r}; "
                               f"available: {', '.join(sorted(BACKENDS))}")
        storage = app.extensions["invoice_storage"] = BACKENDS[name](app.config)
    return storage
