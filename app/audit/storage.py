"""Where audit archives are kept: a local directory (default) or Azure Blob Storage."""
from __future__ import annotations

import os
import re
from pathlib import Path

from flask import current_app

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")


class ArchiveNotFound(LookupError):
    pass


def _checked(name: str) -> str:
    # Names come from the CLI too: never a path out of the directory or container.
    if not _NAME.fullmatch(name) or ".." in name:
        raise ValueError(f"not an archive name: {name!r}")
    return name


class LocalDirectory:
    def __init__(self, path: str):
        self.path = Path(path)

    def put(self, name: str, data: bytes) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        tmp = self.path / f".{_checked(name)}.part"
        tmp.write_bytes(data)
        os.replace(tmp, self.path / name)  # never a half-written archive under its name

    def get(self, name: str) -> bytes:
        try:
            return (self.path / _checked(name)).read_bytes()
        except FileNotFoundError:
            raise ArchiveNotFound(name) from None

    def names(self) -> list[str]:
        if not self.path.is_dir():
            return []
        return sorted(p.name for p in self.path.iterdir() if not p.name.startswith("."))


class AzureBlobContainer:
    def __init__(self, connection_string: str, container: str):
        from azure.storage.blob import BlobServiceClient

        service = BlobServiceClient.from_connection_string(connection_string)
        self.container = service.get_container_client(container)

    def _ensure_container(self):
        from azure.core.exceptions import ResourceExistsError

        try:
            self.container.create_container()
        except ResourceExistsError:
            pass

    def put(self, name: str, data: bytes) -> None:
        self._ensure_container()
        self.container.upload_blob(_checked(name), data, overwrite=True)

    def get(self, name: str) -> bytes:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return self.container.download_blob(_checked(name)).readall()
        except ResourceNotFoundError:
            raise ArchiveNotFound(name) from None

    def names(self) -> list[str]:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return sorted(b.name for b in self.container.list_blobs())
        except ResourceNotFoundError:
            return []


def archive_storage():
    config = current_app.config
    kind = config["AUDIT_ARCHIVE_STORAGE"]
    if kind == "azure":
        if not config["AZURE_STORAGE_CONNECTION_STRING"]:
            raise RuntimeError("AUDIT_ARCHIVE_STORAGE=azure needs AZURE_STORAGE_CONNECTION_STRING")
        return AzureBlobContainer(config["AZURE_STORAGE_CONNECTION_STRING"],
                                  config["AUDIT_ARCHIVE_CONTAINER"])
    if kind == "local":
        return LocalDirectory(config["AUDIT_ARCHIVE_DIR"])
    raise RuntimeError(f"AUDIT_ARCHIVE_STORAGE must be local or azure, not {kind!r}")
