/**
 * Completions while typing. VS Code's Markdown extension turns `editor.quickSuggestions` off for
 * Markdown; this extension's `configurationDefaults` turn them on for the languages it serves.
 * When the user switches `powerwords.completion.whileTyping` off, the language-specific user
 * setting is written back to "off" (the only way to undo a contributed default), and removed
 * again when they switch it on, unless they have put another value there themselves.
 */

export const LANGUAGES = ["markdown", "plaintext", "prompt", "instructions", "chatagent", "chatmode"];
export const QUICK_SUGGESTIONS_OFF = { other: "off", comments: "off", strings: "off" } as const;

/** The part of vscode.WorkspaceConfiguration this needs (for `editor`, scoped to a language). */
export interface LanguageEditorConfig {
  inspect(key: string): { globalLanguageValue?: unknown } | undefined;
  update(key: string, value: unknown, target: true, overrideInLanguage: true): PromiseLike<void>;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Bring the language-specific `editor.quickSuggestions` user settings in line with `enabled`. */
export async function applyWhileTyping(
  enabled: boolean,
  configFor: (languageId: string) => LanguageEditorConfig,
): Promise<string[]> {
  const changed: string[] = [];
  for (const lang of LANGUAGES) {
    const config = configFor(lang);
    const current = config.inspect("quickSuggestions")?.globalLanguageValue;
    if (!enabled && current === undefined) {
      await config.update("quickSuggestions", { ...QUICK_SUGGESTIONS_OFF }, true, true);
      changed.push(lang);
    } else if (enabled && sameValue(current, QUICK_SUGGESTIONS_OFF)) {
      await config.update("quickSuggestions", undefined, true, true);
      changed.push(lang);
    }
  }
  return changed;
}

/** Completion trigger kinds, as in vscode.CompletionTriggerKind. */
export const TRIGGER_CHARACTER = 1;

/** Whether to drop a completion request: typed-space triggers when completion while typing is off. */
export function dropCompletion(whileTyping: boolean, triggerKind: number): boolean {
  return !whileTyping && triggerKind === TRIGGER_CHARACTER;
}
