"""Suppression comments and configuration switch findings off."""

from __future__ import annotations

from powerwords.config import Config

MISUSE = "During inference the model learns from every customer question."
CODE = "inference/confused-with-training"


def test_disable_next_line(codes):
    assert codes(MISUSE) == [CODE]
    assert codes(f"<!-- powerwords-disable-next-line -->\n{MISUSE}\n") == []
    assert codes(f"<!-- powerwords-disable-next-line {CODE} -->\n{MISUSE}\n") == []
    assert codes(f"<!-- powerwords-disable-next-line inference -->\r\n{MISUSE}\r\n") == []
    assert codes(f"<!-- powerwords-disable-next-line other-term -->\n{MISUSE}\n") == [CODE]
    # Only the next line.
    assert codes(f"<!-- powerwords-disable-next-line -->\nfine\n\n{MISUSE}\n") == [CODE]


def test_disable_and_enable_regions(codes):
    text = f"<!-- powerwords-disable -->\n\n{MISUSE}\n\n<!-- powerwords-enable -->\n\n{MISUSE}\n"
    assert codes(text) == [CODE]
    text = f"<!-- powerwords-disable inference -->\n\n{MISUSE}\n\n<!-- powerwords-enable inference -->\n\n{MISUSE}\n"
    assert codes(text) == [CODE]
    text = f"<!-- powerwords-disable -->\n\n{MISUSE}\n\n{MISUSE}\n"
    assert codes(text) == []


def test_comment_inside_code_does_not_count(codes):
    text = f"```\n<!-- powerwords-disable -->\n```\n\n{MISUSE}\n"
    assert codes(text) == [CODE]


def test_plain_text_comments(codes):
    assert codes(f"<!-- powerwords-disable-next-line -->\n{MISUSE}\n", markdown=False) == []


def test_config_disable_and_severity(engine):
    assert engine.analyse(MISUSE, True, Config(disable=frozenset({"inference"}))).findings == []
    assert engine.analyse(MISUSE, True, Config(disable=frozenset({CODE}))).findings == []
    [f] = engine.analyse(MISUSE, True, Config(severity={CODE: "error"})).findings
    assert f.severity == "error"
    assert engine.analyse(MISUSE, True, Config(severity={"misuse": "off"})).findings == []
    assert engine.analyse(MISUSE, True, Config(enable=False)).findings == []
