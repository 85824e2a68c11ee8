"""Watched files end to end: the server registers watchers, reloads a team's cards and the
project config when they change on disk, and keeps the last good version of a broken edit."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest_lsp
import yaml
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from cardfactory import card, write_pack
from test_server import _capabilities

CODE = "team-widget/general"


def _watching_capabilities() -> types.ClientCapabilities:
    caps = _capabilities()
    caps.workspace.did_change_watched_files = types.DidChangeWatchedFilesClientCapabilities(
        dynamic_registration=True, relative_pattern_support=True)
    return caps


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "powerwords", "lsp"]))
async def client(lsp_client: LanguageClient):
    lsp_client.registrations = []  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def on_register(params: types.RegistrationParams) -> None:
        lsp_client.registrations.append(params)  # type: ignore[attr-defined]

    @lsp_client.feature(types.CLIENT_UNREGISTER_CAPABILITY)
    def on_unregister(params: types.UnregistrationParams) -> None:
        return None

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=_watching_capabilities()))
    yield
    await lsp_client.shutdown_session()


def _widget(message: str, definition: str, pattern: str = r"{term} \w+ forever") -> dict:
    rule = {"id": "general", "text": "A general misuse.", "message": message,
            "detect": [{"any": [pattern]}],
            "flagged": ["The widget runs forever."], "clean": ["The widget runs."]}
    other = {"id": "other", "text": "Another misuse.", "message": "Say it better."}
    return card("team-widget", forms=["widget"], misuses=[rule, other], definition=definition)


def _write(tmp_path: Path, widget: dict) -> None:
    write_pack(tmp_path / "team", [widget, card("team-gizmo", forms=["gizmo"]),
                                   card("team-gadget", forms=["gadget"])])


def _project(tmp_path: Path) -> tuple[Path, Path]:
    _write(tmp_path, _widget("Widgets stop.", "A widget, first edition."))
    config = tmp_path / ".powerwords.yaml"
    config.write_text("term_dirs: [team]\n")
    return tmp_path / "team" / "team-widget.yaml", config


async def _changed(client: LanguageClient, *paths: Path) -> None:
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[
        types.FileEvent(uri=p.as_uri(), type=types.FileChangeType.Changed) for p in paths]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def _hover(client: LanguageClient, uri: str) -> str:
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=0, character=6)))
    return hover.contents.value


async def test_card_edits_are_picked_up_and_broken_ones_keep_the_last_good(
        client: LanguageClient, tmp_path):
    card_file, config = _project(tmp_path)
    doc = tmp_path / "notes.md"
    uri = doc.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1,
                                             text="The widget runs forever.")))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [(d.code, d.message) for d in client.diagnostics[uri]] == [(CODE, "Widgets stop.")]
    assert "first edition" in await _hover(client, uri)

    # The server asked to watch the config files and the team folder's cards.
    team_uri = (tmp_path / "team").resolve().as_uri()
    for _ in range(100):  # the registration for the new folder follows the pack's loading
        if team_uri in str(client.registrations):
            break
        await asyncio.sleep(0.05)
    regs = [reg for r in client.registrations for reg in r.registrations]
    assert regs and {reg.method for reg in regs} == {types.WORKSPACE_DID_CHANGE_WATCHED_FILES}
    watched = [w["globPattern"] for w in regs[-1].register_options["watchers"]]
    assert watched == ["**/.powerwords.yaml", {
        "baseUri": team_uri, "pattern": "*.{yaml,yml}"}]

    # Edit the card: new message and definition.
    _write(tmp_path, _widget("Widgets never run forever.", "A widget, second edition."))
    await _changed(client, card_file)
    assert [(d.code, d.message) for d in client.diagnostics[uri]] == [
        (CODE, "Widgets never run forever.")]
    assert "second edition" in await _hover(client, uri)

    # Break it (a pattern that does not compile): the error is shown, the second edition stays.
    _write(tmp_path, _widget("Broken.", "Third.", pattern=r"{term} (unclosed"))
    await _changed(client, card_file)
    errors = [m.message for m in client.messages if str(card_file) in m.message]
    assert errors and ": misuses[0].detect[0].any[0]: pattern does not compile" \
        in errors[-1] and "keeping the last good version" in errors[-1]
    assert f"{card_file}:" in errors[-1]
    assert [(d.code, d.message) for d in client.diagnostics[uri]] == [
        (CODE, "Widgets never run forever.")]
    assert "second edition" in await _hover(client, uri)

    # Not YAML at all: the same.
    card_file.write_text("id: team-widget\nname: [unclosed\n")
    await _changed(client, card_file)
    assert any("invalid YAML" in m.message and str(card_file) in m.message
               for m in client.messages)
    assert "second edition" in await _hover(client, uri)

    # Fixed again: the new version is used.
    _write(tmp_path, _widget("Fixed.", "A widget, fourth edition."))
    await _changed(client, card_file)
    assert [d.message for d in client.diagnostics[uri]] == ["Fixed."]
    assert "fourth edition" in await _hover(client, uri)


async def test_config_edits_are_picked_up_and_a_broken_one_keeps_the_last_good(
        client: LanguageClient, tmp_path):
    _, config = _project(tmp_path)
    uri = (tmp_path / "notes.md").as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1,
                                             text="The widget runs forever.")))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == [CODE]

    config.write_text(yaml.safe_dump({"term_dirs": ["team"], "severity": {CODE: "error"}}))
    await _changed(client, config)
    [diag] = client.diagnostics[uri]
    assert diag.severity == types.DiagnosticSeverity.Error

    config.write_text("term_dirs: [team]\nseverity:\n  team-widget/general: shout\n")
    await _changed(client, config)
    assert any(f"{config}:3: severity.team-widget/general: must be one of" in m.message
               and "keeping the last good version" in m.message for m in client.messages)
    [diag] = client.diagnostics[uri]
    assert diag.severity == types.DiagnosticSeverity.Error  # the last good config

    config.write_text("term_dirs: [team]\ndisable: [team-widget]\n")
    await _changed(client, config)
    assert list(client.diagnostics[uri]) == []
