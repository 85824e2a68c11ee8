// End-to-end test of the packaged extension in a real VS Code: installs the .vsix into
// code-server (VS Code in the browser), opens a workspace with a Markdown prompt, drives it from
// headless Chromium with playwright-core and checks that the language server's hover card,
// a misuse squiggle in the Problems panel, a quick fix and a completion all appear. Screenshots
// go to --out. Prints one JSON line of results; exits 1 when a check fails.
//
//   node e2e/run.mjs --vsix powerwords.vsix --server-python /path/to/python --out artifacts \
//       [--expect-daily "Function calling"] [--chromium /usr/bin/chromium] [--keep]

import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CODE_SERVER = path.join(HERE, "node_modules", ".bin", "code-server");

const { values: opts } = parseArgs({
  options: {
    vsix: { type: "string" },
    "server-python": { type: "string" },
    out: { type: "string", default: path.join(HERE, "artifacts") },
    "expect-daily": { type: "string" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    keep: { type: "boolean", default: false },
    trace: { type: "boolean", default: false },
  },
});
if (!opts.vsix || !opts["server-python"]) {
  console.error("usage: node e2e/run.mjs --vsix FILE --server-python PYTHON [--out DIR] [--expect-daily NAME]");
  process.exit(2);
}

// The document the test opens. Line and column numbers below are 1-based, as in Go to Line.
const PROMPT = [
  "# Support assistant",
  "",
  "You answer questions about our billing product and never make stuff up.",
  "",
  "Our latency is 500 requests per second on the new cluster.",
  "",
  "If the model hallucinated a refund policy, say that you do not know.",
  "",
  "",
].join("\n");
const MISUSE = { line: 5, column: 6 }; // inside "latency"
const HOVER = { line: 7, column: 16 }; // inside "hallucinated"
const TYPING_LINE = 8;

const results = { checks: {}, screenshots: [], timings: {} };
const t0 = Date.now();
let codeServer;
let context;
let serverLog = "";
let sandboxRoot;

/** A fresh folder tree for code-server (it writes into XDG folders even for --version). */
function sandbox() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "powerwords-e2e-"));
  const dirs = {};
  for (const name of ["config", "data", "tmp", "user-data", "extensions", "workspace", "browser"]) {
    dirs[name] = path.join(root, name);
    fs.mkdirSync(dirs[name], { recursive: true });
  }
  dirs.root = root;
  return dirs;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitForHttp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const res = await fetch(url);
      if (res.status < 500) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${url} within ${ms / 1000} s\n${serverLog.slice(-3000)}`);
}

async function shot(page, name) {
  const file = path.join(opts.out, `${name}.png`);
  await page.screenshot({ path: file });
  results.screenshots.push(file);
  return file;
}

/** Run one check; on failure keep a screenshot of the moment and stop. */
async function check(page, name, fn) {
  const start = Date.now();
  try {
    results.checks[name] = (await fn()) ?? true;
    results.timings[name] = (Date.now() - start) / 1000;
  } catch (err) {
    results.checks[name] = false;
    results.error = `${name}: ${err instanceof Error ? err.message : String(err)}`;
    if (page) {
      await shot(page, `failed-${name}`).catch(() => {});
    }
    throw err;
  }
}

/** The text of the visible editor lines (Monaco renders spaces as no-break spaces). */
async function editorLines(page) {
  return page.$$eval(".monaco-editor .view-lines .view-line", (els) =>
    els
      .map((e) => ({ top: parseFloat(e.style.top || "0"), text: (e.textContent || "").replace(/\u00a0/g, " ") }))
      .sort((a, b) => a.top - b.top)
      .map((e) => e.text));
}

async function goTo(page, { line, column }) {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden" });
}

/** Run a command from the Command Palette by its title. */
async function runCommand(page, title) {
  await page.keyboard.press("F1");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`>${title}`);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: title }).first().waitFor({ state: "visible" });
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden" });
}

/**
 * Wait for a Markdown preview tab of `file` whose rendered text contains `expected`. A locked
 * preview's tab reads "[Preview] <file>", an ordinary one "Preview <file>".
 */
async function previewText(page, file, expected, tabPrefix = "Preview] ") {
  await page.locator(".tabs-container .tab", { hasText: `${tabPrefix}${file}` }).first().waitFor({ state: "visible" });
  const end = Date.now() + 30000;
  while (Date.now() < end) {
    // The preview is a webview: its content lives in a nested frame.
    for (const frame of page.frames()) {
      const text = await frame.evaluate(() => document.body?.innerText ?? "").catch(() => "");
      if (text.includes(expected) && frame !== page.mainFrame()) {
        return text;
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no Markdown preview of ${file} showing '${expected}'`);
}

