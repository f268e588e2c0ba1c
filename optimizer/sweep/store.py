"""A sweep's output folder: an exclusive lock, and every finished scenario in SQLite.

Only the parent process writes. Each batch of finished scenarios is one
transaction in a WAL-mode database, so a crash or ``kill -9`` loses at most the
scenarios still in flight, and a re-run finds what is done by scenario id.
The lock is an ``flock`` on a file in the folder: the operating system
releases it when the process dies, however it dies.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError, Problem

DATABASE = "sweep.sqlite"
LOCK = ".sweep.lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outcomes (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    record TEXT NOT NULL,
    finished_at REAL NOT NULL
)
"""


class FolderBusy(Exception):
    """Another sweep holds the output folder."""


class SweepFolder:
    """The output folder of a running sweep; use it as a context manager to hold its lock."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock: int | None = None
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> SweepFolder:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise InputError(
                [Problem(str(self.path), None, "--out", f"cannot be written: {err.strerror or err}")]
            ) from None
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self._lock, 64, 0).decode(errors="replace").strip()
            os.close(self._lock)
            self._lock = None
            raise FolderBusy(
                f"another sweep{f' (process {holder})' if holder else ''} is writing to {self.path}; wait for it or use --out"
            ) from None
        os.ftruncate(self._lock, 0)
        os.pwrite(self._lock, str(os.getpid()).encode(), 0)
        try:
            self.db = sqlite3.connect(self.path / DATABASE, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(_SCHEMA)
        except sqlite3.DatabaseError as err:
            self.__exit__()
            raise InputError(
                [
                    Problem(
                        str(self.path / DATABASE),
                        None,
                        "--out",
                        f"is not a sweep's database ({err}); choose another --out, or delete the folder to start again",
                    )
                ]
            ) from None
        return self

    def __exit__(self, *exc) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
        if self._lock is not None:
            os.ftruncate(self._lock, 0)
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            os.close(self._lock)
            self._lock = None

    def done_ids(self) -> set[str]:
        """Ids of every scenario recorded in the folder, whatever spec it came from, but those that
        ended in error: a re-run tries them again (a worker that died, a solver failure)."""
        return {row[0] for row in self.db.execute("SELECT id FROM outcomes WHERE status != 'error'")}

    def record(self, records: Iterable[dict]) -> None:
        """Persist finished scenarios in one transaction."""
        now = time.time()
        rows = [(r["id"], r["status"], json.dumps(r), now) for r in records]
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO outcomes (id, status, record, finished_at) VALUES (?, ?, ?, ?)", rows
            )

    def records(self, ids: Iterable[str]) -> dict[str, dict]:
        """The records of the scenarios in ``ids`` that are done."""
        wanted = set(ids)
        return {
            row[0]: json.loads(row[1]) for row in self.db.execute("SELECT id, record FROM outcomes") if row[0] in wanted
        }
