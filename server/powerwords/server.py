"""The language server: a thin pygls front over the engine.

Each open document is a `document.Document`: didChange edits go straight to it, and it is
re-read (debounced) only where the edits landed; diagnostics are pushed with
publishDiagnostics. Hover, completion and code actions read the latest analysis. Positions are
converted with the encoding negotiated at initialize (UTF-16 unless the client prefers another).
"""

from __future__ import annotations

import asyncio
import datetime
import inspect
import json
import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from . import __version__, cardtext, daily
from .completion import Completer
from .config import Config, ConfigError, from_mapping
from .diagnostics import DiagnosticsJson, lsp_range
from .document import Document, PartialDocument, open_document
from .engine import Analysis
from .filetypes import is_markdown
from .positions import LineIndex
from .project import Project, Setup
from .protocol import PowerWordsProtocol
from .watch import Watcher, changed_paths, reload

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
    """An open document: its text kept up to date by edits, and its latest analysis."""

    version: int | None
    doc: Document | PartialDocument
    index: LineIndex
    setup: Setup
    config: Config
    checked: bool  # False when the config excludes the file: nothing is reported
    analysis: Analysis | None = None
    rendered: DiagnosticsJson = field(default_factory=DiagnosticsJson)

    @property
    def text(self) -> str:
        return self.doc.text


