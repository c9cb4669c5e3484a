"""Comparing a commune's record as the upper office holds it with the same
record in a package, across restores (the incarnations of ``storage/incarnation.py``).

A record is stamped (origin, change_seq): the incarnation and counter value of
its last change. A sender's incarnations form a tree: each names its parent and
the counter value it forked at, and a restore also names the incarnation whose
file it replaced. The stamp ``a`` is *in the history of* ``b`` when walking up
from ``b``'s incarnation reaches ``a``'s with ``a``'s counter at or below the
cut-off (``b``'s own counter, then each fork point). An incarnation replaced by
a restore is dead, and so is one a backup of which was restored on its own PC; a change in the history of no living incarnation is *lost*
— kept for review, never applied over what the commune has now. (A copy moved
to another PC replaces nothing: both copies live on.)

Records stamped before stamps existed (origin None) are older than anything.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any, Iterable

from gocong_desktop.core.storage.incarnation import REASONS, RESTORE
from gocong_desktop.core.sync.kinds import UUID_RE

MAX_NODES = 5000
MAX_SEQ = 2 ** 53

Stamp = tuple[str | None, int | None]

SAME, OLDER, NEWER, LOST_LOCAL, LOST_INCOMING = "same", "older", "newer", "lost_local", "lost_incoming"


@dataclass(frozen=True)
class Node:
    id: str
    parent: str | None
    fork_seq: int | None
    reason: str
    at: str
    replaced: str | None = None  # the incarnation whose file a restore replaced
    same_pc: bool = False  # a restore of a backup made on the same PC: the parent's own line ended

    def as_dict(self) -> dict:
        return {"id": self.id, "parent": self.parent, "fork_seq": self.fork_seq, "reason": self.reason,
                "at": self.at, "replaced": self.replaced, "same_pc": self.same_pc}


_KEYS = ("id", "parent", "fork_seq", "reason", "at", "replaced", "same_pc")


class LineageError(ValueError):
    """A lineage that is malformed or contradicts one received before."""


def _node(item: Any) -> Node:
    if type(item) is not dict or set(item) != set(_KEYS):
        raise LineageError("một mục của dòng đời dữ liệu sai cấu trúc")
    ident, parent, fork_seq, reason, at, replaced, same_pc = (item[k] for k in _KEYS)
    if replaced is not None and (type(replaced) is not str or not UUID_RE.match(replaced) or reason != RESTORE):
        raise LineageError("mục dòng đời ghi sai bản được thay")
    if type(same_pc) is not bool or (same_pc and reason != RESTORE):
        raise LineageError("mục dòng đời ghi sai nơi khôi phục")
    if type(ident) is not str or not UUID_RE.match(ident) or reason not in REASONS or type(at) is not str \
            or len(at) > 32:
        raise LineageError("một mục của dòng đời dữ liệu sai dạng")
    if (parent is None) != (fork_seq is None):
        raise LineageError("mục dòng đời thiếu điểm tách")
    if parent is not None and (type(parent) is not str or not UUID_RE.match(parent)
                               or type(fork_seq) is not int or not 0 <= fork_seq < MAX_SEQ):
        raise LineageError("điểm tách của dòng đời sai dạng")
    return Node(ident, parent, fork_seq, reason, at, replaced, same_pc)


def parse_lineage(data: Any) -> tuple[Node, ...]:
    """A package's lineage: oldest first, each node's parent before it, one root."""
    if type(data) is not list or not 1 <= len(data) <= MAX_NODES:
        raise LineageError("thiếu dòng đời dữ liệu hoặc quá dài")
    nodes = tuple(_node(item) for item in data)
    seen: set[str] = set()
    for i, node in enumerate(nodes):
        if node.id in seen or (i == 0) != (node.parent is None) or (i and node.parent not in seen):
            raise LineageError("dòng đời dữ liệu không liền mạch")
        seen.add(node.id)
    return nodes


class Tree:
    """A sender's incarnations as known here (the union of its packages' lineages)."""

    def __init__(self, nodes: Iterable[Node] = ()) -> None:
        self.nodes: dict[str, Node] = {n.id: n for n in nodes}

    @classmethod
    def from_json(cls, text: str | None) -> "Tree":
        return cls(_node(item) for item in json.loads(text)) if text else cls()

    def to_json(self) -> str:
        return json.dumps([n.as_dict() for n in self.nodes.values()], ensure_ascii=False)

    def merged(self, nodes: Iterable[Node]) -> "Tree":
        out = Tree(self.nodes.values())
        for node in nodes:
            known = out.nodes.get(node.id)
            if known is not None and known != node:
                raise LineageError("dòng đời dữ liệu mâu thuẫn với gói đã nhận trước")
            out.nodes.setdefault(node.id, node)
        if len(out.nodes) > MAX_NODES:
            raise LineageError("dòng đời dữ liệu quá dài")
        return out

    def contains(self, later: Stamp, earlier: Stamp) -> bool:
        """Is ``earlier`` in the history of ``later``? (Walking up from ``later``'s
        incarnation, as the module says, but answered from ``_walk``: a package's
        records are checked by the thousand against a lineage of up to 5,000.)"""
        if earlier[0] is None:
            return True
        inc, cutoff = later
        if inc is None:
            return False
        if inc == earlier[0]:
            return (earlier[1] or 0) <= (cutoff or 0)
        walk = self._walk()
        child = walk.child_towards(earlier[0], inc) if inc in self.nodes else None
        return child is not None and (earlier[1] or 0) <= (self.nodes[child].fork_seq or 0)

    def _walk(self) -> "_Walk":
        if getattr(self, "_walk_cache", None) is None:
            self._walk_cache = _Walk(self.nodes)
        return self._walk_cache

    def _dead(self) -> set[str]:
        """Incarnations whose file a restore replaced — directly, or because a backup
        of theirs was restored on their own PC (their line there ended by then)."""
        return {n.replaced for n in self.nodes.values()} | {
            n.parent for n in self.nodes.values() if n.reason == RESTORE and n.same_pc}

    def superseded(self, incarnation: str) -> bool:
        """A restore replaced this incarnation's file: what it sent is not the sender's state."""
        return incarnation in self._dead()

    def living(self) -> list[str]:
        dead = self._dead()
        return [i for i in self.nodes if i not in dead]

    def lost(self, stamp: Stamp) -> bool:
        """A change in the history of no living incarnation: the sender lost it."""
        if stamp[0] is None:
            return False
        return (stamp[1] or 0) > self._kept().get(stamp[0], -1)

    def _kept(self) -> dict[str, int]:
        """For each incarnation, the highest counter some living incarnation still
        has of it: its own whole line if it lives, else the highest fork point of a
        child with a living incarnation below it (one pass, children first)."""
        if getattr(self, "_kept_cache", None) is None:
            walk, living, kept = self._walk(), set(self.living()), {}
            for inc in reversed(walk.order):
                forks = [self.nodes[c].fork_seq or 0 for c in walk.children.get(inc, ()) if c in kept]
                if inc in living or forks:
                    kept[inc] = MAX_SEQ if inc in living else max(forks)
            self._kept_cache = kept
        return self._kept_cache

    def compare(self, local: Stamp, incoming: Stamp) -> str:
        """SAME, OLDER (incoming is in local's history), NEWER (local is in
        incoming's), LOST_INCOMING (incoming is a change the sender lost) or
        LOST_LOCAL (the sender no longer has local's change: incoming wins)."""
        if local == incoming:
            return SAME
        if self.lost(incoming):
            return LOST_INCOMING
        if self.lost(local):  # even when incoming is its ancestor: the sender went back to it
            return LOST_LOCAL
        if self.contains(local, incoming):
            return OLDER
        if self.contains(incoming, local):
            return NEWER
        return LOST_LOCAL  # changed on two PCs: the package's record wins, the other is kept



class _Walk:
    """The incarnations in depth-first order, each with the span of positions its
    descendants take: ``a`` is an ancestor of ``x`` when ``x``'s position lies in
    ``a``'s span, and the child of ``a`` on the way to ``x`` is found by bisection.
    A parent named but not known (a lineage stored before, edited) is a root."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.children: dict[str, list[str]] = {}
        for node in nodes.values():
            if node.parent is not None:
                self.children.setdefault(node.parent, []).append(node.id)
        roots = [i for i in nodes if nodes[i].parent is None] + [p for p in self.children if p not in nodes]
        self.order: list[str] = []
        self.enter: dict[str, int] = {}
        self.leave: dict[str, int] = {}
        for root in roots:  # iterative: a chain 5,000 deep would overflow Python's stack
            stack = [(root, iter(self.children.get(root, ())))]
            self._visit(root)
            while stack:
                inc, rest = stack[-1]
                child = next(rest, None)
                if child is None:
                    self.leave[inc] = len(self.order)
                    stack.pop()
                elif child not in self.enter:  # a cycle (an edited lineage) is not walked twice
                    self._visit(child)
                    stack.append((child, iter(self.children.get(child, ()))))
        self.walked = {p: [c for c in kids if c in self.enter] for p, kids in self.children.items()}
        self.starts = {p: [self.enter[c] for c in kids] for p, kids in self.walked.items()}  # ascending

    def _visit(self, inc: str) -> None:
        self.enter[inc] = len(self.order)
        self.order.append(inc)

    def child_towards(self, ancestor: str, inc: str) -> str | None:
        """The child of ``ancestor`` on the way up from ``inc``; None if ``ancestor`` is not above it."""
        if ancestor not in self.enter or inc not in self.enter:
            return None
        at = self.enter[inc]
        if not self.enter[ancestor] < at < self.leave[ancestor]:
            return None
        return self.walked[ancestor][bisect_right(self.starts[ancestor], at) - 1]
