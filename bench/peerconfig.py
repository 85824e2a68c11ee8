"""The peer the benchmark compares against: cspell, set up to do Power Words' scanning job.

cspell is a spelling checker: it splits a document into words and looks each one up in its
dictionaries. Here its only dictionary is made from our term pack's forms (every word of every
form, plus the plural spellings our matcher adds to a form's last word), its bundled dictionaries
and default settings are switched off, and its Markdown handling is told to skip what ours skips
(front matter, fenced and inline code, HTML comments, URLs, link destinations). So it reads the
same prose and checks every word of it against the same vocabulary. It reports the words it does
not know (nearly all of them, since the vocabulary is ~700 words) rather than the ones it knows;
`--no-issues` keeps it from printing them, and `maxNumberOfProblems` is raised so that it never
stops early. It does less than we do: single words only, no multi-word phrases, no sense guards,
misuse rules or weak phrasings.

cspell is installed, pinned by bench/peer/package-lock.json, by `bash .ci/setup.d/bench.sh`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from powerwords.forms import _plurals, words
from powerwords.pack import TermPack

PEER_DIR = Path(__file__).resolve().parent / "peer"
CSPELL_BIN = PEER_DIR / "node_modules" / "cspell" / "bin.mjs"
SETUP_HINT = "bash .ci/setup.d/bench.sh"

# What cspell must not read, as our prose masking does not (JavaScript regular expressions).
IGNORE_PATTERNS = {
    "front-matter": r"/(?<![\s\S])---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*$/m",
    "fenced-code": r"/^[ \t]*(`{3,}|~{3,})[\s\S]*?^[ \t]*\1[ \t]*$/gm",
    "inline-code": r"/`[^`\r\n]+`/g",
    "html-comment": r"/<!--[\s\S]*?-->/g",
    "link-destination": r"/(?<=\]\()[^)\s]+/g",
}


def vocabulary(pack: TermPack) -> list[str]:
    """Every word of every form of the pack, with the plurals our matcher adds, lowercased."""
    out: set[str] = set()
    for card in pack.cards.values():
        for form in card.forms:
            parts = words(form)
            out.update(w.lower() for w in parts)
            if parts:
                out.update(p.lower() for p in _plurals(parts[-1]))
    return sorted(out)


def write_config(pack: TermPack, folder: Path) -> Path:
    """Write the dictionary and the cspell config into `folder`; return the config's path."""
    folder.mkdir(parents=True, exist_ok=True)
    words_file = folder / "powerwords-vocabulary.txt"
    words_file.write_text("\n".join(vocabulary(pack)) + "\n", encoding="utf-8")
    config = {
        "version": "0.2",
        "language": "en",
        # No bundled dictionaries, no default patterns or language settings: only ours.
        "loadDefaultConfiguration": False,
        "dictionaryDefinitions": [{"name": "powerwords", "path": f"./{words_file.name}"}],
        "dictionaries": ["powerwords"],
        # cspell stops checking a file after this many problems (200 by default).
        "maxNumberOfProblems": 1_000_000_000,
        "patterns": [{"name": name, "pattern": rx} for name, rx in IGNORE_PATTERNS.items()],
        "ignoreRegExpList": ["Urls", *IGNORE_PATTERNS],
    }
    path = folder / "cspell.json"
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


def node() -> str | None:
    """The node executable, if any."""
    return shutil.which("node")


def installed() -> bool:
    """True when node and the pinned cspell are both there."""
    return node() is not None and CSPELL_BIN.is_file()


def command(config: Path, path: Path, *extra: str) -> list[str]:
    """The cspell command that checks `path` with our config.

    The file's folder is the root: cspell silently skips files outside its root (and reads a
    relative path as relative to it), so both paths are made absolute."""
    path = path.resolve()
    return [node() or "node", str(CSPELL_BIN), "lint", "--config", str(config.resolve()),
            "--root", str(path.parent),
            "--no-config-search", "--no-default-configuration", "--no-progress", "--no-summary",
            "--no-cache", "--no-gitignore", "--no-color", *extra, str(path)]


def timed_command(config: Path, path: Path) -> list[str]:
    """The command the benchmark times: check everything, report nothing, exit 0 unless broken."""
    return command(config, path, "--no-issues", "--no-exit-code")


def node_version() -> str:
    """node's version string."""
    out = subprocess.run([node() or "node", "--version"], capture_output=True, text=True,
                         check=True, timeout=60)
    return out.stdout.strip()


def version() -> str:
    """The installed cspell's version (from its package.json: no need to start node)."""
    meta = json.loads((CSPELL_BIN.parent / "package.json").read_text(encoding="utf-8"))
    return str(meta["version"])


def unknown_words(config: Path, path: Path) -> list[str]:
    """The distinct words cspell reports as not in the vocabulary (a check that it really ran)."""
    out = subprocess.run(command(config, path, "--words-only", "--unique"), capture_output=True,
                         text=True, timeout=300)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"cspell failed (exit {out.returncode}): {out.stderr.strip()[:500]}")
    return out.stdout.split()
