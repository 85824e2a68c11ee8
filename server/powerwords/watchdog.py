"""A time limit on rule searches, so that no pattern can hang a check or the server.

A regular expression with nested repetition can backtrack for minutes on the wrong sentence
(a bundled rule once took 111 s on a line of 24 comma-separated numbers), and a team's cards
are untrusted input. Python's regex engine cannot be given a deadline, but it does check for
signals as it runs, and an exception raised by a signal handler ends the search.

While an analysis runs, `limits()` keeps a timer ticking every TICK seconds (SIGALRM). A
pattern marks itself as running (`start`/`stop`, a couple of assignments per search); when a
tick finds one pattern running for longer than LIMIT seconds, the handler raises TimeLimit out
of that search. The caller switches the pattern off and logs it. Between searches, and when no
analysis runs, ticks do nothing.

Signals reach only the main thread of a POSIX process: elsewhere (Windows, a worker thread)
searches run without a limit.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

LIMIT = 0.25  # seconds one rule pattern may search one text; a sane one takes microseconds
TICK = 0.05


class TimeLimit(Exception):
    """A rule search ran past LIMIT."""


_depth = 0  # nested limits() in progress
_running: Any = None  # the pattern searching now, if any
_since = 0.0


def available() -> bool:
    """Whether searches can be limited here (POSIX, main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


def _tick(signum: int, frame: Any) -> None:
    if _running is not None and time.monotonic() - _since > LIMIT:
        raise TimeLimit


@contextmanager
def limits() -> Iterator[None]:
    """Limit every rule search made inside the block (nested uses share one timer)."""
    global _depth
    if _depth or not available():
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    previous = signal.signal(signal.SIGALRM, _tick)
    signal.setitimer(signal.ITIMER_REAL, TICK, TICK)
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        signal.setitimer(signal.ITIMER_REAL, 0, 0)
        signal.signal(signal.SIGALRM, previous)


def armed() -> bool:
    """Whether a timer is ticking for the searches made now."""
    return _depth > 0


def start(pattern: Any) -> None:
    """`pattern` starts a search."""
    global _running, _since
    _since = time.monotonic()
    _running = pattern


def stop() -> None:
    """The search ended."""
    global _running
    _running = None
