"""Protocol edge cases against the real `powerwords lsp` process: unknown documents, positions
out of range, cancellation, the shutdown/exit lifecycle, and clients that skip a step."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidRequest
from pytest_lsp import ClientServerConfig, LanguageClient

from test_server import CODE, MISUSE, _capabilities, open_doc

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "powerwords", "lsp"])


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=_capabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest_lsp.fixture(config=SERVER)
async def raw(lsp_client: LanguageClient):
    """A client that has not initialized: each test drives the lifecycle itself."""
    yield
    if lsp_client._server.returncode is None:  # a failed test left it running
        lsp_client._server.kill()


def _doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


def _at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


async def _ask_everything(client: LanguageClient, uri: str, pos: types.Position):
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=_doc(uri), position=pos))
    completion = await client.text_document_completion_async(types.CompletionParams(
        text_document=_doc(uri), position=pos))
    diag = types.Diagnostic(range=types.Range(start=pos, end=pos), message="x",
                            source="powerwords", code=CODE,
                            data={"replacements": ["training"]})
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=_doc(uri), range=types.Range(start=pos, end=pos),
        context=types.CodeActionContext(diagnostics=[diag])))
    return hover, completion, actions


async def test_unknown_and_closed_documents_get_empty_answers(client: LanguageClient, tmp_path):
    on_disk = tmp_path / "never-opened.md"
    on_disk.write_text(MISUSE)
    for uri in (on_disk.as_uri(), (tmp_path / "missing.md").as_uri(), "untitled:Untitled-1"):
        hover, completion, actions = await _ask_everything(client, uri, _at(0, 10))
        assert hover is None and not completion.items and not actions
    uri = await open_doc(client, tmp_path / "closed.md", MISUSE)
    hover, _, actions = await _ask_everything(client, uri, _at(0, 10))
    assert hover is not None and actions  # open: real answers
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=_doc(uri)))
    hover, completion, actions = await _ask_everything(client, uri, _at(0, 10))
    assert hover is None and not completion.items and not actions


async def test_positions_past_the_end(client: LanguageClient, tmp_path):
    text = "We run inference\n\nDuring inference"
    uri = await open_doc(client, tmp_path / "p.md", text)
    # Past the end of a line means the end of that line (just after "inference").
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=_doc(uri), position=_at(0, 500)))
    assert hover.contents.value.startswith("### inference") and hover.range.end == _at(0, 16)
    hover, completion, actions = await _ask_everything(client, uri, _at(1, 10_000))
    assert hover is None and completion is not None and actions is not None
    # Past the last line means the end of the document (just after the second "inference").
    for pos in (_at(99, 0), _at(99, 99), _at(2**31 - 1, 2**31 - 1)):
        hover, completion, actions = await _ask_everything(client, uri, pos)
        assert hover.range == types.Range(start=_at(2, 7), end=_at(2, 16))
        assert completion is not None and actions is not None
    # An edit past the end of the last line appends to it (pygls alone puts it one short,
    # which would split "inferenc|e" and lose the finding).
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=_at(2, 999), end=_at(2, 999)),
            text=" learns from every customer question.")]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    [diag] = client.diagnostics[uri]
    assert diag.code == CODE and diag.range == types.Range(start=_at(2, 7), end=_at(2, 16))


async def test_cancelled_requests_are_answered_and_the_server_goes_on(client: LanguageClient,
                                                                     tmp_path):
    uri = await open_doc(client, tmp_path / "c.md", MISUSE)
    futures = []
    for i in range(20):
        msg_id = f"cancel-me-{i}"
        futures.append(client.protocol.send_request(types.TEXT_DOCUMENT_HOVER, types.HoverParams(
            text_document=_doc(uri), position=_at(0, 10)), msg_id=msg_id))
        client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id=msg_id))
    client.protocol.notify(types.CANCEL_REQUEST, types.CancelParams(id="no-such-request"))
    for future in futures:
        try:
            result = await asyncio.wait_for(asyncio.wrap_future(future), 10)
        except JsonRpcException as exc:  # cancelled before it ran: RequestCancelled
            assert exc.code == types.ErrorCodes.RequestCancelled
        else:
            assert result is None or result.range.start == _at(0, 7)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=_doc(uri), position=_at(0, 10)))
    assert hover.contents.value.startswith("### inference")


async def test_shutdown_then_exit_exits_0_and_refuses_requests_in_between(raw: LanguageClient,
                                                                          tmp_path):
    await raw.initialize_session(types.InitializeParams(capabilities=_capabilities()))
    uri = await open_doc(raw, tmp_path / "s.md", MISUSE)
    assert await raw.shutdown_async(None) is None
    with pytest.raises(JsonRpcInvalidRequest):
        await asyncio.wait_for(raw.text_document_hover_async(types.HoverParams(
            text_document=_doc(uri), position=_at(0, 10))), 10)
    with pytest.raises(JsonRpcInvalidRequest):
        await asyncio.wait_for(raw.shutdown_async(None), 10)
    raw.exit(None)
    assert await asyncio.wait_for(raw._server.wait(), 10) == 0


async def test_exit_without_shutdown_exits_1(raw: LanguageClient):
    await raw.initialize_session(types.InitializeParams(capabilities=_capabilities()))
    raw.exit(None)
    assert await asyncio.wait_for(raw._server.wait(), 10) == 1


async def test_exit_before_initialize_exits_1(raw: LanguageClient):
    raw.exit(None)
    assert await asyncio.wait_for(raw._server.wait(), 10) == 1


async def test_requests_before_initialize_are_refused(raw: LanguageClient, tmp_path):
    raw.capabilities = _capabilities()  # pytest-lsp's own check would stop the request here
    with pytest.raises(JsonRpcException) as refused:
        await asyncio.wait_for(raw.text_document_hover_async(types.HoverParams(
            text_document=_doc((tmp_path / "x.md").as_uri()), position=_at(0, 0))), 10)
    assert refused.value.code == types.ErrorCodes.ServerNotInitialized
    # A notification before initialize is dropped: the document stays unknown.
    raw.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=(tmp_path / "early.md").as_uri(), language_id="markdown", version=1, text=MISUSE)))
    result = await raw.initialize_session(types.InitializeParams(capabilities=_capabilities()))
    assert result.capabilities.hover_provider
    hover = await raw.text_document_hover_async(types.HoverParams(
        text_document=_doc((tmp_path / "early.md").as_uri()), position=_at(0, 10)))
    assert hover is None
    await raw.shutdown_session()
    assert raw._server.returncode == 0


async def test_a_client_that_never_sends_initialized_is_still_served(raw: LanguageClient,
                                                                     tmp_path: Path):
    raw.capabilities = _capabilities()  # what initialize_session would set
    await raw.initialize_async(types.InitializeParams(capabilities=_capabilities()))
    # ... and `initialized` is never sent.
    uri = await open_doc(raw, tmp_path / "n.md", MISUSE)
    assert [d.code for d in raw.diagnostics[uri]] == [CODE]
    hover = await raw.text_document_hover_async(types.HoverParams(
        text_document=_doc(uri), position=_at(0, 10)))
    assert hover.contents.value.startswith("### inference")
    await raw.shutdown_session()
    assert raw._server.returncode == 0
