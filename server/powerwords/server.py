"""The language server: a thin pygls front over the engine.

Documents are analysed on open and (debounced) on change; diagnostics are pushed with
publishDiagnostics. Hover, completion and code actions read the latest analysis. Positions are
converted with the encoding negotiated at initialize (UTF-16 unless the client prefers another).
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__, cardtext, daily
from .completion import Completer
from .config import Config, ConfigError, from_mapping
from .diagnostics import diagnostics, lsp_range
from .engine import Analysis
from .filetypes import is_markdown
from .positions import LineIndex
from .project import Project, Setup

log = logging.getLogger(__name__)

DEFAULT_DEBOUNCE_SECONDS = 0.15


def debounce_seconds(raw: str | None) -> float:
    """The delay before a changed document is analysed: POWERWORDS_DEBOUNCE (seconds, >= 0) or
    the default. The benchmark sets it to 0 to time the server's own work on an edit."""
    if raw is None or not raw.strip():
        return DEFAULT_DEBOUNCE_SECONDS
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 10:  # also rejects nan
        log.warning("POWERWORDS_DEBOUNCE=%r is not a number of seconds from 0 to 10; using %s",
                    raw, DEFAULT_DEBOUNCE_SECONDS)
        return DEFAULT_DEBOUNCE_SECONDS
    return value


DEBOUNCE_SECONDS = debounce_seconds(os.environ.get("POWERWORDS_DEBOUNCE"))
COMMAND_DAILY = "powerwords.termOfTheDay"
COMMAND_EXPLAIN = "powerwords.explainTerm"
COMMAND_GLOSSARY = "powerwords.glossary"


@dataclass
class DocState:
    """The latest analysis of an open document."""

    version: int | None
    text: str
    analysis: Analysis
    index: LineIndex
    setup: Setup


class PowerWordsServer(LanguageServer):
    """pygls server with Power Words' per-document state."""

    def __init__(self) -> None:
        super().__init__("powerwords", __version__)
        self.project = Project()
        self.docs: dict[str, DocState] = {}
        self.pending: dict[str, asyncio.Task] = {}
        self.shown: set[str] = set()
        self.completers: dict[int, Completer] = {}

    # -- helpers ---------------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        enc = self.workspace.position_encoding
        return str(getattr(enc, "value", enc) or "utf-16")

    def markup(self, value: str, feature: str) -> types.MarkupContent | str:
        """Markdown when the client takes it for `feature` ('hover' or 'completion'), else text."""
        caps = self.client_capabilities.text_document
        formats: list | None = None
        if caps is not None and feature == "hover" and caps.hover is not None:
            formats = caps.hover.content_format
        elif caps is not None and feature == "completion" and caps.completion is not None:
            item = caps.completion.completion_item
            formats = item.documentation_format if item is not None else None
        if formats and types.MarkupKind.Markdown not in formats:
            return types.MarkupContent(kind=types.MarkupKind.PlainText, value=value) \
                if feature == "hover" else value
        return types.MarkupContent(kind=types.MarkupKind.Markdown, value=value)

    def tell_once(self, message: str, kind: types.MessageType) -> None:
        """Show a message to the user once per server run."""
        if message in self.shown:
            return
        self.shown.add(message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    def apply_settings(self, raw: Any, source: str) -> None:
        """Take client settings (initializationOptions or didChangeConfiguration)."""
        if isinstance(raw, dict) and isinstance(raw.get("powerwords"), dict):
            raw = raw["powerwords"]
        if raw is None:
            raw = {}
        try:
            overrides = from_mapping(raw, source, None)
        except ConfigError as exc:
            for problem in exc.problems:
                self.tell_once(f"Power Words: {problem} (using defaults)", types.MessageType.Error)
            overrides = Config()
        self.project = Project(overrides)
        self.completers.clear()

    def analyse(self, uri: str) -> DocState | None:
        """Analyse the current text of `uri`, keep the result, and publish its diagnostics."""
        try:
            doc = self.workspace.get_text_document(uri)
            text = doc.source
        except Exception:  # unknown or unreadable document: nothing to analyse
            log.exception("cannot read %s", uri)
            return None
        path_str = to_fs_path(uri) if uri.startswith("file:") else None
        path = Path(path_str) if path_str else None
        setup = self.project.setup(path)
        for problem in setup.problems:
            kind = types.MessageType.Error if setup.config_error else types.MessageType.Warning
            self.tell_once(f"Power Words: {problem}", kind)
        markdown = is_markdown(path or uri, getattr(doc, "language_id", None))
        config = Config() if setup.config_error else setup.config
        analysis = setup.engine.analyse(text, markdown, config)
        if path is not None and not setup.config.wants(path):
            analysis.findings = []
        state = DocState(doc.version, text, analysis, LineIndex(text), setup)
        self.docs[uri] = state
        self.publish(uri, state)
        return state

    def publish(self, uri: str, state: DocState) -> None:
        diags = [to_types_diagnostic(d)
                 for d in diagnostics(state.analysis.findings, state.text, self.encoding)]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diags, version=state.version))

    def state(self, uri: str) -> DocState | None:
        """The analysis of `uri`, brought up to date if its text changed since."""
        state = self.docs.get(uri)
        try:
            current = self.workspace.get_text_document(uri).source
        except Exception:
            return state
        if state is None or state.text != current:
            return self.analyse(uri) if uri in self.docs else None
        return state

    def completer(self, state: DocState) -> Completer:
        pack = state.setup.engine.pack
        key = id(pack)
        if key not in self.completers:
            self.completers[key] = Completer(pack)
        return self.completers[key]

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse `uri` after `delay` seconds, replacing any analysis already waiting."""
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

        async def run() -> None:
            try:
                await asyncio.sleep(delay)
            except asyncio.CancelledError:
                return
            self.pending.pop(uri, None)
            try:
                self.analyse(uri)
            except Exception:  # never let one document take the server down
                log.exception("analysis of %s failed", uri)

        self.pending[uri] = asyncio.get_event_loop().create_task(run())


def to_types_diagnostic(d: dict[str, Any]) -> types.Diagnostic:
    """The engine's Diagnostic dict as an lsprotocol object (serialises back to the same JSON)."""
    r = d["range"]
    return types.Diagnostic(
        range=types.Range(
            start=types.Position(line=r["start"]["line"], character=r["start"]["character"]),
            end=types.Position(line=r["end"]["line"], character=r["end"]["character"]),
        ),
        severity=types.DiagnosticSeverity(d["severity"]),
        code=d["code"],
        source=d["source"],
        message=d["message"],
        data=d["data"],
    )


