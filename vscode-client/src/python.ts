/**
 * The Python extension's interpreter for a folder, through its public API when the extension is
 * installed: `environments` (current API), else `settings.getExecutionDetails` (older releases).
 * Only the few members used here are typed.
 */

import * as vscode from "vscode";

interface PythonApi {
  ready?: Promise<void>;
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
    resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
  };
  settings?: {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined;
  };
}

function withTimeout<T>(promise: PromiseLike<T>, ms: number): Promise<T | undefined> {
  return Promise.race([
    Promise.resolve(promise),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms)),
  ]);
}

/** The interpreter path, or undefined (no Python extension, no interpreter, or it did not answer). */
export async function pythonInterpreter(resource: vscode.Uri | undefined, log: (line: string) => void): Promise<string | undefined> {
  const ext = vscode.extensions.getExtension<PythonApi>("ms-python.python");
  if (!ext) {
    return undefined;
  }
  try {
    const api = ext.isActive ? ext.exports : await withTimeout(ext.activate(), 15000);
    if (!api) {
      log("The Python extension did not activate in time; not using its interpreter.");
      return undefined;
    }
    if (api.ready) {
      await withTimeout(api.ready, 15000);
    }
    const envPath = api.environments?.getActiveEnvironmentPath(resource);
    if (envPath && api.environments) {
      const env = await withTimeout(api.environments.resolveEnvironment(envPath), 15000);
      const exe = env?.executable?.uri?.fsPath;
      if (exe) {
        return exe;
      }
    }
    // Older releases: a command line; only a plain interpreter path (no `conda run ...`) fits.
    const exec = api.settings?.getExecutionDetails?.(resource)?.execCommand;
    return exec && exec.length === 1 ? exec[0] : undefined;
  } catch (err) {
    log(`Could not ask the Python extension for its interpreter: ${String(err)}`);
    return undefined;
  }
}
