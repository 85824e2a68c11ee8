"""Following a text through a series of edits: where each old stretch went, and what changed.

An open document is analysed block by block. After some edits, a block whose text the edits did
not touch keeps its findings, moved by the length the edits before it added or removed; only
touched blocks are read again. `EditMap` keeps that bookkeeping as a short sorted list of the
touched stretches, in the old text's offsets and in the new text's.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

_MAX_SEGMENTS = 64  # beyond this many separate touched stretches, one wide stretch is cheaper


@dataclass
class _Segment:
    old_start: int
    old_end: int
    new_start: int
    new_end: int


class EditMap:
    """The touched stretches of a text since it was last analysed."""

    def __init__(self) -> None:
        self._segments: list[_Segment] = []

    def __bool__(self) -> bool:
        return bool(self._segments)

    def add(self, start: int, end: int, new_length: int) -> None:
        """Record that text[start:end] of the current text became `new_length` characters."""
        segs = self._segments
        delta = new_length - (end - start)
        # Segments that overlap or touch [start, end] merge with the edit.
        first = 0
        while first < len(segs) and segs[first].new_end < start:
            first += 1
        last = first
        while last < len(segs) and segs[last].new_start <= end:
            last += 1
        shift_before = (segs[first - 1].new_end - segs[first - 1].old_end) if first else 0
        merged = segs[first:last]
        new_start = min([start] + [s.new_start for s in merged])
        new_end = max([end] + [s.new_end for s in merged])
        old_start = merged[0].old_start if merged and merged[0].new_start <= start \
            else start - shift_before
        old_end = merged[-1].old_end + (end - merged[-1].new_end if end > merged[-1].new_end else 0) \
            if merged else end - shift_before
        segment = _Segment(old_start, old_end, new_start, new_end + delta)
        for s in segs[last:]:
            s.new_start += delta
            s.new_end += delta
        segs[first:last] = [segment]
        if len(segs) > _MAX_SEGMENTS:
            self._segments = [_Segment(segs[0].old_start, segs[-1].old_end,
                                       segs[0].new_start, segs[-1].new_end)]

    def moved(self, old_start: int, old_end: int) -> int | None:
        """How far the untouched stretch old[old_start:old_end] moved; None if an edit touched
        it (an edit right at either end counts: it may extend the stretch)."""
        segs = self._segments
        i = bisect.bisect_right([s.old_start for s in segs], old_end)
        # Segments before index i start at or before old_end; the one just before may overlap.
        if i and segs[i - 1].old_end >= old_start:
            return None
        return (segs[i - 1].new_end - segs[i - 1].old_end) if i else 0

    def span(self) -> tuple[int, int, int]:
        """(first old offset touched, last old offset touched, how far text after moved)."""
        first, last = self._segments[0], self._segments[-1]
        return first.old_start, last.old_end, last.new_end - last.old_end

    def touched(self) -> list[tuple[int, int]]:
        """The touched stretches in the new text's offsets."""
        return [(s.new_start, s.new_end) for s in self._segments]
