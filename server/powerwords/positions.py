"""Offsets in Python strings (code points) to LSP positions and back.

LSP positions count a line's characters in the negotiated encoding: UTF-16 code units by
default, UTF-8 bytes or UTF-32 code points when the client asks. Lines end at CRLF, CR or LF.
"""

from __future__ import annotations

import bisect
import re

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def _units(text: str, encoding: str) -> int:
    """How many code units of `encoding` the text takes."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


class LineIndex:
    """Line starts of a text, for converting offsets and positions."""

    def __init__(self, text: str, starts: list[int] | None = None):
        self.text = text
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)] if starts is None \
            else starts

    def edited(self, start: int, end: int, new_text: str) -> LineIndex:
        """The index of this text with text[start:end] replaced by `new_text`, found by
        re-reading only the lines around the edit (an open document changes a character at a
        time; re-indexing all its lines each time would cost more than the edit)."""
        old, starts = self.text, self.starts
        text = old[:start] + new_text + old[end:]
        delta = len(new_text) - (end - start)
        # From the start of the line before the edit (a CR there may pair with an inserted LF)
        # to the start of the second line after it, which the edit cannot reach.
        first = max(self.line_of(start) - 1, 0)
        a = starts[first]
        last = self.line_of(end) + 2
        b = starts[last] if last < len(starts) else len(old)
        head = starts[:first + 1]
        if last < len(starts):
            middle = [m.end() for m in _LINE_BREAK.finditer(text, a, b + delta)
                      if a < m.end() < b + delta]
            tail = [s + delta for s in starts[last:]]
        else:  # the edit reaches the last lines: read to the end
            middle = [m.end() for m in _LINE_BREAK.finditer(text, a) if m.end() > a]
            tail = []
        return LineIndex(text, head + middle + tail)

    def line_end(self, line: int) -> int:
        """Offset of the end of `line`'s content (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            while end > self.starts[line] and self.text[end - 1] in "\r\n":
                end -= 1
            return end
        return len(self.text)

    def line_of(self, offset: int) -> int:
        """The 0-based line that contains `offset`."""
        return bisect.bisect_right(self.starts, offset) - 1

    def position(self, offset: int, encoding: str = UTF16) -> tuple[int, int]:
        """The (line, character) of an offset, characters counted in `encoding`."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start = self.starts[line]
        return line, _units(self.text[start:offset], encoding)

    def offset(self, line: int, character: int, encoding: str = UTF16) -> int:
        """The offset of a (line, character) position; out-of-range values are clamped."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        if character <= 0:
            return start
        segment = self.text[start:end]
        if encoding == UTF32 or segment.isascii():
            return start + min(character, len(segment))
        units = 0
        for i, ch in enumerate(segment):
            units += _units(ch, encoding)
            if units > character:
                return start + i
            if units == character:
                return start + i + 1
        return end
