"""Pausing Python's cycle collector around work that makes many short-lived objects. Pure: no Django.

Counting a Recovery Fund election or building a front-door pathway makes thousands to millions of
small objects (tuples, rows, facts) that live briefly and form no reference cycles, so reference
counting frees them all. Left running, the cycle collector keeps scanning them and now and then pays
for a full collection of the whole process (tens of milliseconds on a web worker).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Switch the cycle collector off for the block, and back on afterwards (even after an error)
    only if it was on before."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
