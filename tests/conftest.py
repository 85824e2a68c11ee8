"""Shared fixtures: the bundled pack, an engine over it, helpers to analyse text, and a plain
language-server client."""

from __future__ import annotations

import os
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from powerwords.engine import Engine
from powerwords.pack import TermPack, load_pack


@pytest.fixture(scope="session", autouse=True)
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A fresh start-up cache for the run (inherited by the CLI and server subprocesses), so
    tests never touch the user's cache and exercise both the cold and the warm path."""
    os.environ["POWERWORDS_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest_lsp.fixture(config=ClientServerConfig(
    server_command=[sys.executable, "-m", "powerwords", "lsp"]))
async def bare_client(lsp_client: LanguageClient):
    """The real server, initialised by a client that declares no capabilities (the defaults:
    UTF-16 positions, no settings)."""
    await lsp_client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.fixture(scope="session")
def pack() -> TermPack:
    return load_pack()


@pytest.fixture(scope="session")
def engine(pack: TermPack) -> Engine:
    return Engine(pack)


@pytest.fixture
def codes(engine: Engine):
    """codes(text) -> the finding codes the engine reports for a Markdown text."""
    def run(text: str, markdown: bool = True) -> list[str]:
        return [f.code for f in engine.analyse(text, markdown).findings]
    return run


@pytest.fixture
def terms(engine: Engine):
    """terms(text) -> [(matched text, term id)] for every power word found."""
    def run(text: str, markdown: bool = True) -> list[tuple[str, str]]:
        return [(text[o.start:o.end], o.card.id) for o in engine.analyse(text, markdown).occurrences]
    return run


def e2e_required() -> bool:
    """True when end-to-end tools must be present (CI sets POWERWORDS_E2E=required)."""
    return os.environ.get("POWERWORDS_E2E") == "required"


def require_tool(name: str, hint: str) -> str:
    """The path of the executable `name`; skip the test when it is missing, or fail under CI.

    `hint` tells the reader how to install it (e.g. "bash .ci/setup.d/editors.sh").
    """
    path = shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed ({hint})"
    if e2e_required():
        pytest.fail(message + "; POWERWORDS_E2E=required", pytrace=False)
    pytest.skip(message)
