"""Record ids that keep the records made together next to each other.

Every synced record gets a UUID where it is made, and the upper office keeps the
ids of all its communes in one index per table. Random (version 4) ids scatter a
package's rows over the whole of each index, so an import rewrote a page of it
for nearly every row it brought: the more communes the upper office held, the
more pages per import (its 100th full package wrote 8 times the pages of its
1st, issue 16). These ids are RFC 9562 version 8 (custom layout):

    48 bits  the batch: random, drawn once per run of the app
     4 bits  version (8)
    12 bits  counter, high part
     2 bits  variant (10)
    18 bits  counter, low part
    44 bits  random

Ids of one batch share their leading text and grow with the counter, so the rows
a run makes sit together in every index that starts with an id, here and at the
upper office; a package's new rows fill a few pages at its batches' ends. Two
runs draw the same batch once in 2**48; even then their ids differ unless the
same counter meets the same 44 random bits. Records made by an earlier version
keep their version 4 ids: both kinds are office-made (reference_units.py).
"""

from __future__ import annotations

import os
import secrets
import threading
from itertools import count
from typing import Callable

VERSION = 8
_COUNTER_BITS = 30
_LOW_BITS = 18


def layout(batch: int, counter: int, tail: int) -> str:
    """The id text for a batch (48 bits), a counter (30 bits) and random bits (44)."""
    n = (batch << 80 | VERSION << 76 | (counter >> _LOW_BITS) << 64 | 0b10 << 62
         | (counter & ((1 << _LOW_BITS) - 1)) << 44 | tail)
    h = f"{n:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class IdMaker:
    """Ids of one batch after another, from ``random_bits(n)``; a batch holds 2**30
    ids, then the next one starts. Thread-safe: ``next`` on a count is atomic
    under the GIL."""

    def __init__(self, random_bits: Callable[[int], int]) -> None:
        self._random_bits = random_bits
        self._lock = threading.Lock()
        self.new_batch()

    def new_batch(self) -> None:
        with self._lock:  # the batch and its counter are replaced as one
            self._batch = (self._random_bits(48), count())

    def after_fork(self) -> None:
        """In a forked child, which has one thread: a new lock (the parent's may
        have been held by a thread the child does not have) and a new batch."""
        self._lock = threading.Lock()
        self.new_batch()

    def __call__(self) -> str:
        batch, counter = self._batch
        n = next(counter)
        if n >> _COUNTER_BITS:
            self.new_batch()
            return self()
        return layout(batch, n, self._random_bits(44))


def short_id(record_id: str) -> str:
    """The few digits that tell a record apart where a list shows its id: the last
    eight, as ids made together share their first twelve."""
    return record_id[-8:]


new_id = IdMaker(secrets.randbits)
if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    # A forked child must not continue its parent's batch and counter.
    os.register_at_fork(after_in_child=new_id.after_fork)
