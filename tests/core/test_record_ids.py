"""Record ids (db/ids.py): UUIDs whose rows made together sit together in every
index, so an import at the upper office writes pages for its own rows only, not
for the whole of an index that grows with every commune (issue 16)."""

from __future__ import annotations

import os
import random
import threading
import uuid
from itertools import count
from pathlib import Path

import pytest

from gocong_desktop.core.db.ids import IdMaker
from gocong_desktop.core.db.models import new_id
from gocong_desktop.core.db.reference_units import is_office_made_id, reference_unit_id
from tests import app_sqlite as sqlite3


def test_an_id_is_an_rfc_9562_version_8_uuid_in_canonical_text() -> None:
    made = new_id()
    parsed = uuid.UUID(made)
    assert (parsed.version, parsed.variant) == (8, uuid.RFC_4122)
    assert str(parsed) == made  # lower-case, hyphenated: compared as text in every index
    assert is_office_made_id(made)


def test_the_ids_of_one_run_grow_and_share_their_batch() -> None:
    made = [new_id() for _ in range(5_000)]
    assert made == sorted(made) and len(set(made)) == len(made)
    assert len({m[:12] for m in made}) == 1  # 48 bits of batch: the first 12 hex digits


def test_ids_of_runs_made_side_by_side_do_not_interleave() -> None:
    """The property the upper office's indexes need: each run's ids form one
    contiguous stretch in sorted order, however their making was interleaved."""
    rng = random.Random(7)
    makers = [IdMaker(rng.getrandbits) for _ in range(20)]
    made = {n: [] for n in range(len(makers))}
    for _ in range(4_000):
        n = rng.randrange(len(makers))
        made[n].append(makers[n]())
    owner = {i: n for n, run in made.items() for i in run}
    in_order = [owner[i] for i in sorted(owner)]
    stretches = 1 + sum(a != b for a, b in zip(in_order, in_order[1:]))
    assert stretches == len(makers)


def test_a_seeded_maker_makes_the_same_ids_again() -> None:
    first = IdMaker(random.Random(3).getrandbits)
    again = IdMaker(random.Random(3).getrandbits)
    assert [first() for _ in range(10)] == [again() for _ in range(10)]


def test_threads_never_get_the_same_id() -> None:
    made: list[list[str]] = [[] for _ in range(4)]
    threads = [threading.Thread(target=lambda out=out: out.extend(new_id() for _ in range(20_000)))
               for out in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    every = [i for out in made for i in out]
    assert len(set(every)) == len(every)


def test_a_full_batch_starts_another() -> None:
    maker = IdMaker(random.Random(5).getrandbits)
    batch, _counter = maker._batch
    maker._batch = (batch, count((1 << 30) - 1))  # the last id of the batch
    last, nxt = maker(), maker()
    text = f"{batch:012x}"
    assert last[:13] == f"{text[:8]}-{text[8:]}"
    assert nxt[:13] != last[:13]
    assert uuid.UUID(nxt).version == 8


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this system")
def test_a_forked_child_starts_its_own_batch(tmp_path: Path) -> None:
    parent = new_id()
    out = tmp_path / "child.txt"
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child writes and leaves at once
        try:
            out.write_text(new_id())
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    assert out.read_text()[:13] != parent[:13]


def test_office_made_ids_of_either_version_are_told_from_derived_ones() -> None:
    assert is_office_made_id(new_id()) and is_office_made_id(str(uuid.uuid4()))  # 4: an earlier version
    derived = reference_unit_id(level="province", unit_type="tỉnh", name="Tiền Giang", code=None, parent_id=None)
    assert not is_office_made_id(derived) and not is_office_made_id("not an id")


def _leaves_written(con: sqlite3.Connection, rows: list[str]) -> int:
    """Index pages a transaction inserting ``rows`` changes, counted from the log."""
    assert con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0  # an empty log
    _insert(con, rows)
    return con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]  # frames in the log


def _insert(con: sqlite3.Connection, rows: list[str]) -> None:
    con.execute("BEGIN")  # one transaction: each page's last state is logged once
    con.executemany("INSERT INTO t (id) VALUES (?)", [(r,) for r in rows])
    con.execute("COMMIT")


def test_a_runs_rows_touch_a_few_pages_of_a_large_index(tmp_path: Path) -> None:
    """Why the layout: 2,000 new rows into an index of 200,000 rows from 100
    other runs. Random ids change a page for most rows (1,610 pages); these a
    few dozen (62)."""
    def pages_for(make) -> int:
        con = sqlite3.connect(tmp_path / f"{make.__name__}.db", isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE t (id TEXT PRIMARY KEY)")
        _insert(con, [i for run in range(100) for i in make(run, 2_000)])
        written = _leaves_written(con, make(100, 2_000))
        con.close()
        return written

    def batched(run: int, n: int) -> list[str]:
        maker = IdMaker(random.Random(run).getrandbits)
        return [maker() for _ in range(n)]

    def random_v4(run: int, n: int) -> list[str]:
        rng = random.Random(run)
        return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)]

    assert pages_for(batched) * 10 < pages_for(random_v4)
