"""Bundle documents rendered in worker processes (``concurrent.futures.ProcessPoolExecutor``).

The archive takes its entries in order; ``Ahead`` keeps up to ``WINDOW`` documents submitted ahead of
the one the archive is writing, so the workers stay busy while at most ``WINDOW`` rendered documents
wait in memory (memory stays flat however long the bundle).  The contexts and template bytes are made
in this process (they read the database); a worker receives only plain data and runs
``rendering.render_prepared``.

Small bundles, ``NOMINATE_BUNDLE_WORKERS=0`` and any failure to start or use the processes render in
this process instead, the same bytes either way.  The pool starts its processes from a ``forkserver``
(never a fork of a request-serving process with its open connections) and is kept for the next bundle.
"""
from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from nominate import caching
from nominate.documents.rendering import render_prepared

#: fewer documents to render than this: rendering in this process is faster than handing them over
MIN_DOCUMENTS = 8
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def worker_count() -> int:
    """``NOMINATE_BUNDLE_WORKERS`` (0 = none), else one per CPU, at most 4."""
    value = os.environ.get("NOMINATE_BUNDLE_WORKERS")
    if value is not None and value.strip().isdigit():
        return int(value)
    return min(4, os.cpu_count() or 1)


def pool() -> ProcessPoolExecutor | None:
    """The process's pool of workers, started on first use; None when processes are unavailable."""
    global _pool, _pool_size
    size = worker_count()
    with _lock:
        if _pool is not None and _pool_size != size:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None
        if _pool is None and size > 0:
            try:
                ctx = multiprocessing.get_context("forkserver")
                ctx.set_forkserver_preload(["nominate.documents.rendering"])
                _pool, _pool_size = ProcessPoolExecutor(max_workers=size, mp_context=ctx), size
            except (OSError, ValueError, NotImplementedError, ImportError):
                _pool = None
        return _pool


def _discard() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


atexit.register(_discard)


class Ahead:
    """The results of a bundle's entries in order, the renderable ones (``prepare()``) done by workers."""

    def __init__(self, entries):
        self.entries = entries
        renderable = sum(1 for _, job in entries if hasattr(job, "prepare"))
        self.window = 2 * max(worker_count(), 1)
        self.pool = pool() if renderable >= MIN_DOCUMENTS else None
        self.futures: dict[int, Future] = {}
        self.keys: dict[int, str | None] = {}
        self.next = 0

    def _submit_until(self, stop: int) -> None:
        while self.pool is not None and self.next < min(stop, len(self.entries)):
            job = self.entries[self.next][1]
            if hasattr(job, "prepare"):
                form, ctx, data = job.prepare()
                key = caching.document_key(form, data, ctx)
                document = caching.cached_document(key)
                if document is None:
                    self.keys[self.next] = key
                else:  # rendered before from the same template and data
                    self.futures[self.next] = done = Future()
                    done.set_result(document)
                    self.next += 1
                    continue
                try:
                    self.futures[self.next] = self.pool.submit(render_prepared, form, ctx, data)
                except (BrokenProcessPool, RuntimeError):
                    self._fall_back()
                    return
            self.next += 1

    def _fall_back(self) -> None:
        """Workers gone (killed, out of memory): the rest renders here."""
        self.pool = None
        for future in self.futures.values():
            future.cancel()
        self.futures.clear()
        _discard()

    def result(self, index: int) -> bytes:
        self._submit_until(index + 1 + self.window)
        future = self.futures.pop(index, None)
        key = self.keys.pop(index, None)
        if future is not None:
            try:
                document = future.result()
                caching.keep_document(key, document)
                return document
            except BrokenProcessPool:
                self._fall_back()
        return self.entries[index][1]()

    def close(self) -> None:
        for future in self.futures.values():
            future.cancel()
        self.futures.clear()


def warm() -> int:
    """Start the pool's processes now (a server's first bundle otherwise pays their start); how many."""
    executor = pool()
    if executor is None:
        return 0
    return len({f.result() for f in [executor.submit(os.getpid) for _ in range(4 * worker_count())]})
