/**
 * Power Words for VS Code: starts the Power Words language server (hover cards, diagnostics,
 * quick fixes and completions come from it through vscode-languageclient), forwards settings,
 * and adds the term-card commands, the term-of-the-day status bar item and the Glossary view.
 */

import { spawn } from "child_process";
import * as vscode from "vscode";
import {
  CloseAction,
  DidChangeConfigurationNotification,
  DocumentSelector,
  ErrorAction,
  ExecuteCommandRequest,
  Executable,
  HoverRequest,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  State,
  TransportKind,
} from "vscode-languageclient/node";

import { CARD_SCHEME, CardDocuments, commandCard, hoverMarkdown } from "./cards";
import { GlossaryProvider, parseGlossary } from "./glossary";
import { pythonInterpreter } from "./python";
import { applyWhileTyping, dropCompletion, LANGUAGES } from "./quickSuggestions";
import { RestartPolicy } from "./restartPolicy";
import { describe, Resolution, resolveServerCommand } from "./serverCommand";
import { readSettings, ServerSettings, toServerSettings } from "./settings";
import { which } from "./which";

/** Files that are prompts whatever language VS Code gives them. */
const FILE_PATTERNS = ["**/*.prompt", "**/*.prompty", "**/AGENTS.md", "**/CLAUDE.md"];
const INSTALL_BUTTON = "Installation Instructions";
const SETTINGS_BUTTON = "Open Settings";
const OUTPUT_BUTTON = "Show Output";
const RESTART_BUTTON = "Restart Server";

export const DOCUMENT_SELECTOR: DocumentSelector = [
  ...LANGUAGES.flatMap((language) => ["file", "untitled"].map((scheme) => ({ scheme, language }))),
  ...FILE_PATTERNS.map((pattern) => ({ scheme: "file", pattern })),
];

/** Today as YYYY-MM-DD in local time (the day the user sees). */
function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Whether `command args` exits 0 within 20 s (a slow first Python start is normal). */
function succeeds(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      const child = spawn(command, args, { stdio: "ignore", timeout: 20000, windowsHide: true });
      child.on("error", () => resolve(false));
      child.on("exit", (code) => resolve(code === 0));
    } catch {
      resolve(false);
    }
  });
}

