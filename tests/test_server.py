"""End to end: the real `powerwords lsp` process driven over stdio by pytest-lsp."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

MISUSE = "During inference the model learns from every customer question."
CODE = "inference/confused-with-training"


def _capabilities(encodings=None) -> types.ClientCapabilities:
    return types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=encodings) if encodings else None,
        text_document=types.TextDocumentClientCapabilities(
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(),
            completion=types.CompletionClientCapabilities(
                completion_item=types.ClientCompletionItemOptions(
                    snippet_support=False, documentation_format=[types.MarkupKind.Markdown])),
            code_action=types.CodeActionClientCapabilities(),
        ),
        workspace=types.WorkspaceClientCapabilities(configuration=True),
        window=types.WindowClientCapabilities(),
    )


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "powerwords", "lsp", "--stdio"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=_capabilities()))
    yield
    await lsp_client.shutdown_session()


async def open_doc(client: LanguageClient, path: Path, text: str, language: str = "markdown"):
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def test_diagnostics_match_the_cli(client: LanguageClient, tmp_path):
    text = "# Notes 😀\r\n\r\n" + MISUSE + "\r\nWe keep running the model.\r\n"
    path = tmp_path / "notes.md"
    path.write_text(text, encoding="utf-8", newline="")
    uri = await open_doc(client, path, text)
    published = [client.protocol._converter.unstructure(d) for d in client.diagnostics[uri]]
    proc = subprocess.run([sys.executable, "-m", "powerwords", "check", "--format", "json",
                           str(path)], capture_output=True, text=True)
    assert published == json.loads(proc.stdout)[0]["diagnostics"]
    assert [d["code"] for d in published] == [CODE, "inference/weak-phrase"]
    assert published[0]["range"]["start"] == {"line": 2, "character": 7}


async def test_hover_shows_the_card(client: LanguageClient, tmp_path):
    text = "Emoji 😀 first, then inferencing here and `inference` in code."
    uri = await open_doc(client, tmp_path / "h.md", text)
    col = len("Emoji 😀 first, then ".encode("utf-16-le")) // 2
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=0, character=col + 3)))
    assert hover is not None
    assert hover.contents.value.startswith("### inference")
    assert hover.range == types.Range(start=types.Position(line=0, character=col),
                                      end=types.Position(line=0, character=col + len("inferencing")))
    in_code = text.index("`inference`") + 3
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=0, character=in_code + 1)))
    assert nothing is None


async def test_incremental_edits_update_diagnostics(client: LanguageClient, tmp_path):
    uri = await open_doc(client, tmp_path / "e.md", "Nothing yet.\n")
    assert list(client.diagnostics[uri]) == []
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=0, character=0),
                              end=types.Position(line=0, character=12)),
            text=MISUSE)]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == [CODE]
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []


async def test_code_actions(client: LanguageClient, tmp_path):
    uri = await open_doc(client, tmp_path / "c.md", "  " + MISUSE + "\n")
    [diag] = client.diagnostics[uri]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
        context=types.CodeActionContext(diagnostics=[diag])))
    titles = [a.title for a in actions]
    assert titles == ["Replace with 'training'", f"Disable {CODE} for this line",
                      f"Disable {CODE} in this file"]
    [edit] = actions[0].edit.changes[uri]
    assert edit.new_text == "training" and edit.range == diag.range
    [edit] = actions[1].edit.changes[uri]
    assert edit.new_text == f"  <!-- powerwords-disable-next-line {CODE} -->\n"


async def test_completion(client: LanguageClient, tmp_path):
    text = "We pay for halu\nThen we keep running the model"
    uri = await open_doc(client, tmp_path / "k.md", text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=1, character=len("Then we keep running the model"))))
    [item] = [i for i in result.items if i.label == "inference"]
    assert item.text_edit.range.start == types.Position(line=1, character=len("Then we keep "))
    assert item.documentation.value.startswith("### inference")


async def test_configuration_change(client: LanguageClient, tmp_path):
    uri = await open_doc(client, tmp_path / "s.md", MISUSE)
    assert [d.code for d in client.diagnostics[uri]] == [CODE]
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"powerwords": {"disable": ["inference"]}}))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(client.diagnostics[uri]) == []
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(
        settings={"powerwords": {"severity": {"misuse": "shout"}}}))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert any("severity.misuse" in m.message for m in client.messages)
    assert [d.code for d in client.diagnostics[uri]] == [CODE]  # defaults carry on


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "powerwords", "lsp"]))
async def utf8_client(lsp_client: LanguageClient):
    result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=_capabilities([types.PositionEncodingKind.Utf8])))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    yield
    await lsp_client.shutdown_session()


async def test_utf8_position_encoding(utf8_client: LanguageClient, tmp_path):
    text = "😀 " + MISUSE
    uri = await open_doc(utf8_client, tmp_path / "u.md", text)
    [diag] = utf8_client.diagnostics[uri]
    assert diag.range.start.character == len("😀 During ".encode("utf-8"))


async def test_commands(client: LanguageClient):
    daily = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="powerwords.termOfTheDay", arguments=["2026-11-27"]))
    again = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="powerwords.termOfTheDay", arguments=["2026-11-27"]))
    assert daily == again and daily["markdown"].startswith(f"### {daily['name']}")
    card = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="powerwords.explainTerm", arguments=["hallucinated"]))
    assert card["id"] == "hallucination"
    glossary = await client.workspace_execute_command_async(types.ExecuteCommandParams(
        command="powerwords.glossary", arguments=[]))
    assert sum(len(c["terms"]) for c in glossary) >= 170
