"""``lineage.Tree`` answers "is this change in that one's history?" and "did the
sender lose it?" once per record: with a lineage of thousands of incarnations
(a manifest may hold ~1,400, the stored tree 5,000) each answer must not walk the
whole lineage again. The answers are those of the plain walk up the tree that
the module describes (kept here as the reference), on many random trees."""

from __future__ import annotations

import random
import uuid

import pytest

from gocong_desktop.core.sync.lineage import MAX_SEQ, Node, Tree


def walk_contains(nodes: dict[str, Node], later, earlier) -> bool:
    """The reference: walk up from ``later``, cutting off at each fork point."""
    if earlier[0] is None:
        return True
    inc, cutoff = later
    for _ in range(len(nodes) + 1):
        if inc is None:
            return False
        if inc == earlier[0]:
            return (earlier[1] or 0) <= (cutoff or 0)
        node = nodes.get(inc)
        if node is None:
            return False
        inc, cutoff = node.parent, node.fork_seq
    return False


def walk_lost(tree: Tree, stamp) -> bool:
    """The reference: walk up from every living incarnation."""
    if stamp[0] is None:
        return False
    kept: dict[str, int] = {}
    for inc in tree.living():
        cutoff, seen = MAX_SEQ, set()
        while inc is not None and inc not in seen:
            seen.add(inc)
            kept[inc] = max(kept.get(inc, -1), cutoff)
            node = tree.nodes.get(inc)
            if node is None:
                break
            inc, cutoff = node.parent, node.fork_seq or 0
    return (stamp[1] or 0) > kept.get(stamp[0], -1)


def random_tree(rnd: random.Random, size: int, *, orphan: bool = False) -> list[Node]:
    """Oldest first: moves to other PCs, restores (some of the same PC) replacing earlier incarnations."""
    ids = [str(uuid.UUID(int=rnd.getrandbits(128)))
           for _ in range(size)]
    nodes = [Node(ids[0], None, None, "created", "")]
    for i in range(1, size):
        parent = ids[rnd.randrange(i) if rnd.random() < 0.5 else i - 1]  # long lines and branches
        restore = rnd.random() < 0.3
        nodes.append(Node(ids[i], parent, rnd.randrange(50), "restore" if restore else "machine", "",
                          replaced=ids[rnd.randrange(i)] if restore and rnd.random() < 0.7 else None,
                          same_pc=restore and rnd.random() < 0.3))
    if orphan:  # a stored lineage edited by hand: a parent no longer known
        nodes = [n for n in nodes if n.id != ids[1]]
    return nodes


@pytest.mark.parametrize("seed", range(12))
def test_answers_are_those_of_the_walk_up_the_tree(seed: int) -> None:
    rnd = random.Random(seed)
    nodes = random_tree(rnd, rnd.randrange(2, 40), orphan=seed % 3 == 0)
    tree = Tree(nodes)
    incs = [n.id for n in nodes] + [nodes[0].parent, str(uuid.uuid4())] + [n.parent for n in nodes[1:3]]
    stamps = [(inc, rnd.choice([None, 0, rnd.randrange(60), MAX_SEQ - 1])) for inc in incs for _ in range(3)]
    for later in stamps:
        for earlier in stamps:
            assert tree.contains(later, earlier) == walk_contains(tree.nodes, later, earlier), (later, earlier)
    for stamp in stamps:
        assert tree.lost(stamp) == walk_lost(tree, stamp), stamp


class CountingDict(dict):
    """A tree's nodes, counting the look-ups of one incarnation."""

    lookups = 0

    def get(self, *args):
        CountingDict.lookups += 1
        return super().get(*args)

    def __getitem__(self, key):
        CountingDict.lookups += 1
        return super().__getitem__(key)


def test_a_long_chain_is_not_walked_again_for_each_record() -> None:
    """A package of 2,000 records stamped in the first of 2,000 incarnations in a
    line, each record checked against the package's head (``plan._check_stamps``)
    and compared with what is held here (``Tree.compare``, ``Tree.lost``)."""
    chain = [Node(str(uuid.uuid4()), None, None, "created", "")]
    for _ in range(1999):
        chain.append(Node(str(uuid.uuid4()), chain[-1].id, 10, "machine", ""))
    tree = Tree(chain)
    tree.nodes = CountingDict(tree.nodes)
    CountingDict.lookups = 0
    head, root = chain[-1].id, chain[0].id
    for n in range(2000):
        assert tree.contains((head, 500), (root, n % 10))
        assert tree.compare((head, 20), (root, 5)) == "older"
        assert not tree.lost((root, n % 10))
    assert CountingDict.lookups < 20 * 2000  # a walk per record would be millions
