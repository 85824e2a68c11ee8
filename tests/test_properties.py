"""Property tests: no text and no sequence of edits crashes the engine or the server, and every
range lies inside the document."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings, strategies as st
from lsprotocol import types
from pytest_lsp import LanguageClient

from powerwords.diagnostics import diagnostics
from powerwords.positions import LineIndex

# Text that is likely to hit terms, Markdown structure and odd characters at once.
PIECES = ["inference", "run inference", " learns ", "the model", "running the model", "`", "```",
          "\n", "\r\n", "\r", "\n\n", "# ", "- ", "> ", "| a | b |\n|---|---|\n", "<!--", "-->",
          "powerwords-disable", "[x](", ")", "https://x.io/", "😀", "é", "\x00", "\t", "---\n",
          "During inference the model learns.", " ", "*", "_", "\\", "<", ">", "?", ".", "\ufeff"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40).map("".join)


def _check_ranges(text: str, diags: list[dict]) -> None:
    index = LineIndex(text)
    last_line = len(index.starts) - 1
    for d in diags:
        for end in ("start", "end"):
            pos = d["range"][end]
            assert 0 <= pos["line"] <= last_line
            line_len = len(text[index.starts[pos["line"]]:index.line_end(pos["line"])]
                           .encode("utf-16-le", "surrogatepass")) // 2
            assert 0 <= pos["character"] <= line_len


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.booleans())
def test_engine_never_crashes_and_ranges_are_inside(engine, text, markdown):
    analysis = engine.analyse(text, markdown)
    for occ in analysis.occurrences + analysis.findings:
        assert 0 <= occ.start < occ.end <= len(text)
    _check_ranges(text, diagnostics(analysis.findings, text))


async def test_server_survives_random_edits(bare_client: LanguageClient, tmp_path):
    client = bare_client
    rnd = random.Random(1234)
    uri = (tmp_path / "fuzz.md").as_uri()
    text = "During inference the model learns.\n"
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="markdown", version=1, text=text)))
    lines = text.split("\n")
    for version in range(2, 202):
        # Random positions, some past the end of the document on purpose.
        sl = rnd.randint(0, len(lines) + 1)
        el = rnd.randint(sl, sl + 2)
        start = types.Position(line=sl, character=rnd.randint(0, 40))
        end = types.Position(line=el, character=rnd.randint(0, 40))
        if (end.line, end.character) < (start.line, start.character):
            start, end = end, start
        new = "".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 4)))
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=start, end=end), text=new)]))
        if version % 20 == 0:
            hover = await client.text_document_hover_async(types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=rnd.randint(0, 5), character=rnd.randint(0, 50))))
            assert hover is None or hover.contents
            await client.text_document_completion_async(types.CompletionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                position=types.Position(line=rnd.randint(0, 5), character=rnd.randint(0, 50))))
    # The server still answers, and its last diagnostics lie inside the final document.
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0)))
    assert client.error is None
