"""A minimal JSON-RPC client for a language server on stdio, for benchmarks.

One thread, no framework: requests are written to the server's stdin with Content-Length
framing and responses are read straight from its stdout (select with a deadline, then os.read),
so a measured latency is the server's time plus a pipe round trip and JSON encoding, not a
test framework's scheduling. Notifications the server sends meanwhile are kept in order; a
request from the server (rare) is answered with a null result so the server never waits on us.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import time
from typing import Any, Callable


class ServerError(RuntimeError):
    """The server exited, timed out, sent malformed data, or answered with an error."""


class LspClient:
    """A language server process and the client end of its stdio connection."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None,
                 stderr_path: str | None = None, timeout: float = 120.0):
        """Start `argv` (e.g. ["powerwords", "lsp"]); `timeout` bounds every wait, in seconds."""
        self.timeout = timeout
        self._stderr = open(stderr_path, "wb") if stderr_path else subprocess.DEVNULL
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self._stderr, env=env, bufsize=0)
        self._out = self.proc.stdout.fileno()  # type: ignore[union-attr]
        self._buf = bytearray()
        self._next_id = 0
        self.notifications: list[tuple[float, dict[str, Any]]] = []

    # -- framing ---------------------------------------------------------------------------

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message, separators=(",", ":")).encode("utf-8")
        data = memoryview(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        try:
            while data:  # an unbuffered write may take only part of a large message
                data = data[self.proc.stdin.write(data):]  # type: ignore[union-attr]
        except BrokenPipeError as exc:
            raise ServerError(f"server closed its input (exit code {self.proc.poll()})") from exc

    def _fill(self, deadline: float) -> None:
        """Read more bytes from the server into the buffer, or raise at the deadline."""
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise ServerError(f"no answer from the server within {self.timeout:.0f} s")
        ready, _, _ = select.select([self._out], [], [], remaining)
        if not ready:
            raise ServerError(f"no answer from the server within {self.timeout:.0f} s")
        chunk = os.read(self._out, 1 << 16)
        if not chunk:
            raise ServerError(f"server exited (exit code {self.proc.wait()})")
        self._buf += chunk

    def _receive(self, deadline: float) -> dict[str, Any]:
        """The next whole message from the server."""
        while True:
            end = self._buf.find(b"\r\n\r\n")
            if end >= 0:
                length = None
                for line in bytes(self._buf[:end]).split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value.strip())
                if length is None:
                    raise ServerError(f"message without Content-Length: {bytes(self._buf[:end])!r}")
                start = end + 4
                if len(self._buf) >= start + length:
                    body = bytes(self._buf[start:start + length])
                    del self._buf[:start + length]
                    return json.loads(body)
            self._fill(deadline)

    def _dispatch(self, message: dict[str, Any]) -> None:
        """Keep a notification; answer a request from the server with null."""
        if "method" in message and "id" in message:
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append((time.perf_counter(), message))

    # -- API -------------------------------------------------------------------------------

    def request(self, method: str, params: Any) -> Any:
        """Send a request and return its result (raises ServerError on an error answer)."""
        self._next_id += 1
        rid = self._next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.perf_counter() + self.timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == rid and "method" not in message:
                if "error" in message:
                    raise ServerError(f"{method}: {message['error']}")
                return message.get("result")
            self._dispatch(message)

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_for(self, method: str, match: Callable[[dict[str, Any]], bool] = lambda p: True
                 ) -> tuple[float, dict[str, Any]]:
        """Wait for a notification `method` whose params satisfy `match`.

        Returns (perf_counter time it was read, params). Notifications already received are
        searched first (and consumed), so nothing that arrived early is missed."""
        for i, (at, message) in enumerate(self.notifications):
            if message["method"] == method and match(message.get("params")):
                del self.notifications[i]
                return at, message.get("params")
        deadline = time.perf_counter() + self.timeout
        while True:
            message = self._receive(deadline)
            if message.get("method") == method and "id" not in message \
                    and match(message.get("params")):
                return time.perf_counter(), message.get("params")
            self._dispatch(message)

    def peak_memory_kib(self) -> int | None:
        """The server's peak resident set (VmHWM from /proc), in KiB; None off Linux."""
        try:
            with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float | None:
        """User + system CPU time the server has used so far (from /proc); None off Linux.

        Clock-tick resolution (usually 10 ms), but unlike wall time it does not grow when other
        work on the machine takes the processor."""
        try:
            with open(f"/proc/{self.proc.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        """shutdown and exit, then make sure the process is gone."""
        try:
            if self.proc.poll() is None:
                self.request("shutdown", None)
                self.notify("exit", None)
                self.proc.stdin.close()  # type: ignore[union-attr]
                self.proc.wait(timeout=10)
        except (ServerError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            if self._stderr is not subprocess.DEVNULL:
                self._stderr.close()

    def __enter__(self) -> "LspClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
