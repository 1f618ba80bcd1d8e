"""A ZipFile whose central directory waits on disk, not in memory.

A ZIP ends with a directory of every entry, so ``zipfile`` keeps one ZipInfo per entry
(~350 bytes) until it closes: memory that grows with the archive. Here the entries are
pickled to a temp file as they are added and read back once, at close, so building an
archive of 100,000 PDFs costs what building one of 1,000 does. Write mode only.
"""
from __future__ import annotations

import pickle
import tempfile
import zipfile


class _SpooledEntries:
    """The list interface zipfile uses for ``filelist`` in write mode: append, len, iter."""

    def __init__(self):
        self._file = tempfile.TemporaryFile()
        self._count = 0

    def append(self, info: zipfile.ZipInfo) -> None:
        pickle.dump(info, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)
        self._file.seek(0, 2)

    def close(self) -> None:
        self._file.close()


class _Names(dict):
    """Entry names are not kept (they would grow too); callers guarantee uniqueness."""

    def __setitem__(self, key, value) -> None:
        pass


class SpooledZipFile(zipfile.ZipFile):
    def __init__(self, file, mode: str = "w", **kwargs):
        if mode != "w":
            raise ValueError("SpooledZipFile writes only")
        super().__init__(file, mode, **kwargs)
        self.filelist = _SpooledEntries()
        self.NameToInfo = _Names()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if isinstance(self.filelist, _SpooledEntries):
                self.filelist.close()