class PowerWords implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private missingShown = false;
  private dailyDate: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly output = vscode.window.createOutputChannel("Power Words");
  private readonly cards = new CardDocuments();
  private readonly glossary = new GlossaryProvider();
  private readonly status = vscode.window.createStatusBarItem("powerwords.termOfTheDay", vscode.StatusBarAlignment.Right, 100);

  constructor(private readonly context: vscode.ExtensionContext) {
    this.status.name = "Power Words: Term of the Day";
    this.status.command = "powerwords.showTermOfTheDay";
    this.disposables.push(
      this.output,
      this.status,
      vscode.workspace.registerTextDocumentContentProvider(CARD_SCHEME, this.cards),
      vscode.window.createTreeView("powerwords.glossary", { treeDataProvider: this.glossary, showCollapseAll: true }),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigurationChanged(e)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.sendSettings()),
    );
    const timer = setInterval(() => {
      if (this.dailyDate !== undefined && this.dailyDate !== today()) {
        void this.refreshDaily();
      }
    }, 5 * 60 * 1000);
    this.disposables.push({ dispose: () => clearInterval(timer) });
  }

  log(line: string): void {
    this.output.appendLine(`[${new Date().toLocaleTimeString()}] ${line}`);
  }

  settings() {
    const config = vscode.workspace.getConfiguration("powerwords");
    return readSettings((key) => config.get(key));
  }

  serverSettings(): ServerSettings {
    return toServerSettings(this.settings(), vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  }

  // -- the server ------------------------------------------------------------------------

  /** Find and start the server; a call while a start is under way joins that start. */
  start(): Promise<void> {
    if (!this.starting) {
      this.starting = this.startServer().finally(() => (this.starting = undefined));
    }
    return this.starting;
  }

  private async startServer(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const resolution = await resolveServerCommand({
      setting: vscode.workspace.getConfiguration("powerwords").get("server.command"),
      pythonInterpreter: () => pythonInterpreter(folder?.uri, (line) => this.log(line)),
      which: (name) => which(name),
      succeeds,
    });
    for (const step of resolution.tried) {
      this.log(`Server: tried ${step}`);
    }
    if (!resolution.ok) {
      this.log(`Server not started: ${resolution.message}.`);
      void this.notifyMissing(resolution);
      return;
    }
    this.log(`Server: ${describe(resolution.server)}`);
    const server: Executable = {
      command: resolution.server.command,
      args: resolution.server.args,
      transport: TransportKind.stdio, // the client appends --stdio
      options: folder ? { cwd: folder.uri.fsPath } : undefined,
    };
    const policy = new RestartPolicy();
    const options: LanguageClientOptions = {
      documentSelector: DOCUMENT_SELECTOR,
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      diagnosticCollectionName: "powerwords",
      initializationOptions: this.serverSettings(),
      errorHandler: {
        error: (_error, _message, count) =>
          (count ?? 0) <= 3
            ? { action: ErrorAction.Continue, handled: true }
            : { action: ErrorAction.Shutdown, message: "Power Words: the connection to the server keeps failing; it was stopped. See the output." },
        closed: () => {
          const decision = policy.closed();
          if (decision === "restart") {
            return { action: CloseAction.Restart, message: "The server stopped unexpectedly; restarting it.", handled: true };
          }
          if (decision === "give-up") {
            void this.notifyStopped();
          }
          // A server that never started: starting it again would fail the same way, and the
          // client reports the failed start itself (with a button to the output).
          return { action: CloseAction.DoNotRestart, message: "The server stopped.", handled: true };
        },
      },
      middleware: {
        provideCompletionItem: (document, position, context, token, next) =>
          dropCompletion(this.settings().completionWhileTyping, context.triggerKind)
            ? []
            : next(document, position, context, token),
      },
    };
    const client = new LanguageClient("powerwords", "Power Words", server, options);
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        policy.started();
        void this.refreshViews();
      } else if (e.newState === State.Stopped) {
        this.status.hide();
      }
    });
    try {
      await client.start();
      this.log("Server: running.");
    } catch (err) {
      // vscode-languageclient has already told the user (once) and logged the details.
      this.log(`Server failed to start: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.status.hide();
    this.glossary.set([]);
    if (client) {
      try {
        await client.dispose(5000);
      } catch (err) {
        this.log(`Stopping the server: ${String(err)}`);
      }
    }
  }

  async restart(): Promise<void> {
    this.log("Restarting the server.");
    await this.starting;
    await this.stop();
    this.missingShown = false;
    await this.start();
  }

  /** The running client, or undefined after telling the user why there is none. */
  private async running(): Promise<LanguageClient | undefined> {
    await this.starting;
    const client = this.client;
    if (client?.isRunning()) {
      return client;
    }
    if (client && client.state === State.Starting) {
      try {
        await client.start();
        return client;
      } catch {
        // reported by the client
      }
    }
    if (!client) {
      this.missingShown = false;
      this.log("A command needs the server, which is not running: looking for it again.");
      await this.start();
      if (this.client?.isRunning()) {
        return this.client;
      }
      return undefined;
    }
    const pick = await vscode.window.showErrorMessage("Power Words: the language server is not running.", RESTART_BUTTON, OUTPUT_BUTTON);
    if (pick === RESTART_BUTTON) {
      await this.restart();
    } else if (pick === OUTPUT_BUTTON) {
      this.output.show(true);
    }
    return undefined;
  }

  private async executeServerCommand(command: string, args: unknown[] = []): Promise<unknown> {
    const client = this.client;
    if (!client?.isRunning()) {
      return undefined;
    }
    try {
      return await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
    } catch (err) {
      this.log(`${command} failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  private async notifyMissing(resolution: Extract<Resolution, { ok: false }>): Promise<void> {
    if (this.missingShown) {
      return;
    }
    this.missingShown = true;
    const text = resolution.reason === "setting"
      ? `Power Words: ${resolution.message}. Correct the setting, or clear it to use the Python extension's interpreter or powerwords on PATH.`
      : "Power Words: the language server was not found. Install the powerwords Python package into the Python " +
        "extension's interpreter or onto your PATH, or set powerwords.server.command.";
    const pick = await vscode.window.showErrorMessage(text, INSTALL_BUTTON, SETTINGS_BUTTON);
    if (pick === INSTALL_BUTTON) {
      const readme = await this.readme();
      await vscode.commands.executeCommand("markdown.showPreview", readme).then(undefined, () =>
        vscode.window.showTextDocument(readme));
    } else if (pick === SETTINGS_BUTTON) {
      await vscode.commands.executeCommand("workbench.action.openSettings", "powerwords.server.command");
    }
  }

  /** The extension's README, which says how to install the server (vsce stores it as readme.md). */
  private async readme(): Promise<vscode.Uri> {
    const root = this.context.extensionUri;
    try {
      const entries = await vscode.workspace.fs.readDirectory(root);
      const name = entries.map(([n]) => n).find((n) => n.toLowerCase() === "readme.md");
      if (name) {
        return vscode.Uri.joinPath(root, name);
      }
    } catch (err) {
      this.log(`Cannot list ${root.toString()}: ${String(err)}`);
    }
    return vscode.Uri.joinPath(root, "README.md");
  }

  private async notifyStopped(): Promise<void> {
    const pick = await vscode.window.showErrorMessage(
      "Power Words: the language server stopped 5 times in 3 minutes and was not restarted again.",
      OUTPUT_BUTTON, RESTART_BUTTON);
    if (pick === OUTPUT_BUTTON) {
      this.output.show(true);
    } else if (pick === RESTART_BUTTON) {
      await this.restart();
    }
  }

  // -- settings --------------------------------------------------------------------------

  private onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
    if (e.affectsConfiguration("powerwords.server.command")) {
      void this.restart();
      return;
    }
    if (e.affectsConfiguration("powerwords.completion.whileTyping")) {
      void this.applyWhileTyping();
    }
    if (e.affectsConfiguration("powerwords")) {
      void this.sendSettings();
    }
  }

  async sendSettings(): Promise<void> {
    const client = this.client;
    if (!client?.isRunning()) {
      return;
    }
    const settings = this.serverSettings();
    this.log(`Settings: ${JSON.stringify(settings)}`);
    await client.sendNotification(DidChangeConfigurationNotification.type, { settings });
    await this.refreshViews(); // term directories may have changed the pack
  }

  async applyWhileTyping(): Promise<void> {
    try {
      const changed = await applyWhileTyping(this.settings().completionWhileTyping, (languageId) =>
        vscode.workspace.getConfiguration("editor", { languageId }));
      if (changed.length) {
        this.log(`editor.quickSuggestions updated for: ${changed.join(", ")}`);
      }
    } catch (err) {
      this.log(`Could not update editor.quickSuggestions: ${String(err)}`);
    }
  }

  // -- cards, term of the day, glossary ---------------------------------------------------

  async refreshViews(): Promise<void> {
    await Promise.all([this.refreshDaily(), this.refreshGlossary()]);
  }

  async refreshDaily(): Promise<void> {
    const day = today();
    const card = commandCard(await this.executeServerCommand("powerwords.termOfTheDay", [day]));
    if (!card) {
      this.status.hide();
      return;
    }
    this.dailyDate = day;
    this.status.text = `$(book) ${card.name}`;
    this.status.tooltip = `Power Words term of the day: ${card.name}. Click for its card.`;
    this.status.show();
  }

  async refreshGlossary(): Promise<void> {
    this.glossary.set(parseGlossary(await this.executeServerCommand("powerwords.glossary")));
  }

  async showTermOfTheDay(): Promise<void> {
    if (!(await this.running())) {
      return;
    }
    const card = commandCard(await this.executeServerCommand("powerwords.termOfTheDay", [today()]));
    if (!card) {
      void vscode.window.showInformationMessage("Power Words: the term pack has no terms.");
      return;
    }
    await this.cards.show(card.markdown);
  }

  async openCard(id: unknown): Promise<void> {
    if (typeof id !== "string" || !(await this.running())) {
      return;
    }
    const card = commandCard(await this.executeServerCommand("powerwords.explainTerm", [id]));
    if (card) {
      await this.cards.show(card.markdown);
    } else {
      void vscode.window.showInformationMessage(`Power Words: no card for '${id}'.`);
    }
  }

  async explainAtCursor(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage("Power Words: put the cursor on a word in a document first.");
      return;
    }
    const client = await this.running();
    if (!client) {
      return;
    }
    const { document, selection } = editor;
    let markdown: string | undefined;
    if (selection.isEmpty && vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, document) > 0) {
      // The hover at the cursor is exactly the card of the power word there, multi-word ones too.
      try {
        const params = client.code2ProtocolConverter.asTextDocumentPositionParams(document, selection.active);
        markdown = hoverMarkdown(await client.sendRequest(HoverRequest.type, params));
      } catch (err) {
        this.log(`hover at cursor failed: ${String(err)}`);
      }
    }
    let word = "";
    if (!markdown) {
      const range = selection.isEmpty
        ? document.getWordRangeAtPosition(selection.active, /[\p{L}\p{N}][\p{L}\p{N}'’-]*/u)
        : selection;
      word = range ? document.getText(range).trim() : "";
      if (word) {
        markdown = commandCard(await this.executeServerCommand("powerwords.explainTerm", [word]))?.markdown;
      }
    }
    if (!markdown) {
      void vscode.window.showInformationMessage(word
        ? `Power Words: '${word}' is not a power word.`
        : "Power Words: there is no word at the cursor.");
      return;
    }
    await this.cards.show(markdown);
  }

  async showGlossary(): Promise<void> {
    await vscode.commands.executeCommand("powerwords.glossary.focus");
    if (this.glossary.size === 0 && (await this.running())) {
      await this.refreshGlossary();
    }
  }

  showOutput(): void {
    this.output.show(true);
  }

  dispose(): void {
    for (const d of this.disposables) {
      d.dispose();
    }
  }
}

let instance: PowerWords | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const pw = new PowerWords(context);
  instance = pw;
  context.subscriptions.push(
    pw,
    vscode.commands.registerCommand("powerwords.explainTermAtCursor", () => pw.explainAtCursor()),
    vscode.commands.registerCommand("powerwords.showTermOfTheDay", () => pw.showTermOfTheDay()),
    vscode.commands.registerCommand("powerwords.showGlossary", () => pw.showGlossary()),
    vscode.commands.registerCommand("powerwords.refreshGlossary", () => pw.refreshGlossary()),
    vscode.commands.registerCommand("powerwords.openCard", (id: unknown) => pw.openCard(id)),
    vscode.commands.registerCommand("powerwords.restartServer", () => pw.restart()),
    vscode.commands.registerCommand("powerwords.showOutput", () => pw.showOutput()),
  );
  void vscode.commands.executeCommand("setContext", "powerwords.languages", LANGUAGES);
  await pw.applyWhileTyping();
  // Not awaited: finding the server may wait for the Python extension; activation should not.
  void pw.start();
}

export async function deactivate(): Promise<void> {
  await instance?.stop();
  instance = undefined;
}
