/**
 * What to do when the server's connection closes: a server that never finished starting is not
 * restarted (starting again would fail the same way and stack up errors); a server that was
 * running is restarted, at most `maxRestarts` times within `windowMs`, then left stopped.
 * No `vscode` import.
 */

export type CloseDecision = "restart" | "start-failed" | "give-up";

export class RestartPolicy {
  private restarts: number[] = [];
  private running = false;

  constructor(
    private readonly maxRestarts = 4,
    private readonly windowMs = 3 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The server answered `initialize`. */
  started(): void {
    this.running = true;
  }

  /** The connection closed without the client asking: decide what happens next. */
  closed(): CloseDecision {
    if (!this.running) {
      return "start-failed";
    }
    this.running = false;
    const t = this.now();
    this.restarts = this.restarts.filter((r) => t - r < this.windowMs);
    if (this.restarts.length >= this.maxRestarts) {
      return "give-up";
    }
    this.restarts.push(t);
    return "restart";
  }
}
