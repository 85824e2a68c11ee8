"""The time limit on rule searches: a runaway pattern is cut off, switched off and logged,
and the timer is gone once the analysis ends."""

from __future__ import annotations

import logging
import signal

from powerwords import watchdog
from powerwords.engine import Engine
from powerwords.pack import load_pack
from powerwords.patterns import compile_pattern


def test_a_runaway_search_is_cut_off_and_switched_off(caplog) -> None:
    slow = compile_pattern(r"(?:\w+-?)+!", where="team.yaml:7: misuses[0].detect[0].any[0]")
    text = "ab-" * 60
    with caplog.at_level(logging.WARNING, logger="powerwords.patterns"):
        with watchdog.limits():
            assert slow.search(text) is None
            assert slow.timed_out
            assert slow.search("ab!") is None  # off for the rest of the run
    assert "team.yaml:7: misuses[0].detect[0].any[0]: pattern took over" in caplog.text
    fresh = compile_pattern(r"(?:\w+-?)+!")
    assert fresh.search("ab-cd!") is not None  # a sane text is no problem for the same shape


def test_the_timer_is_gone_after_an_analysis(engine: Engine) -> None:
    before = signal.getsignal(signal.SIGALRM)
    engine.analyse("During inference the model learns from every customer question.")
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before
    assert not watchdog.armed()


def test_hostile_text_cannot_hang_an_analysis() -> None:
    """Long runs that make some rule patterns backtrack: every search is bounded. (A pack of
    its own: patterns that time out are switched off, which must not leak into other tests.)"""
    engine = Engine(load_pack())
    text = ("The vector database " + "aa-" * 150 + "\n\nOur latency 1" + ",1" * 40 + " zz.\n\n"
            + "Perplexity: " + "1." * 200 + "\n")
    analysis = engine.analyse(text, markdown=False)
    assert analysis.occurrences  # it finished, with the terms found
