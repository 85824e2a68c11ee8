/** The Glossary view: the server's pack by category, then terms; clicking a term opens its card. */

import * as vscode from "vscode";

export interface GlossaryTerm {
  id: string;
  name: string;
  definition: string;
}

export interface GlossaryCategory {
  category: string;
  terms: GlossaryTerm[];
}

type Node = { kind: "category"; category: GlossaryCategory } | { kind: "term"; term: GlossaryTerm; parent: GlossaryCategory };

/**
 * The `powerwords.glossary` command's answer ([{category, terms: [{id, name, definition}]}]),
 * checked: entries of the wrong shape are dropped rather than shown half-empty.
 */
export function parseGlossary(raw: unknown): GlossaryCategory[] {
  if (!Array.isArray(raw)) {
    return [];
  }
  const out: GlossaryCategory[] = [];
  for (const entry of raw) {
    if (!entry || typeof entry !== "object") {
      continue;
    }
    const { category, terms } = entry as { category?: unknown; terms?: unknown };
    if (typeof category !== "string" || !Array.isArray(terms)) {
      continue;
    }
    const good = terms.filter(
      (t): t is GlossaryTerm =>
        !!t && typeof t === "object" && typeof t.id === "string" && typeof t.name === "string",
    ).map((t) => ({ id: t.id, name: t.name, definition: typeof t.definition === "string" ? t.definition : "" }));
    if (good.length) {
      out.push({ category, terms: good });
    }
  }
  return out.sort((a, b) => a.category.localeCompare(b.category));
}

export class GlossaryProvider implements vscode.TreeDataProvider<Node> {
  private categories: GlossaryCategory[] = [];
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  /** Replace the glossary (after the server started or its term pack changed). */
  set(categories: GlossaryCategory[]): void {
    this.categories = categories;
    this.changed.fire(undefined);
  }

  get size(): number {
    return this.categories.reduce((n, c) => n + c.terms.length, 0);
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      return this.categories.map((category) => ({ kind: "category", category }));
    }
    if (node.kind === "category") {
      return node.category.terms.map((term) => ({ kind: "term", term, parent: node.category }));
    }
    return [];
  }

  getParent(node: Node): Node | undefined {
    return node.kind === "term" ? { kind: "category", category: node.parent } : undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === "category") {
      const item = new vscode.TreeItem(node.category.category, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `category:${node.category.category}`;
      item.description = `${node.category.terms.length}`;
      item.contextValue = "powerwords.category";
      return item;
    }
    const item = new vscode.TreeItem(node.term.name, vscode.TreeItemCollapsibleState.None);
    item.id = `term:${node.term.id}`;
    item.tooltip = node.term.definition || undefined;
    item.contextValue = "powerwords.term";
    item.command = { command: "powerwords.openCard", title: "Open Term Card", arguments: [node.term.id] };
    return item;
  }
}