server = PowerWordsServer()


@server.feature(types.INITIALIZE)
def on_initialize(ls: PowerWordsServer, params: types.InitializeParams) -> None:
    ls.apply_settings(params.initialization_options, "initializationOptions")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def on_open(ls: PowerWordsServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.analyse(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def on_change(ls: PowerWordsServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def on_close(ls: PowerWordsServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.docs.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def on_configuration(ls: PowerWordsServer, params: types.DidChangeConfigurationParams) -> None:
    ls.apply_settings(params.settings, "workspace/didChangeConfiguration")
    for uri in list(ls.docs):
        ls.analyse(uri)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: PowerWordsServer, params: types.HoverParams) -> types.Hover | None:
    state = ls.state(params.text_document.uri)
    if state is None:
        return None
    pos = params.position
    offset = state.index.offset(pos.line, pos.character, ls.encoding)
    occ = state.analysis.occurrence_at(offset)
    if occ is None:
        return None
    pack = state.setup.engine.pack
    names = pack.short_names
    r = lsp_range(state.index, occ.start, occ.end, ls.encoding)
    return types.Hover(contents=ls.markup(cardtext.markdown(occ.card, names), "hover"),
                       range=_range(r))


def _range(r: dict[str, Any]) -> types.Range:
    return types.Range(
        start=types.Position(line=r["start"]["line"], character=r["start"]["character"]),
        end=types.Position(line=r["end"]["line"], character=r["end"]["character"]),
    )


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
)
def on_code_action(ls: PowerWordsServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    state = ls.state(uri)
    if state is None:
        return []
    actions: list[types.CodeAction] = []
    for diag in params.context.diagnostics:
        if diag.source != "powerwords" or not isinstance(diag.data, dict):
            continue
        for word in diag.data.get("replacements") or []:
            actions.append(types.CodeAction(
                title=f"Replace with '{word}'",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                is_preferred=not actions,
                edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=diag.range,
                                                                       new_text=word)]}),
            ))
        code = str(diag.code)
        line = diag.range.start.line
        line_start = state.index.starts[min(line, len(state.index.starts) - 1)]
        indent_end = line_start
        while indent_end < len(state.text) and state.text[indent_end] in " \t":
            indent_end += 1
        indent = state.text[line_start:indent_end]
        eol = "\r\n" if "\r\n" in state.text else "\n"
        actions.append(_insert_action(
            f"Disable {code} for this line", diag, uri, line,
            f"{indent}<!-- powerwords-disable-next-line {code} -->{eol}"))
        actions.append(_insert_action(
            f"Disable {code} in this file", diag, uri, _file_top(state),
            f"<!-- powerwords-disable {code} -->{eol}"))
    return actions


