"""Documents above max_document_size: the server says so once and reads only the beginning and
the paragraphs around edits, instead of freezing on every keystroke."""

from __future__ import annotations

import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from powerwords.document import PartialDocument
from powerwords.engine import Engine

MISUSE = "During inference the model learns from every customer question."
FILLER = "".join(f"Paragraph {i} is plain prose about the weather.\n\n" for i in range(3000))


def codes_at(analysis, text: str) -> list[tuple[str, str]]:
    return [(text[f.start:f.end], f.code) for f in analysis.findings]


def test_partial_document_reads_the_top_and_the_edited_paragraphs(engine: Engine) -> None:
    text = MISUSE + "\n\n" + FILLER + "The tail paragraph.\n"
    doc = PartialDocument(engine, text)
    assert [c for _, c in codes_at(doc.analyse(), doc.text)] == ["inference/confused-with-training"]
    # A misuse typed at the far end is read with its paragraph.
    at = doc.text.index("The tail paragraph.")
    doc.edit(at, at, "Fine-tune the prompt until it works. ")
    found = codes_at(doc.analyse(), doc.text)
    assert ("Fine-tune", "fine-tuning/prompt-iteration") in found
    assert ("inference", "inference/confused-with-training") in found
    # What it reports is what a full check finds in those paragraphs.
    full = {(f.start, f.code) for f in engine.analyse(doc.text).findings}
    assert {(f.start, f.code) for f in doc.analyse().findings} <= full
    # Deleting the misuse again clears it.
    doc.edit(at, at + len("Fine-tune the prompt until it works. "), "")
    assert [c for _, c in codes_at(doc.analyse(), doc.text)] == ["inference/confused-with-training"]


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "powerwords", "lsp"]))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(), initialization_options={"max_document_size": 20_000}))
    yield
    await lsp_client.shutdown_session()


async def test_server_checks_a_large_document_in_part(client: LanguageClient, tmp_path) -> None:
    text = MISUSE + "\n\n" + FILLER + "The tail paragraph.\n"
    uri = (tmp_path / "big.md").as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == ["inference/confused-with-training"]
    [message] = [m.message for m in client.messages if "max_document_size" in m.message]
    assert "big.md" in message and "20,000" in message
    last = text.count("\n")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=last - 1, character=0),
                              end=types.Position(line=last - 1, character=0)),
            text="Fine-tune the prompt until it works. ")]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    diags = client.diagnostics[uri]
    assert [d.code for d in diags] == ["inference/confused-with-training", "fine-tuning/prompt-iteration"]
    assert diags[1].range.start == types.Position(line=last - 1, character=0)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        position=types.Position(line=last - 1, character=2)))
    assert hover is not None and "fine-tuning" in hover.contents.value.lower()
    # Told once, not on every edit.
    assert len([m for m in client.messages if "max_document_size" in m.message]) == 1


def test_max_document_size_is_checked() -> None:
    import pytest

    from powerwords.config import DEFAULT_MAX_DOCUMENT_SIZE, ConfigError, from_mapping
    assert from_mapping({}, "settings", None).document_limit == DEFAULT_MAX_DOCUMENT_SIZE
    assert from_mapping({"max_document_size": 5000}, "settings", None).document_limit == 5000
    for bad in (-1, 0, "big", True, 1.5):
        with pytest.raises(ConfigError, match="max_document_size"):
            from_mapping({"max_document_size": bad}, "settings", None)


async def test_a_ten_megabyte_document_with_default_settings(bare_client: LanguageClient,
                                                             tmp_path) -> None:
    client = bare_client
    paragraph = "Plain prose about the weather, the sea and the hills, nothing more.\n\n"
    text = MISUSE + "\n\n" + paragraph * (10_000_000 // len(paragraph))
    uri = (tmp_path / "huge.md").as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=text)))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == ["inference/confused-with-training"]
    assert any("max_document_size" in m.message and "huge.md" in m.message for m in client.messages)
    last = text.count("\n")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=last, character=0),
                              end=types.Position(line=last, character=0)),
            text="Our latency is 500 requests per second.")]))
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = [(d.code, d.range.start.line) for d in client.diagnostics[uri]]
    assert ("latency/rate-as-latency", last) in codes
