/**
 * Which command starts the Power Words language server. In order: the `powerwords.server.command`
 * setting; the Python extension's interpreter when Power Words is installed in it
 * (`python -m powerwords lsp`); `powerwords lsp` from PATH. No `vscode` import: the editor
 * specifics come in through `ResolveEnvironment`, so the order is unit-tested.
 */

import { expandHome } from "./which";

/** A way to start the server; the language client appends `--stdio` to `args`. */
export interface ServerCommand {
  command: string;
  args: string[];
  /** Where it came from, for the output channel. */
  source: "setting" | "python" | "path";
}

export interface ResolveEnvironment {
  /** The raw value of `powerwords.server.command` (string, array, or anything a user typed). */
  setting: unknown;
  /** The Python extension's interpreter, or undefined (extension missing or no interpreter). */
  pythonInterpreter: () => Promise<string | undefined>;
  /** The absolute path of an executable (a bare name is looked up in PATH), or undefined. */
  which: (name: string) => string | undefined;
  /** Whether `command args` exits with status 0 (used to ask Python for the module). */
  succeeds: (command: string, args: string[]) => Promise<boolean>;
}

export type Resolution =
  | { ok: true; server: ServerCommand; tried: string[] }
  | { ok: false; reason: "setting" | "not-found"; message: string; tried: string[] };

/** The command line of the setting, or undefined when it is empty (or not a command at all). */
export function commandFromSetting(value: unknown): { command: string; args: string[] } | undefined {
  if (typeof value === "string") {
    const program = value.trim();
    return program ? { command: expandHome(program), args: ["lsp"] } : undefined;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) {
    const [program, ...args] = value as string[];
    return program.trim() ? { command: expandHome(program.trim()), args } : undefined;
  }
  return undefined;
}

/** Find the server command, or say why there is none (and what was tried, in order). */
export async function resolveServerCommand(env: ResolveEnvironment): Promise<Resolution> {
  const tried: string[] = [];
  const configured = commandFromSetting(env.setting);
  if (configured) {
    const program = env.which(configured.command);
    if (program) {
      return { ok: true, server: { command: program, args: configured.args, source: "setting" }, tried };
    }
    // The user chose this command: falling back to another server would hide their mistake.
    tried.push(`powerwords.server.command: '${configured.command}' (not found)`);
    return {
      ok: false,
      reason: "setting",
      message: `the setting powerwords.server.command runs '${configured.command}', which was not found`,
      tried,
    };
  }
  const python = await env.pythonInterpreter();
  if (python) {
    if (await env.succeeds(python, ["-c", "import powerwords"])) {
      return { ok: true, server: { command: python, args: ["-m", "powerwords", "lsp"], source: "python" }, tried };
    }
    tried.push(`the Python extension's interpreter ${python} (no powerwords module)`);
  } else {
    tried.push("the Python extension's interpreter (none)");
  }
  const onPath = env.which("powerwords");
  if (onPath) {
    return { ok: true, server: { command: onPath, args: ["lsp"], source: "path" }, tried };
  }
  tried.push("powerwords on PATH (not found)");
  return { ok: false, reason: "not-found", message: "the Power Words language server was not found", tried };
}

/** The command as one line for the output channel. */
export function describe(server: ServerCommand): string {
  const quote = (s: string) => (/[\s"']/.test(s) ? JSON.stringify(s) : s);
  const from = { setting: "powerwords.server.command", python: "the Python extension's interpreter", path: "PATH" };
  return `${[server.command, ...server.args].map(quote).join(" ")} (from ${from[server.source]})`;
}
