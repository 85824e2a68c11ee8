import assert from "node:assert/strict";
import { test } from "node:test";

import { commandFromSetting, describe, ResolveEnvironment, resolveServerCommand } from "../src/serverCommand";

/** An environment with the given executables, Python interpreter and modules importable in it. */
function env(opts: {
  setting?: unknown;
  executables?: Record<string, string>;
  python?: string;
  pythonHasPowerwords?: boolean;
}): ResolveEnvironment & { ran: string[][] } {
  const ran: string[][] = [];
  return {
    ran,
    setting: opts.setting,
    pythonInterpreter: async () => opts.python,
    which: (name) => opts.executables?.[name],
    succeeds: async (command, args) => {
      ran.push([command, ...args]);
      return command === opts.python && args.join(" ") === "-c import powerwords" && !!opts.pythonHasPowerwords;
    },
  };
}

test("a string setting is the powerwords executable, run with lsp", async () => {
  const r = await resolveServerCommand(env({ setting: "/opt/pw/bin/powerwords", executables: { "/opt/pw/bin/powerwords": "/opt/pw/bin/powerwords" } }));
  assert.deepEqual(r.ok && r.server, { command: "/opt/pw/bin/powerwords", args: ["lsp"], source: "setting" });
});

test("an array setting is the whole command line, with the program looked up in PATH", async () => {
  const r = await resolveServerCommand(env({
    setting: ["python3", "-m", "powerwords", "lsp"],
    executables: { python3: "/usr/bin/python3" },
    python: "/venv/bin/python",
    pythonHasPowerwords: true,
  }));
  assert.deepEqual(r.ok && r.server, { command: "/usr/bin/python3", args: ["-m", "powerwords", "lsp"], source: "setting" });
});

test("a configured command that does not exist is reported, with no fallback to another server", async () => {
  const e = env({ setting: "/nowhere/powerwords", executables: { powerwords: "/usr/bin/powerwords" } });
  const r = await resolveServerCommand(e);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, "setting");
  assert.match(!r.ok ? r.message : "", /powerwords\.server\.command runs '\/nowhere\/powerwords'/);
  assert.deepEqual(e.ran, []);
});

test("empty settings fall through to the Python extension's interpreter when it has powerwords", async () => {
  for (const setting of [undefined, "", "   ", [], [""], [1, 2], { command: "x" }]) {
    const r = await resolveServerCommand(env({
      setting,
      python: "/venv/bin/python",
      pythonHasPowerwords: true,
      executables: { powerwords: "/usr/bin/powerwords" },
    }));
    assert.deepEqual(r.ok && r.server, { command: "/venv/bin/python", args: ["-m", "powerwords", "lsp"], source: "python" }, JSON.stringify(setting));
  }
});

test("an interpreter without powerwords gives way to powerwords on PATH", async () => {
  const e = env({ python: "/usr/bin/python3", pythonHasPowerwords: false, executables: { powerwords: "/home/u/.local/bin/powerwords" } });
  const r = await resolveServerCommand(e);
  assert.deepEqual(r.ok && r.server, { command: "/home/u/.local/bin/powerwords", args: ["lsp"], source: "path" });
  assert.deepEqual(e.ran, [["/usr/bin/python3", "-c", "import powerwords"]]);
  assert.match(r.tried[0], /\/usr\/bin\/python3 \(no powerwords module\)/);
});

test("without the Python extension, powerwords on PATH is used", async () => {
  const r = await resolveServerCommand(env({ executables: { powerwords: "/usr/bin/powerwords" } }));
  assert.deepEqual(r.ok && r.server, { command: "/usr/bin/powerwords", args: ["lsp"], source: "path" });
});

test("nothing found: not ok, with every step tried in order", async () => {
  const r = await resolveServerCommand(env({ python: "/usr/bin/python3" }));
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.reason, "not-found");
  assert.deepEqual(r.tried, [
    "the Python extension's interpreter /usr/bin/python3 (no powerwords module)",
    "powerwords on PATH (not found)",
  ]);
});

test("settings are parsed without touching the file system", () => {
  assert.deepEqual(commandFromSetting(" powerwords "), { command: "powerwords", args: ["lsp"] });
  assert.deepEqual(commandFromSetting(["pw", "serve", "--x"]), { command: "pw", args: ["serve", "--x"] });
  assert.equal(commandFromSetting(["pw", 3]), undefined);
  assert.equal(commandFromSetting(null), undefined);
});

test("the command is described for the output channel", () => {
  assert.equal(
    describe({ command: "/my venv/bin/python", args: ["-m", "powerwords", "lsp"], source: "python" }),
    "\"/my venv/bin/python\" -m powerwords lsp (from the Python extension's interpreter)",
  );
});
