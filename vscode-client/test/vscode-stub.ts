/**
 * A stand-in for the `vscode` module in unit tests (esbuild aliases `vscode` to this file): the
 * few classes the tested modules construct, with the same shapes, and command/window calls that
 * are recorded so tests can check what would have been shown.
 */

export class EventEmitter<T> {
  private listeners: ((e: T) => void)[] = [];
  readonly event = (listener: (e: T) => void) => {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
  };
  fire(e: T): void {
    for (const l of this.listeners) {
      l(e);
    }
  }
  dispose(): void {
    this.listeners = [];
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  constructor(public label: string, public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static from(parts: { scheme: string; path: string }): Uri {
    return new Uri(parts.scheme, parts.path);
  }
  toString(): string {
    return `${this.scheme}:${encodeURI(this.path)}`;
  }
}

export enum ViewColumn {
  Beside = -2,
}

/** Every executeCommand call; a command listed in `failing` rejects. */
export const executed: { command: string; args: unknown[] }[] = [];
export const failing = new Set<string>();
export const shown: { uri: unknown; options: unknown }[] = [];

export const commands = {
  async executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    executed.push({ command, args });
    if (failing.has(command)) {
      throw new Error(`command '${command}' not found`);
    }
    return undefined;
  },
};

export const workspace = {
  async openTextDocument(uri: unknown) {
    return { uri };
  },
};

export const window = {
  async showTextDocument(doc: { uri: unknown }, options: unknown) {
    shown.push({ uri: doc.uri, options });
  },
};
