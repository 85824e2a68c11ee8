import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";

import { expandHome, isExecutableFile, which } from "../src/which";

function tempBin(): { dir: string; exe: string; plain: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pw-which-"));
  const exe = path.join(dir, "powerwords");
  fs.writeFileSync(exe, "#!/bin/sh\n");
  fs.chmodSync(exe, 0o755);
  const plain = path.join(dir, "notes");
  fs.writeFileSync(plain, "not a program\n");
  fs.chmodSync(plain, 0o644);
  fs.mkdirSync(path.join(dir, "folder"));
  return { dir, exe, plain };
}

test("a bare name is found in PATH, in PATH order", () => {
  const a = tempBin();
  const b = tempBin();
  assert.equal(which("powerwords", { pathEnv: [a.dir, b.dir].join(path.delimiter), platform: "linux" }), a.exe);
  assert.equal(which("powerwords", { pathEnv: ["/nonexistent", b.dir].join(path.delimiter), platform: "linux" }), b.exe);
});

test("files without the execute bit, folders and missing names are not executables", () => {
  const a = tempBin();
  assert.equal(which("notes", { pathEnv: a.dir, platform: "linux" }), undefined);
  assert.equal(which("folder", { pathEnv: a.dir, platform: "linux" }), undefined);
  assert.equal(which("nothing-here", { pathEnv: a.dir, platform: "linux" }), undefined);
  assert.equal(which("powerwords", { pathEnv: "", platform: "linux" }), undefined);
  assert.equal(isExecutableFile(a.plain, "linux"), false);
});

test("a path is checked as it is, not looked up in PATH", () => {
  const a = tempBin();
  assert.equal(which(a.exe, { pathEnv: "" }), a.exe);
  assert.equal(which(path.join(a.dir, "missing"), { pathEnv: a.dir }), undefined);
  assert.equal(which(a.plain, { pathEnv: a.dir, platform: "linux" }), undefined);
});

test("~ expands to the home folder", () => {
  assert.equal(expandHome("~", "/home/u"), "/home/u");
  assert.equal(expandHome("~/bin/powerwords", "/home/u"), path.join("/home/u", "bin/powerwords"));
  assert.equal(expandHome("/usr/bin/x", "/home/u"), "/usr/bin/x");
  assert.equal(expandHome("a~b", "/home/u"), "a~b");
});
