/**
 * Finding an executable the way a shell would: an explicit path is checked as it is, a bare
 * name is looked up in PATH (with PATHEXT on Windows). No `vscode` import, so it is unit-tested.
 */

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface WhichOptions {
  /** The PATH to search (default: process.env.PATH). */
  pathEnv?: string;
  /** Windows executable suffixes (default: process.env.PATHEXT). */
  pathExt?: string;
  /** The platform whose rules apply (default: process.platform). */
  platform?: NodeJS.Platform;
}

/** Whether `file` is a regular file this process may execute. */
export function isExecutableFile(file: string, platform: NodeJS.Platform = process.platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) {
      return false;
    }
    // Windows has no execute bit: the suffix (PATHEXT) decides instead.
    if (platform !== "win32") {
      fs.accessSync(file, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

/** `~` or `~/...` expanded to the home folder; anything else unchanged. */
export function expandHome(p: string, home: string = os.homedir()): string {
  if (p === "~") {
    return home;
  }
  if (p.startsWith("~/") || p.startsWith("~\\")) {
    return path.join(home, p.slice(2));
  }
  return p;
}

/** The absolute path of the executable `name`, or undefined when there is none. */
export function which(name: string, options: WhichOptions = {}): string | undefined {
  const platform = options.platform ?? process.platform;
  const pathMod = platform === "win32" ? path.win32 : path.posix;
  const suffixes = platform === "win32"
    ? ["", ...(options.pathExt ?? process.env.PATHEXT ?? ".EXE;.CMD;.BAT;.COM").split(";").filter(Boolean)]
    : [""];
  const candidates = (base: string) => suffixes.map((s) => base + s);
  const expanded = expandHome(name);
  if (expanded.includes("/") || (platform === "win32" && expanded.includes("\\"))) {
    return candidates(pathMod.resolve(expanded)).find((f) => isExecutableFile(f, platform));
  }
  const dirs = (options.pathEnv ?? process.env.PATH ?? "").split(pathMod.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const found = candidates(pathMod.join(dir, expanded)).find((f) => isExecutableFile(f, platform));
    if (found) {
      return found;
    }
  }
  return undefined;
}