def _insert_action(title: str, diag: types.Diagnostic, uri: str, line: int,
                   text: str) -> types.CodeAction:
    """A quick fix that inserts `text` at the start of `line`."""
    at = types.Position(line=line, character=0)
    return types.CodeAction(
        title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag],
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(
            range=types.Range(start=at, end=at), new_text=text)]}))


def _file_top(state: DocState) -> int:
    """The first line after any YAML front matter: where a file-wide comment goes."""
    prose = state.analysis.prose
    text = state.text
    if text.startswith("---"):
        # The front matter is the masked run at the very start of the document.
        end = 0
        while end < len(text) and prose.masked[end] in ("\x00", "\r", "\n"):
            end += 1
        if end:
            return state.index.line_of(end)
    return 0


@server.feature(
    types.TEXT_DOCUMENT_COMPLETION,
    types.CompletionOptions(trigger_characters=[" "], resolve_provider=False),
)
def on_completion(ls: PowerWordsServer, params: types.CompletionParams) -> types.CompletionList:
    state = ls.state(params.text_document.uri)
    empty = types.CompletionList(is_incomplete=False, items=[])
    if state is None:
        return empty
    pos = params.position
    offset = state.index.offset(pos.line, pos.character, ls.encoding)
    line_start = state.index.starts[state.index.line_of(offset)]
    if state.analysis.prose.masked[max(offset - 1, line_start):offset] == "\x00":
        return empty  # typing inside code: no suggestions
    before = state.text[line_start:offset]
    pack = state.setup.engine.pack
    names = pack.short_names
    items = []
    for i, s in enumerate(ls.completer(state).suggest(before)):
        r = lsp_range(state.index, line_start + s.start, line_start + s.end, ls.encoding)
        items.append(types.CompletionItem(
            label=s.label,
            kind=types.CompletionItemKind.Text,
            detail=(f"Power Words: instead of '{before[s.start:s.end]}'" if s.weak
                    else f"Power Words · {s.card.category}"),
            documentation=ls.markup(cardtext.markdown(s.card, names), "completion"),
            sort_text=f"{i:03d}",
            filter_text=before[s.start:s.end] if s.weak else s.label,
            preselect=s.weak or None,
            text_edit=types.TextEdit(range=_range(r), new_text=s.text),
        ))
    return types.CompletionList(is_incomplete=True, items=items)


@server.command(COMMAND_DAILY)
def cmd_daily(ls: PowerWordsServer, *args: Any) -> dict[str, Any] | None:
    """Today's term (or the day given as 'YYYY-MM-DD'): id, name and the card as Markdown."""
    day = datetime.date.today()
    if args and isinstance(args[0], str):
        try:
            day = datetime.date.fromisoformat(args[0])
        except ValueError:
            pass
    pack = ls.project.setup(None).engine.pack
    card = daily.term_of_the_day(pack, day)
    if card is None:
        return None
    names = pack.short_names
    return {"id": card.id, "name": card.name, "date": day.isoformat(),
            "markdown": cardtext.markdown(card, names)}


@server.command(COMMAND_EXPLAIN)
def cmd_explain(ls: PowerWordsServer, *args: Any) -> dict[str, Any] | None:
    """The card for a word (a form, id or name) as Markdown, or None if it is not a term."""
    word = args[0] if args and isinstance(args[0], str) else ""
    pack = ls.project.setup(None).engine.pack
    card = pack.find(word)
    if card is None:
        return None
    names = pack.short_names
    return {"id": card.id, "name": card.name, "markdown": cardtext.markdown(card, names)}


@server.command(COMMAND_GLOSSARY)
def cmd_glossary(ls: PowerWordsServer, *args: Any) -> list[dict[str, Any]]:
    """The pack by category: [{category, terms: [{id, name, definition}]}]."""
    pack = ls.project.setup(None).engine.pack
    out: dict[str, list[dict[str, str]]] = {}
    for card in sorted(pack.cards.values(), key=lambda c: c.name.lower()):
        out.setdefault(card.category, []).append(
            {"id": card.id, "name": card.name, "definition": card.definition})
    return [{"category": cat, "terms": terms} for cat, terms in out.items()]


def serve() -> None:
    """Run the server on stdin/stdout."""
    logging.basicConfig(level=logging.WARNING)
    server.start_io()