/** Write code-server user settings: `extra` over a quiet, motionless workbench. */
function writeSettings(userDataDir, extra) {
  const userDir = path.join(userDataDir, "User");
  fs.mkdirSync(userDir, { recursive: true });
  fs.writeFileSync(path.join(userDir, "settings.json"), JSON.stringify({
    ...extra,
    "workbench.reduceMotion": "on",
    "workbench.colorTheme": "Default Light Modern",
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.welcomePage.walkthroughs.openOnInstall": false,
    "workbench.enableExperiments": false,
    "workbench.editor.enablePreview": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "extensions.ignoreRecommendations": true,
    "update.mode": "none",
    "chat.commandCenter.enabled": false,
    "editor.minimap.enabled": false,
    "editor.hover.delay": 200,
    "git.enabled": false,
    ...(opts.trace ? { "powerwords.trace.server": "verbose" } : {}),
  }, null, 2));
}

/** Start code-server on a free loopback port; resolves with the port once it answers. */
async function startCodeServer(userDataDir, extensionsDir, workspace, env) {
  const port = await freePort();
  const proc = spawn(CODE_SERVER, [
    "--bind-addr", `127.0.0.1:${port}`, "--auth", "none",
    "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
    "--disable-getting-started-override",
    "--user-data-dir", userDataDir, "--extensions-dir", extensionsDir,
    workspace,
  ], { env, stdio: ["ignore", "pipe", "pipe"] });
  proc.stdout.on("data", (d) => (serverLog += d));
  proc.stderr.on("data", (d) => (serverLog += d));
  codeServer = {
    async stop() {
      if (proc.exitCode !== null) {
        return;
      }
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (proc.exitCode === null) {
        proc.kill("SIGKILL");
      }
    },
  };
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60000);
  return port;
}

/** Load the workbench on `workspace` and wait until the Explorer lists its files. */
async function openWorkbench(page, port, workspace) {
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator(".monaco-workbench").waitFor({ state: "visible", timeout: 90000 });
  await page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ state: "visible", timeout: 60000 });
}

/** Open prompt.md from the Explorer (a double click opens it for good) and focus its editor. */
async function openPrompt(page) {
  await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "prompt.md" }).dblclick();
  await page.locator(".monaco-editor .view-lines").first().waitFor({ state: "visible" });
  await page.locator(".tabs-container .tab.active", { hasText: "prompt.md" }).waitFor({ state: "visible" });
  await page.locator(".monaco-editor .view-lines").first().click();
}

