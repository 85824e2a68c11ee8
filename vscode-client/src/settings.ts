/**
 * The extension's settings and the settings the server takes (the keys of `.powerwords.yaml`:
 * `enable`, `disable`, `severity`, `term_dirs`, `max_document_size`). Only values that differ from the server's defaults
 * are sent, because the server lays client settings over a project's `.powerwords.yaml`: sending
 * a default severity would override the project's own choice. No `vscode` import.
 */

import * as os from "os";
import * as path from "path";

export const SEVERITIES = ["error", "warning", "information", "hint"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the user set under `powerwords.*`, with wrong types replaced by defaults. */
export interface ClientSettings {
  enable: boolean;
  misuses: boolean;
  weakPhrases: boolean;
  misuseSeverity: Severity;
  weakPhraseSeverity: Severity;
  disabledTerms: string[];
  disabledRules: string[];
  termDirectories: string[];
  maxDocumentSize: number;
  completionWhileTyping: boolean;
}

/** The settings object sent as initializationOptions and in workspace/didChangeConfiguration. */
export interface ServerSettings {
  enable?: boolean;
  disable?: string[];
  severity?: Record<string, Severity>;
  term_dirs?: string[];
  max_document_size?: number;
}

export const DEFAULTS: ClientSettings = {
  enable: true,
  misuses: true,
  weakPhrases: true,
  misuseSeverity: "warning",
  weakPhraseSeverity: "information",
  disabledTerms: [],
  disabledRules: [],
  termDirectories: [],
  maxDocumentSize: 2000000,
  completionWhileTyping: true,
};

/** Read the settings through `get(key)` (a key below `powerwords.`), tolerating bad values. */
export function readSettings(get: (key: string) => unknown): ClientSettings {
  const bool = (key: string, fallback: boolean) => {
    const v = get(key);
    return typeof v === "boolean" ? v : fallback;
  };
  const severity = (key: string, fallback: Severity): Severity => {
    const v = get(key);
    return typeof v === "string" && (SEVERITIES as readonly string[]).includes(v) ? (v as Severity) : fallback;
  };
  const strings = (key: string): string[] => {
    const v = get(key);
    const list = Array.isArray(v) ? v : [];
    return list.filter((s): s is string => typeof s === "string").map((s) => s.trim()).filter(Boolean);
  };
  const positiveInteger = (key: string, fallback: number): number => {
    const v = get(key);
    return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : fallback;
  };
  return {
    enable: bool("enable", DEFAULTS.enable),
    misuses: bool("diagnostics.misuses", DEFAULTS.misuses),
    weakPhrases: bool("diagnostics.weakPhrases", DEFAULTS.weakPhrases),
    misuseSeverity: severity("severity.misuse", DEFAULTS.misuseSeverity),
    weakPhraseSeverity: severity("severity.weakPhrase", DEFAULTS.weakPhraseSeverity),
    disabledTerms: strings("disabledTerms"),
    disabledRules: strings("disabledRules"),
    termDirectories: strings("termDirectories"),
    maxDocumentSize: positiveInteger("maxDocumentSize", DEFAULTS.maxDocumentSize),
    completionWhileTyping: bool("completion.whileTyping", DEFAULTS.completionWhileTyping),
  };
}

/**
 * A term directory as an absolute path: `${workspaceFolder}` and `~` expanded, a relative path
 * taken from the first workspace folder (left relative when there is none: the server then reads
 * it from its working folder).
 */
export function resolveTermDirectory(dir: string, workspaceFolder: string | undefined, home = os.homedir()): string {
  let out = dir;
  if (workspaceFolder) {
    out = out.split("${workspaceFolder}").join(workspaceFolder);
  }
  if (out === "~" || out.startsWith("~/") || out.startsWith("~\\")) {
    out = path.join(home, out.slice(1));
  }
  if (!path.isAbsolute(out) && workspaceFolder) {
    out = path.join(workspaceFolder, out);
  }
  return out;
}

/** The server's settings for these client settings (defaults left out; see the module note). */
export function toServerSettings(settings: ClientSettings, workspaceFolder?: string): ServerSettings {
  const out: ServerSettings = {};
  if (!settings.enable) {
    out.enable = false;
  }
  const disable = [...settings.disabledTerms, ...settings.disabledRules];
  if (!settings.misuses) {
    disable.push("misuse");
  }
  if (!settings.weakPhrases) {
    disable.push("weak-phrase");
  }
  if (disable.length) {
    out.disable = [...new Set(disable)];
  }
  const severity: Record<string, Severity> = {};
  if (settings.misuseSeverity !== DEFAULTS.misuseSeverity) {
    severity["misuse"] = settings.misuseSeverity;
  }
  if (settings.weakPhraseSeverity !== DEFAULTS.weakPhraseSeverity) {
    severity["weak-phrase"] = settings.weakPhraseSeverity;
  }
  if (Object.keys(severity).length) {
    out.severity = severity;
  }
  if (settings.termDirectories.length) {
    out.term_dirs = [...new Set(settings.termDirectories.map((d) => resolveTermDirectory(d, workspaceFolder)))];
  }
  if (settings.maxDocumentSize !== DEFAULTS.maxDocumentSize) {
    out.max_document_size = settings.maxDocumentSize;
  }
  return out;
}
