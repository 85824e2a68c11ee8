import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";

import { DEFAULTS, readSettings, resolveTermDirectory, toServerSettings } from "../src/settings";

const read = (values: Record<string, unknown>) => readSettings((key) => values[key]);

test("default settings send nothing, so a project's .powerwords.yaml is not overridden", () => {
  assert.deepEqual(read({}), DEFAULTS);
  assert.deepEqual(toServerSettings(read({}), "/ws"), {});
  assert.deepEqual(toServerSettings(read({ "severity.misuse": "warning", "severity.weakPhrase": "information" })), {});
});

test("each setting maps to the server's keys", () => {
  const s = read({
    enable: false,
    "diagnostics.misuses": false,
    "diagnostics.weakPhrases": false,
    "severity.misuse": "error",
    "severity.weakPhrase": "hint",
    disabledTerms: ["agent", " token "],
    disabledRules: ["hallucination/temperature-cure", "agent"],
    termDirectories: ["team-terms"],
    maxDocumentSize: 500000,
  });
  assert.deepEqual(toServerSettings(s, "/ws"), {
    enable: false,
    disable: ["agent", "token", "hallucination/temperature-cure", "misuse", "weak-phrase"],
    severity: { misuse: "error", "weak-phrase": "hint" },
    term_dirs: [path.join("/ws", "team-terms")],
    max_document_size: 500000,
  });
});

test("values of the wrong type fall back to the defaults", () => {
  const s = read({
    enable: "no",
    "severity.misuse": "fatal",
    "severity.weakPhrase": 3,
    disabledTerms: "agent",
    disabledRules: ["ok/rule", 5, "", null],
    termDirectories: {},
    maxDocumentSize: -5,
  });
  assert.equal(s.enable, true);
  assert.equal(s.misuseSeverity, "warning");
  assert.equal(s.weakPhraseSeverity, "information");
  assert.deepEqual(s.disabledTerms, []);
  assert.deepEqual(s.disabledRules, ["ok/rule"]);
  assert.deepEqual(s.termDirectories, []);
  assert.equal(s.maxDocumentSize, DEFAULTS.maxDocumentSize);
  assert.equal(read({ maxDocumentSize: 1.5 }).maxDocumentSize, DEFAULTS.maxDocumentSize);
});

test("term directories: ${workspaceFolder}, ~, relative and absolute", () => {
  assert.equal(resolveTermDirectory("${workspaceFolder}/terms", "/ws", "/home/u"), "/ws/terms");
  assert.equal(resolveTermDirectory("~/cards", "/ws", "/home/u"), path.join("/home/u", "/cards"));
  assert.equal(resolveTermDirectory("cards", "/ws", "/home/u"), path.join("/ws", "cards"));
  assert.equal(resolveTermDirectory("/abs/cards", "/ws", "/home/u"), "/abs/cards");
  assert.equal(resolveTermDirectory("cards", undefined, "/home/u"), "cards");
});

test("the same term directory given twice is sent once", () => {
  const s = read({ termDirectories: ["cards", "${workspaceFolder}/cards"] });
  assert.deepEqual(toServerSettings(s, "/ws").term_dirs, [path.join("/ws", "cards")]);
});