async function main() {
  fs.mkdirSync(opts.out, { recursive: true });
  for (const f of fs.readdirSync(opts.out)) {
    if (f.endsWith(".png")) {
      fs.rmSync(path.join(opts.out, f));
    }
  }
  const dirs = sandbox();
  sandboxRoot = dirs.root;
  // PATH without any `powerwords`, so that the last check meets a machine with no server.
  const pathDirs = (process.env.PATH ?? "").split(path.delimiter)
    .filter((d) => d && !fs.existsSync(path.join(d, "powerwords")));
  const env = {
    ...process.env,
    PATH: pathDirs.join(path.delimiter),
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    TMPDIR: dirs.tmp,
  };

  // 1. Install the packaged extension, the way a user does.
  let start = Date.now();
  const install = spawnSync(CODE_SERVER, [
    "--user-data-dir", dirs["user-data"], "--extensions-dir", dirs.extensions,
    "--install-extension", path.resolve(opts.vsix), "--force",
  ], { env, encoding: "utf8", timeout: 120000 });
  results.timings.install = (Date.now() - start) / 1000;
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    throw new Error(`installing ${opts.vsix} failed:\n${install.stdout}\n${install.stderr}`);
  }
  results.checks.installed = true;

  // 2. User settings: the server of this checkout, and a quiet, motionless workbench.
  writeSettings(dirs["user-data"], { "powerwords.server.command": [opts["server-python"], "-m", "powerwords", "lsp"] });
  fs.writeFileSync(path.join(dirs.workspace, "prompt.md"), PROMPT);

  // 3. code-server on the loopback address only, without a password.
  start = Date.now();
  const port = await startCodeServer(dirs["user-data"], dirs.extensions, dirs.workspace, env);
  results.timings.codeServerStart = (Date.now() - start) / 1000;

  // 4. Debian's Chromium, headless, on a fresh profile.
  context = await chromium.launchPersistentContext(dirs.browser, {
    executablePath: opts.chromium,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run",
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(30000);
  start = Date.now();
  await openWorkbench(page, port, dirs.workspace);
  results.timings.workbench = (Date.now() - start) / 1000;

  // 5. Open the prompt (this activates the extension, which starts the server).
  await check(page, "opened", () => openPrompt(page));

  // 6. The misuse shows up as a squiggle and in the Problems panel (server start included).
  await check(page, "problems", async () => {
    await page.locator(".monaco-editor .squiggly-warning").first().waitFor({ state: "visible", timeout: 90000 });
    await page.keyboard.press("Control+Shift+M");
    const row = page.locator(".markers-panel .monaco-list-row", { hasText: "Latency is a duration for one request" });
    await row.first().waitFor({ state: "visible", timeout: 30000 });
    const rows = await page.locator(".markers-panel .monaco-list-row").allTextContents();
    await shot(page, "problems");
    return rows.map((r) => r.replace(/\s+/g, " ").trim()).filter(Boolean);
  });

  // 7. Hover over "hallucinated": the hallucination card.
  await check(page, "hover", async () => {
    await page.locator(".monaco-editor .view-lines").first().click();
    await goTo(page, HOVER);
    await page.keyboard.press("Control+K");
    await page.keyboard.press("Control+I");
    const hover = page.locator(".monaco-hover:visible", { hasText: "Memory trick" });
    await hover.first().waitFor({ state: "visible" });
    const text = (await hover.first().innerText()).replace(/\s+/g, " ");
    if (!/hallucination/.test(text) || !/When to use it/.test(text)) {
      throw new Error(`the hover is not the hallucination card: ${text.slice(0, 300)}`);
    }
    await page.waitForTimeout(300); // let the hover's fonts settle before the picture
    await shot(page, "hover-window");
    // The picture for the README: the editor with the card over it.
    const editor = await page.locator(".part.editor").boundingBox();
    const card = await hover.first().boundingBox();
    if (editor && card) {
      const x = Math.max(0, editor.x);
      const y = Math.max(0, editor.y);
      const file = path.join(opts.out, "hover.png");
      await page.screenshot({
        path: file,
        clip: { x, y, width: editor.width, height: Math.max(card.y + card.height + 16, editor.y + 200) - y },
      });
      results.screenshots.push(file);
    }
    await page.keyboard.press("Escape");
    return text.slice(0, 200);
  });

  // 8. Quick fix on the misuse: "Replace with 'throughput'" is offered and applied.
  await check(page, "quickFix", async () => {
    await goTo(page, MISUSE);
    await page.keyboard.press("Control+.");
    const widget = page.locator(".action-widget");
    await widget.locator(".monaco-list-row", { hasText: "Replace with 'throughput'" }).first().waitFor({ state: "visible" });
    const offered = (await widget.locator(".monaco-list-row").allTextContents()).map((t) => t.trim()).filter(Boolean);
    await shot(page, "quick-fix");
    // The preferred fix is focused; Enter applies it (the widget's overlay swallows clicks).
    const focused = (await widget.locator(".monaco-list-row.focused").first().innerText()).trim();
    if (focused !== "Replace with 'throughput'") {
      throw new Error(`the preferred quick fix is '${focused}'`);
    }
    await page.keyboard.press("Enter");
    await page.waitForFunction(() =>
      [...document.querySelectorAll(".monaco-editor .view-lines .view-line")]
        .some((e) => (e.textContent || "").replace(/\u00a0/g, " ").startsWith("Our throughput is 500")));
    const fixed = (await editorLines(page)).find((l) => l.startsWith("Our throughput"));
    return { offered, fixed };
  });

  // 9. Completion while typing (no Ctrl+Space): "halluc" offers the power word.
  await check(page, "completion", async () => {
    await goTo(page, { line: TYPING_LINE, column: 1 });
    await page.keyboard.type("Models can halluc", { delay: 60 });
    const widget = page.locator(".suggest-widget");
    // "hallucination" is not a word of the document, so only the language server offers it.
    await widget.locator(".monaco-list-row", { hasText: "hallucination" }).first().waitFor({ state: "visible" });
    const labels = (await widget.locator(".monaco-list-row .label-name").allTextContents()).map((t) => t.trim());
    await shot(page, "completion");
    await page.keyboard.press("Escape");
    return labels;
  });

  // 10. Explain Term at Cursor: the card in a Markdown preview beside the editor.
  await check(page, "explainTerm", async () => {
    await goTo(page, HOVER);
    await runCommand(page, "Power Words: Explain Term at Cursor");
    const text = await previewText(page, "hallucination.md", "Memory trick");
    await shot(page, "explain-term");
    return text.slice(0, 120);
  });

  // 11. Show Glossary: the Explorer view with categories, then terms.
  await check(page, "glossary", async () => {
    await runCommand(page, "Power Words: Show Glossary");
    const view = page.locator(".pane", { has: page.locator(".pane-header", { hasText: "Power Words Glossary" }) });
    const category = view.locator(".monaco-list-row", { hasText: "Retrieval and Knowledge" });
    await category.first().waitFor({ state: "visible" });
    // Fold the file list away so the glossary has the height of the side bar.
    await page.locator(".pane-header", { hasText: "Workspace" }).first().click();
    await category.first().click();
    const term = view.locator(".monaco-list-row[aria-level='2']", { hasText: "hallucination" });
    await term.first().waitFor({ state: "visible" });
    const rows = (await view.locator(".monaco-list-row").allInnerTexts()).map((t) => t.replace(/\s+/g, " ").trim());
    // Clicking a term opens its card; close the earlier one so this preview is a new one.
    await page.locator(".tabs-container .tab", { hasText: "hallucination.md" }).locator(".codicon-close").click();
    await term.first().click();
    await previewText(page, "hallucination.md", "Memory trick");
    await shot(page, "glossary");
    return rows;
  });

  // 12. The term of the day in the status bar; a click opens its card.
  await check(page, "termOfTheDay", async () => {
    const texts = (await page.locator(".statusbar-item").allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    const name = opts["expect-daily"];
    if (!name) {
      return texts;
    }
    const item = page.locator(".statusbar-item", { hasText: name });
    await item.first().waitFor({ state: "visible" });
    await item.first().click();
    await previewText(page, `${name}.md`, name);
    return texts;
  });
  // 13. A setting changed in the Settings editor reaches the running server: switching weak
  // phrases off removes their hints from the Problems panel.
  await check(page, "settingApplied", async () => {
    const weakRows = page.locator(".markers-panel .monaco-list-row", { hasText: "Stronger vocabulary" });
    const before = await weakRows.count();
    if (before === 0) {
      throw new Error("no weak-phrase hints to switch off");
    }
    await runCommand(page, "Preferences: Open User Settings");
    const search = page.locator(".settings-editor .suggest-input-container .monaco-editor textarea, .settings-editor .search-container textarea").first();
    await search.waitFor({ state: "visible" });
    await search.focus();
    await page.keyboard.type("powerwords.diagnostics.weakPhrases");
    const item = page.locator(".settings-editor .setting-item-bool", { hasText: "Show hints for weak phrasings" });
    await item.first().waitFor({ state: "visible" });
    await item.first().locator(".setting-value-checkbox").click();
    await page.waitForFunction(() =>
      ![...document.querySelectorAll(".markers-panel .monaco-list-row")]
        .some((r) => (r.textContent || "").includes("Stronger vocabulary")));
    await shot(page, "setting-applied");
    return { weakHintsBefore: before, weakHintsAfter: await weakRows.count() };
  });

  await check(page, "noErrorNotifications", async () => {
    const toasts = (await page.locator(".notifications-toasts .notification-toast").allInnerTexts())
      .map((t) => t.replace(/\s+/g, " ").trim());
    const ours = toasts.filter((t) => /power ?words/i.test(t));
    if (ours.length) {
      throw new Error(`notifications: ${ours.join(" | ")}`);
    }
    return toasts;
  });

  // 14. A machine with no server (no setting, no Python extension, nothing on PATH), in a second
  // code-server with its own user settings: one notification that says how to install the
  // server, whose button opens the instructions.
  await check(page, "serverMissing", async () => {
    await codeServer.stop();
    const userData = path.join(dirs.root, "user-data-no-server");
    writeSettings(userData, {});
    const port2 = await startCodeServer(userData, dirs.extensions, dirs.workspace, env);
    await openWorkbench(page, port2, dirs.workspace);
    await openPrompt(page);
    const toast = page.locator(".notifications-toasts .notification-toast", { hasText: "language server was not found" });
    await toast.first().waitFor({ state: "visible", timeout: 60000 });
    await page.waitForTimeout(3000); // time for any further message to arrive
    const toasts = (await page.locator(".notifications-toasts .notification-toast").allInnerTexts())
      .map((t) => t.replace(/\s+/g, " ").trim());
    const ours = toasts.filter((t) => /power ?words/i.test(t));
    if (ours.length !== 1) {
      throw new Error(`expected one Power Words notification, got ${ours.length}: ${ours.join(" | ")}`);
    }
    const buttons = (await toast.first().locator(".monaco-button").allInnerTexts()).map((t) => t.trim());
    await shot(page, "server-missing");
    await toast.first().locator(".monaco-button", { hasText: "Installation Instructions" }).click();
    await previewText(page, "README.md", "Installing the server", "Preview ");
    return { notification: ours[0], buttons };
  });
}

let failed = false;
try {
  await main();
} catch (err) {
  failed = true;
  results.error ??= err instanceof Error ? err.stack : String(err);
} finally {
  results.timings.total = (Date.now() - t0) / 1000;
  await context?.close().catch(() => {});
  await codeServer?.stop();
  fs.writeFileSync(path.join(opts.out, "code-server.log"), serverLog);
  if (sandboxRoot && !opts.keep) {
    fs.rmSync(sandboxRoot, { recursive: true, force: true });
  }
}
console.log(JSON.stringify(results));
process.exit(failed ? 1 : 0);
