"""The content hashes of the files a build has read, remembered by size, modification time and
inode, so that a rebuild does not read every unchanged file again to hash it.

The memory is a file beside the store (``STORE.files.tsv``: path, size, mtime in ns, inode,
SHA-256). It is only a cache: a build still compares each hash with the one the store keeps for
the document, so a lost or stale file costs time, never a wrong graph. A file rewritten with
the same size, time and inode (some copy tools keep all three) is the one case it misses:
``imsskg build --verify`` hashes every file.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> (folder / "a.txt").write_text("Texto.")
6
>>> hashes = FileHashes.beside(folder / "kg")
>>> hashes.sha256(folder / "a.txt")[:12], hashes.hashed
('e9a88509e311', 1)
>>> hashes.save()
>>> again = FileHashes.beside(folder / "kg")
>>> again.sha256(folder / "a.txt")[:12], again.hashed
('e9a88509e311', 0)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_Stat = tuple[int, int, int]


def _stat(path: Path) -> _Stat:
    st = path.stat()
    return st.st_size, st.st_mtime_ns, st.st_ino


class FileHashes:
    """SHA-256 of files, from the remembered ones where size, mtime and inode are unchanged."""

    def __init__(self, path: Path | None, known: dict[str, tuple[_Stat, str]], *, verify: bool = False) -> None:
        self.path = path
        self.known = known
        self.verify = verify
        self.seen: dict[str, tuple[_Stat, str]] = {}
        #: how many files this run hashed (here or in their reader)
        self.hashed = 0

    @classmethod
    def beside(cls, store: Path, *, verify: bool = False) -> FileHashes:
        """The hashes remembered beside the store folder ``store`` (none if there are none, or
        if the file cannot be read)."""
        path = store.with_name(store.name + ".files.tsv")
        known: dict[str, tuple[_Stat, str]] = {}
        try:
            with path.open(encoding="utf-8") as lines:
                for line in lines:
                    name, size, mtime, inode, sha = line.rstrip("\n").rsplit("\t", 4)
                    known[name] = ((int(size), int(mtime), int(inode)), sha)
        except (OSError, ValueError):
            known = {}
        return cls(path, known, verify=verify)

    def sha256(self, path: Path) -> str | None:
        """The SHA-256 of the file's bytes, or None if it cannot be read."""
        name = str(path.resolve())
        try:
            stat = _stat(path)
            kept = self.known.get(name)
            if kept and kept[0] == stat and not self.verify:
                self.seen[name] = kept
                return kept[1]
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None  # the reader says why
        self.hashed += 1
        self.seen[name] = (stat, sha)
        return sha

    def remember(self, path: Path, sha: str) -> None:
        """Remember ``sha`` for ``path`` as it is now (its reader hashed it)."""
        try:
            self.seen[str(path.resolve())] = (_stat(path), sha)
        except OSError:
            return
        self.hashed += 1

    def save(self) -> None:
        """Write what is known, this run's hashes over the earlier ones (all or nothing)."""
        if self.path is None or not self.hashed:
            return
        rows = {**self.known, **self.seen}
        partial = self.path.with_name(self.path.name + ".partial")
        with partial.open("w", encoding="utf-8") as out:
            for name, ((size, mtime, inode), sha) in sorted(rows.items()):
                if "\n" not in name:
                    out.write(f"{name}\t{size}\t{mtime}\t{inode}\t{sha}\n")
        os.replace(partial, self.path)
