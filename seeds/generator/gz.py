"""Deterministic gzip files, deflated on background threads.

The generator's ``.gz`` files (every CSV / NDJSON writer and the API pages; WordPress and Eventbrite
pages, small, still use ``gzip.compress``) have the bytes ``gzip.GzipFile(filename="", mtime=0,
compresslevel=9)`` gives (header without a name, mtime 0, XFL 2 = best, OS 255; raw deflate at
level 9; CRC-32 and size trailer). Deflating is a third of the generator's CPU at scale (GA4's
daily tables are ~80 KiB of JSON per person and year), and zlib releases the GIL while it deflates
or computes a CRC, so the writers hand the encoded text in chunks to background threads
(``Deflater``; one per core beside the simulating one, ``CRM_SEEDS_GZIP_THREADS`` to choose, 0 = deflate
inline) and go on simulating: on two cores the deflate runs beside the simulation.

Determinism: each file is bound to one thread, which runs that file's tasks in submission order,
and deflate's output with ``Z_NO_FLUSH`` does not depend on how its input is cut into chunks; so a
file's bytes are those of a single-threaded ``GzipFile`` write, whatever the number of threads
(tested). Memory is bounded: at most ``MAX_PENDING`` chunks wait for the threads.

``drain()`` waits until every submitted file is written (the pipeline calls it before it
returns); a write error raises there, or in a later ``submit``.
"""

from __future__ import annotations

import codecs
import os
import struct
import threading
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

LEVEL = 9  # gzip level of every file; ``set_level`` changes it (the .gz bytes, never their content)
CHUNK_CHARS = 1 << 20  # text buffered per file before it is encoded and handed to the thread
MAX_PENDING = 16  # chunks waiting for the thread at most (about 16 MiB of text)


def _header(level: int) -> bytes:
    """What gzip.GzipFile(filename="", mtime=0, compresslevel=level) writes before the deflate stream
    (XFL: 2 at level 9, 4 at level 1, else 0; OS 255)."""
    xfl = b"\x02" if level == 9 else (b"\x04" if level == 1 else b"\x00")
    return b"\x1f\x8b\x08\x00" + struct.pack("<L", 0) + xfl + b"\xff"


def set_level(level: int) -> None:
    """The gzip level of the files written from now on (1-9; the generator's default and the bundled set: 9).
    Another level gives other .gz bytes with the same decompressed content."""
    global LEVEL
    if not 1 <= level <= 9:
        raise ValueError("gzip level must be between 1 and 9")
    LEVEL = level


def default_threads() -> int:
    """Deflate threads: ``CRM_SEEDS_GZIP_THREADS``, else one per core beside the simulating one (at least 1)."""
    env = os.environ.get("CRM_SEEDS_GZIP_THREADS")
    if env:
        return max(0, int(env))
    return max(1, min(4, (os.cpu_count() or 2) - 1))


class Deflater:
    """Background threads running deflate tasks; each file is bound to one thread, which runs its
    tasks in submission order (so a file's bytes never depend on the number of threads). At most
    ``MAX_PENDING`` tasks wait; ``threads=0`` deflates on the calling thread."""

    def __init__(self, threads: int | None = None) -> None:
        self.threads = default_threads() if threads is None else threads
        self._pools: list[ThreadPoolExecutor] = []
        self._pending: deque[Future] = deque()
        self._lock = threading.Lock()
        self._files = 0

    def lane(self) -> int:
        """The thread of a new file (round robin)."""
        self._files += 1
        return self._files % max(self.threads, 1)

    def submit(self, lane: int, task: Callable[[], None]) -> None:
        if self.threads <= 0:
            task()
            return
        with self._lock:
            if not self._pools:
                self._pools = [
                    ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"crm-seeds-gzip-{i}")
                    for i in range(self.threads)
                ]
            while len(self._pending) >= MAX_PENDING:
                self._pending.popleft().result()
            while self._pending and self._pending[0].done():
                self._pending.popleft().result()
            self._pending.append(self._pools[lane % len(self._pools)].submit(task))

    def drain(self) -> None:
        """Wait for every submitted task; re-raise the first error."""
        with self._lock:
            try:
                while self._pending:
                    self._pending.popleft().result()
            finally:
                self._pending.clear()

    def configure(self, threads: int) -> None:
        """Change the number of threads (after the pending tasks are done)."""
        self.drain()
        with self._lock:
            for pool in self._pools:
                pool.shutdown(wait=True)
            self._pools = []
            self.threads = threads


# Inline (no thread) outside a generation: a writer used on its own (the export modules' tests, a
# script) finds its file complete on disk once it is closed. ``generate`` (pipeline.py) runs with
# ``default_threads()`` background threads and drains them before it returns.
DEFLATER = Deflater(threads=0)


def drain() -> None:
    DEFLATER.drain()


class GzipSink:
    """A gzip file written as text (``write(str)``, for ``csv.writer`` too) or bytes; closed by ``close``.

    ``sync_flush``: end the data with a ``Z_SYNC_FLUSH`` before the final block, as a ``GzipFile``
    behind an ``io.TextIOWrapper`` does (closing the wrapper flushes the GzipFile: an empty stored
    block, then an empty final block). The text writers were written that way; ``write_gzip`` (a
    ``GzipFile`` written once and closed) has none.
    """

    def __init__(self, path: Path, encoding: str = "utf-8", *, sync_flush: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._raw = open(path, "wb")  # noqa: SIM115  (closed by the last task, see close())
        self._raw.write(_header(LEVEL))
        self._z = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, zlib.DEF_MEM_LEVEL, 0)
        self._crc = 0
        self._size = 0
        self._sync_flush = sync_flush
        self._lane = DEFLATER.lane()
        self._buf: list[str] = []
        self._chars = 0
        self._encode = (
            (lambda s: s.encode("utf-8"))
            if codecs.lookup(encoding).name == "utf-8"
            else codecs.getincrementalencoder(encoding)().encode
        )

    def write(self, s: str) -> None:
        self._buf.append(s)
        self._chars += len(s)
        if self._chars >= CHUNK_CHARS:
            self._flush_text()

    def write_bytes(self, data: bytes) -> None:
        self._flush_text()
        if data:
            DEFLATER.submit(self._lane, lambda: self._deflate(data))

    def _flush_text(self) -> None:
        if self._buf:
            data = self._encode("".join(self._buf))
            self._buf = []
            self._chars = 0
            if data:
                DEFLATER.submit(self._lane, lambda: self._deflate(data))

    def _deflate(self, data: bytes) -> None:
        self._crc = zlib.crc32(data, self._crc)
        self._size += len(data)
        self._raw.write(self._z.compress(data))

    def _finish(self) -> None:
        try:
            if self._sync_flush:
                self._raw.write(self._z.flush(zlib.Z_SYNC_FLUSH))
            self._raw.write(self._z.flush())
            self._raw.write(struct.pack("<LL", self._crc, self._size & 0xFFFFFFFF))
        finally:
            self._raw.close()

    def close(self) -> None:
        self._flush_text()
        DEFLATER.submit(self._lane, self._finish)


def write_gzip(path: Path, data: bytes) -> None:
    """A whole gzip file from bytes (what ``gzip.compress(data, 9, mtime=0)`` gives), deflated in the background."""
    sink = GzipSink(path, sync_flush=False)
    sink.write_bytes(data)
    sink.close()
