"""Deterministic gzip files, deflated on a background thread.

Every ``.gz`` file the generator writes has the bytes ``gzip.GzipFile(filename="", mtime=0,
compresslevel=9)`` gives (header without a name, mtime 0, XFL 2 = best, OS 255; raw deflate at
level 9; CRC-32 and size trailer). Deflating is a third of the generator's CPU at scale (GA4's
daily tables are ~80 KiB of JSON per person and year), and zlib releases the GIL while it deflates
or computes a CRC, so the writers hand the encoded text to one background thread in chunks
(``Deflater``) and go on simulating: on two cores the deflate runs beside the simulation.

Determinism: one thread executes every task in submission order, so each file receives its
chunks in order, and deflate's output with ``Z_NO_FLUSH`` does not depend on how its input is
cut into chunks; the file bytes are the same as a single-threaded write (tested against
``gzip.GzipFile``). Memory is bounded: at most ``MAX_PENDING`` chunks wait for the thread.

``drain()`` waits until every submitted file is written (the pipeline calls it before it
returns); a write error raises there, or in the next ``submit`` after it happened.
"""

from __future__ import annotations

import codecs
import struct
import threading
import zlib
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

LEVEL = 9
CHUNK_CHARS = 1 << 20  # text buffered per file before it is encoded and handed to the thread
MAX_PENDING = 16  # chunks waiting for the thread at most (about 16 MiB of text)
# what gzip.GzipFile(filename="", mtime=0, compresslevel=9) writes before the deflate stream
_HEADER = b"\x1f\x8b\x08\x00" + struct.pack("<L", 0) + b"\x02\xff"


class Deflater:
    """One background thread running deflate tasks in submission order (bounded queue)."""

    def __init__(self, threaded: bool = True) -> None:
        self.threaded = threaded
        self._pool: ThreadPoolExecutor | None = None
        self._pending: deque[Future] = deque()
        self._lock = threading.Lock()

    def submit(self, task: Callable[[], None]) -> None:
        if not self.threaded:
            task()
            return
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crm-seeds-gzip")
            while len(self._pending) >= MAX_PENDING:
                self._pending.popleft().result()
            while self._pending and self._pending[0].done():
                self._pending.popleft().result()
            self._pending.append(self._pool.submit(task))

    def drain(self) -> None:
        """Wait for every submitted task; re-raise the first error."""
        with self._lock:
            try:
                while self._pending:
                    self._pending.popleft().result()
            finally:
                self._pending.clear()


DEFLATER = Deflater()


def drain() -> None:
    DEFLATER.drain()


def set_threaded(threaded: bool) -> None:
    """Deflate on the calling thread (``False``) or on the background thread (the default)."""
    DEFLATER.drain()
    DEFLATER.threaded = threaded


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
        self._raw.write(_HEADER)
        self._z = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, zlib.DEF_MEM_LEVEL, 0)
        self._crc = 0
        self._size = 0
        self._sync_flush = sync_flush
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
            DEFLATER.submit(lambda: self._deflate(data))

    def _flush_text(self) -> None:
        if self._buf:
            data = self._encode("".join(self._buf))
            self._buf = []
            self._chars = 0
            if data:
                DEFLATER.submit(lambda: self._deflate(data))

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
        DEFLATER.submit(self._finish)


def write_gzip(path: Path, data: bytes) -> None:
    """A whole gzip file from bytes (what ``gzip.compress(data, 9, mtime=0)`` gives), deflated in the background."""
    sink = GzipSink(path, sync_flush=False)
    sink.write_bytes(data)
    sink.close()
