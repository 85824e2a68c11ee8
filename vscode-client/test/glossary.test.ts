import assert from "node:assert/strict";
import { test } from "node:test";

import { GlossaryProvider, parseGlossary } from "../src/glossary";

const RAW = [
  { category: "Risks", terms: [{ id: "hallucination", name: "hallucination", definition: "Fluent but false output." }] },
  {
    category: "Inference",
    terms: [
      { id: "latency", name: "latency", definition: "Time for one request." },
      { id: "throughput", name: "throughput" },
      { id: 3, name: "broken" },
    ],
  },
  { category: "Empty", terms: [] },
  { nothing: true },
  "junk",
];

test("the server's glossary is checked and sorted by category", () => {
  const g = parseGlossary(RAW);
  assert.deepEqual(g.map((c) => c.category), ["Inference", "Risks"]);
  assert.deepEqual(g[0].terms, [
    { id: "latency", name: "latency", definition: "Time for one request." },
    { id: "throughput", name: "throughput", definition: "" },
  ]);
  assert.deepEqual(parseGlossary(null), []);
  assert.deepEqual(parseGlossary({ category: "x" }), []);
});

test("the tree shows categories, then terms that open their card", () => {
  const provider = new GlossaryProvider();
  let changes = 0;
  provider.onDidChangeTreeData(() => changes++);
  provider.set(parseGlossary(RAW));
  assert.equal(changes, 1);
  assert.equal(provider.size, 3);
  const [inference] = provider.getChildren();
  const category = provider.getTreeItem(inference);
  assert.equal(category.label, "Inference");
  assert.equal(category.description, "2");
  assert.equal(category.collapsibleState, 1);
  const terms = provider.getChildren(inference);
  const latency = provider.getTreeItem(terms[0]);
  assert.equal(latency.label, "latency");
  assert.equal(latency.tooltip, "Time for one request.");
  assert.deepEqual(latency.command, { command: "powerwords.openCard", title: "Open Term Card", arguments: ["latency"] });
  assert.deepEqual(provider.getParent(terms[0]), inference);
  assert.deepEqual(provider.getChildren(terms[0]), []);
});