class PowerWordsServer(LanguageServer):
    """pygls server with Power Words' per-document state."""

    def __init__(self) -> None:
        super().__init__("powerwords", __version__, protocol_cls=PowerWordsProtocol)
        self.watcher = Watcher()
        self.project = Project(on_pack=self.pack_loaded)
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
        self.project = Project(overrides, on_pack=self.pack_loaded)
        self.completers.clear()

    def pack_loaded(self) -> None:
        """A pack was loaded: its folders may need watching."""
        self.watcher.schedule_sync(self)

    def reopen(self, uri: str) -> DocState | None:
        """Read `uri` afresh with the current settings and packs (after they changed)."""
        self.cancel_pending(uri)
        self.docs.pop(uri, None)
        return self.open(uri)

    def open(self, uri: str) -> DocState | None:
        """Start following `uri` (its text as the workspace has it), analyse and publish."""
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
        checked = path is None or setup.config.wants(path)
        limit = setup.config.document_limit
        if len(text) > limit:
            self.tell_once(
                f"Power Words: {Path(path_str or uri).name} has {len(text):,} characters, more than "
                f"max_document_size ({limit:,}); only its beginning and the paragraphs you edit "
                "are checked.", types.MessageType.Info)
        state = DocState(doc.version, open_document(setup.engine, text, markdown, limit),
                         LineIndex(text), setup, config, checked)
        self.docs[uri] = state
        self.analyse(uri)
        return state

    def change(self, uri: str, params: types.DidChangeTextDocumentParams) -> None:
        """Apply a didChange to our copy of the document (analysis comes later, debounced)."""
        state = self.docs.get(uri)
        if state is None:
            return
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                r = change.range
                start = state.index.offset(r.start.line, r.start.character, self.encoding)
                end = state.index.offset(r.end.line, r.end.character, self.encoding)
                start, end = min(start, end), max(start, end)
            else:
                start, end = 0, len(state.doc.text)
            state.doc.edit(start, end, change.text)
            state.index = state.index.edited(start, end, change.text)
        state.version = params.text_document.version
        state.analysis = None

    def analyse(self, uri: str) -> DocState | None:
        """Bring the analysis of `uri` up to date and publish its diagnostics."""
        state = self.docs.get(uri)
        if state is None:
            return None
        try:
            current = self.workspace.get_text_document(uri).source
        except Exception:
            current = state.doc.text
        if current != state.doc.text:
            # Our copy and the workspace's disagree (a change we could not apply): start over
            # from the workspace's text rather than report on the wrong one.
            log.warning("re-reading %s: its text drifted from the edits received", uri)
            state.doc = open_document(state.setup.engine, current, state.doc.markdown,
                                      state.setup.config.document_limit)
            state.index = LineIndex(current)
        analysis = state.doc.analyse(state.config)
        if not state.checked:
            analysis.findings = []
        state.analysis = analysis
        self.publish(uri, state)
        return state

    def publish(self, uri: str, state: DocState) -> None:
        """Push the document's diagnostics (publishDiagnostics, which every client takes)."""
        assert state.analysis is not None
        diags = state.rendered.render(state.analysis.findings, state.index, self.encoding)
        version = "" if state.version is None else f',"version":{int(state.version)}'
        self.send_json(f'{{"jsonrpc":"2.0","method":"{types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS}",'
                       f'"params":{{"uri":{json.dumps(uri)}{version},"diagnostics":{diags}}}}}')

    def send_json(self, body: str) -> None:
        """Send a message already serialised to JSON, framed as pygls frames its own.

        Diagnostics go this way: a long document has hundreds of them, and turning them into
        lsprotocol objects and back to JSON through the converter costs tens of milliseconds
        after every keystroke; `DiagnosticsJson` writes the ranges afresh and reuses the rest."""
        proto = self.protocol
        if proto.writer is None:
            return
        data = body.encode("utf-8")
        if proto._include_headers:
            data = (f"Content-Length: {len(data)}\r\n"
                    f"Content-Type: {proto.CONTENT_TYPE}; charset={proto.CHARSET}\r\n\r\n"
                    ).encode("ascii") + data
        res = proto.writer.write(data)
        if inspect.isawaitable(res):
            asyncio.ensure_future(res)

    def state(self, uri: str) -> DocState | None:
        """The state of `uri` with its analysis brought up to date (None if not open)."""
        state = self.docs.get(uri)
        if state is None:
            return None
        if state.analysis is None:
            self.cancel_pending(uri)
            try:
                self.analyse(uri)
            except Exception:
                log.exception("analysis of %s failed", uri)
                return None
        return state if state.analysis is not None else None

    def cancel_pending(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    def completer(self, state: DocState) -> Completer:
        pack = state.setup.engine.pack
        key = id(pack)
        if key not in self.completers:
            self.completers[key] = Completer(pack)
        return self.completers[key]

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse `uri` after `delay` seconds, replacing any analysis already waiting."""
        self.cancel_pending(uri)

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


server = PowerWordsServer()


@server.feature(types.INITIALIZE)
def on_initialize(ls: PowerWordsServer, params: types.InitializeParams) -> None:
    ls.apply_settings(params.initialization_options, "initializationOptions")


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def on_open(ls: PowerWordsServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.open(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def on_change(ls: PowerWordsServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    try:
        ls.change(uri, params)
    except Exception:  # never let one document take the server down: start it over
        log.exception("could not apply a change to %s", uri)
        ls.docs.pop(uri, None)
        ls.open(uri)
        return
    ls.schedule(uri, DEBOUNCE_SECONDS)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def on_close(ls: PowerWordsServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.cancel_pending(uri)
    ls.docs.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
def on_configuration(ls: PowerWordsServer, params: types.DidChangeConfigurationParams) -> None:
    ls.apply_settings(params.settings, "workspace/didChangeConfiguration")
    for uri in list(ls.docs):
        ls.reopen(uri)


@server.feature(types.INITIALIZED)
async def on_initialized(ls: PowerWordsServer, params: types.InitializedParams) -> None:
    await ls.watcher.sync(ls)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def on_watched_files(ls: PowerWordsServer, params: types.DidChangeWatchedFilesParams) -> None:
    if reload(ls, changed_paths(params)):
        await ls.watcher.sync(ls)  # a config may have named new folders


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: PowerWordsServer, params: types.HoverParams) -> types.Hover | None:
    state = ls.state(params.text_document.uri)
    if state is None:
        return None
    pos = params.position
    offset = state.index.offset(pos.line, pos.character, ls.encoding)
    assert state.analysis is not None
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
    assert state.analysis is not None
    end = state.analysis.front_matter_end
    return state.index.line_of(end) if end else 0


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
    assert state.analysis is not None
    if offset > line_start and not state.analysis.in_prose(offset - 1):
        return empty  # typing inside code, a URL or outside any prose block: no suggestions
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
            # Only a weak phrase needs one (it matches typed words, not the label). A filterText
            # on every item makes Neovim 0.7's omnifunc ignore textEdit ranges and complete from
            # the keyword start: "fine-tu" would offer nothing.
            filter_text=before[s.start:s.end] if s.weak else None,
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
    # The specification's exit code: 0 after shutdown then exit, 1 otherwise.
    sys.exit(server.protocol.exit_code)
