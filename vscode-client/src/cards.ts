/**
 * Term cards in VS Code's Markdown preview. The card Markdown comes from the server; it is served
 * as a read-only virtual document (`powerwords-card:` scheme) and shown in a locked preview, so
 * the preview keeps showing the card when the user goes back to their own document.
 */

import * as vscode from "vscode";

export const CARD_SCHEME = "powerwords-card";

/** The card's title: its first Markdown heading (cards start with `### name`). */
export function cardTitle(markdown: string): string {
  const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(markdown);
  return heading ? heading[1] : "Power Words card";
}

/** A file name for the card's virtual document: its title with unsafe characters replaced. */
export function cardFileName(title: string): string {
  const safe = title.replace(/[\\/:*?"<>|#%]+/g, "-").trim();
  return `${safe || "card"}.md`;
}

export class CardDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? "";
  }

  /** The virtual document for this card (created or updated). */
  put(markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: CARD_SCHEME, path: `/${cardFileName(cardTitle(markdown))}` });
    const key = uri.toString();
    const old = this.texts.get(key);
    this.texts.set(key, markdown);
    if (old !== undefined && old !== markdown) {
      this.changed.fire(uri);
    }
    return uri;
  }

  /** Show the card in a Markdown preview beside the editor (as text if there is no preview). */
  async show(markdown: string): Promise<void> {
    const uri = this.put(markdown);
    try {
      await vscode.commands.executeCommand("markdown.showLockedPreviewToSide", uri);
    } catch {
      // The built-in Markdown extension may be disabled: the card is still readable as text.
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true });
    }
  }
}

/** The Markdown of an LSP Hover's contents (MarkupContent, MarkedString or a list of them). */
export function hoverMarkdown(hover: unknown): string | undefined {
  if (!hover || typeof hover !== "object") {
    return undefined;
  }
  const contents = (hover as { contents?: unknown }).contents;
  const one = (c: unknown): string | undefined => {
    if (typeof c === "string") {
      return c;
    }
    if (c && typeof c === "object" && typeof (c as { value?: unknown }).value === "string") {
      const { value, language } = c as { value: string; language?: unknown };
      return typeof language === "string" ? "```" + language + "\n" + value + "\n```" : value;
    }
    return undefined;
  };
  const parts = (Array.isArray(contents) ? contents : [contents]).map(one).filter((s): s is string => !!s?.trim());
  return parts.length ? parts.join("\n\n") : undefined;
}

/** The card Markdown in a `powerwords.explainTerm` / `powerwords.termOfTheDay` answer, if any. */
export function commandCard(result: unknown): { name: string; markdown: string } | undefined {
  if (!result || typeof result !== "object") {
    return undefined;
  }
  const { name, markdown } = result as { name?: unknown; markdown?: unknown };
  if (typeof name !== "string" || typeof markdown !== "string" || !markdown.trim()) {
    return undefined;
  }
  return { name, markdown };
}
