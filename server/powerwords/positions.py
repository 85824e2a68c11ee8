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

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

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
