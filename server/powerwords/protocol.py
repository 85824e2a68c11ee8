"""The LSP lifecycle and text synchronisation rules pygls 2 leaves to the server.

pygls answers nothing once `shutdown` has been received and serves requests that arrive before
`initialize`; the specification wants an InvalidRequest error for the first and a
ServerNotInitialized error for the second (notifications before `initialize` are dropped,
except `exit`). Its incremental text sync splits lines with `str.splitlines`, which also breaks
at form feeds, U+2028 and other separators that are not LSP line ends, and clamps a position
past the end of a line one character short; documents here are kept with LSP's own rules (lines
end at CRLF, CR or LF; a position past a line's end means its end), from `positions.LineIndex`.
"""

from __future__ import annotations

import logging
from typing import Any, Generator, Sequence

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.workspace import TextDocument, Workspace

from .positions import LineIndex

log = logging.getLogger(__name__)


class LspTextDocument(TextDocument):
    """A pygls document whose lines and incremental edits follow the LSP's line rules."""

    @property
    def lines(self) -> Sequence[str]:
        text = self.source
        starts = LineIndex(text).starts
        ends = starts[1:] + [len(text)]
        lines = [text[s:e] for s, e in zip(starts, ends)]
        return tuple(lines[:-1] if lines and not lines[-1] else lines)

    _index: LineIndex | None = None  # the line index of `_source`, kept across edits

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        text = self.source
        index = self._index if self._index is not None and self._index.text is text \
            else LineIndex(text)
        encoding = str(getattr(self.position_codec.encoding, "value", self.position_codec.encoding)
                       or "utf-16")
        start = index.offset(change.range.start.line, change.range.start.character, encoding)
        end = index.offset(change.range.end.line, change.range.end.character, encoding)
        if end < start:  # a reversed range: take it as the span between the two positions
            start, end = end, start
        # Re-index only the lines around the edit: a keystroke must not cost a pass over the file.
        self._index = index.edited(start, end, change.text)
        self._source = self._index.text


class LspWorkspace(Workspace):
    """A pygls workspace that keeps its documents as LspTextDocument."""

    def _create_text_document(self, doc_uri: str, source: str | None = None,
                              version: int | None = None,
                              language_id: str | None = None) -> TextDocument:
        return LspTextDocument(doc_uri, source=source, version=version, language_id=language_id,
                               sync_kind=self._sync_kind, position_codec=self.position_codec)


class PowerWordsProtocol(LanguageServerProtocol):
    """pygls' protocol with the lifecycle errors of the specification."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._initialize_seen = False
        # What the process should exit with: 0 after shutdown then exit, 1 otherwise (pygls
        # swallows the SystemExit of its exit handler, so the process would always exit 0).
        self.exit_code = 1

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams) -> Generator[Any, Any, Any]:
        result = yield from super().lsp_initialize(params)
        old = self.workspace
        # No document is open yet: swap in a workspace with LSP line handling.
        self._workspace = LspWorkspace(old.root_uri, old._sync_kind,
                                       list(old.folders.values()), old.position_encoding)
        return result

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        is_request = method is not None and hasattr(message, "id")
        if method == types.EXIT:
            self.exit_code = 0 if self._shutdown else 1
        if method == types.INITIALIZE:
            self._initialize_seen = True
        elif method is not None and method != types.EXIT and not self._initialize_seen:
            if is_request:
                self._send_error(message.id, types.ErrorCodes.ServerNotInitialized,
                                 f"{method} before initialize")
            return  # notifications before initialize are dropped
        if self._shutdown and is_request:
            self._send_error(message.id, types.ErrorCodes.InvalidRequest,
                             f"{method} after shutdown")
            return
        super().handle_message(message)

    def _send_error(self, msg_id: Any, code: int, text: str) -> None:
        log.warning("refused: %s", text)
        self._send_response(msg_id, error=types.ResponseError(code=code, message=text))
