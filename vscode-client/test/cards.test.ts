import assert from "node:assert/strict";
import { test } from "node:test";

import * as vscode from "vscode";
import { CardDocuments, cardFileName, cardTitle, commandCard, hoverMarkdown } from "../src/cards";
// The stub's records of what would have been shown.
import { executed, failing, shown } from "./vscode-stub";

const CARD = "### context window\n`/KON-tekst WIN-doh/` · *concept*\n\n**The text a model can attend to.**\n";

test("a card's title is its first heading", () => {
  assert.equal(cardTitle(CARD), "context window");
  assert.equal(cardTitle("no heading"), "Power Words card");
  assert.equal(cardFileName("RAG / retrieval?"), "RAG - retrieval-.md");
});

test("hover contents of every LSP shape become Markdown", () => {
  assert.equal(hoverMarkdown({ contents: { kind: "markdown", value: CARD } }), CARD);
  assert.equal(hoverMarkdown({ contents: "plain" }), "plain");
  assert.equal(hoverMarkdown({ contents: [{ language: "text", value: "x" }, "y"] }), "```text\nx\n```\n\ny");
  assert.equal(hoverMarkdown(null), undefined);
  assert.equal(hoverMarkdown({ contents: "  " }), undefined);
});

test("command answers without a card are refused", () => {
  assert.deepEqual(commandCard({ id: "rag", name: "RAG", markdown: CARD }), { name: "RAG", markdown: CARD });
  assert.equal(commandCard(null), undefined);
  assert.equal(commandCard({ name: "RAG" }), undefined);
  assert.equal(commandCard({ name: "RAG", markdown: "" }), undefined);
});

test("cards are served as virtual documents and opened in a locked Markdown preview", async () => {
  const docs = new CardDocuments();
  const changed: string[] = [];
  docs.onDidChange((uri) => changed.push(uri.toString()));
  await docs.show(CARD);
  const last = executed[executed.length - 1];
  assert.equal(last.command, "markdown.showLockedPreviewToSide");
  const uri = last.args[0] as vscode.Uri;
  assert.equal(uri.scheme, "powerwords-card");
  assert.equal(docs.provideTextDocumentContent(uri), CARD);
  docs.put(CARD + "\nmore");
  assert.deepEqual(changed, [uri.toString()], "an open card is refreshed when its text changes");
});

test("without a Markdown preview the card opens as text", async () => {
  failing.add("markdown.showLockedPreviewToSide");
  try {
    await new CardDocuments().show(CARD);
    assert.equal(shown.length, 1);
    assert.equal((shown[0].uri as vscode.Uri).scheme, "powerwords-card");
  } finally {
    failing.delete("markdown.showLockedPreviewToSide");
  }
});
