"""A disk cache that keeps start-up fast: parsed card folders and compiled matching regexes.

Start-up used to be dominated by work that gives the same result every run: parsing about 170
YAML cards, and compiling the two big trie regexes of the term and weak-phrase matchers (Python
compiles a regex in pure Python, about 0.1 s each). Both results are stored under the user's
cache folder and reused while their inputs are unchanged:

- a card folder, keyed by the stat (name, size, modification time) of every card file in it and
  of the modules that parse cards;
- a compiled regex, keyed by its source text, its flags and the Python version. What is stored
  is the bytecode of Python's regex engine, handed back to `_sre.compile`, the same call
  `re.compile` ends with. `_sre` validates that bytecode, and anything unexpected (another
  Python, a damaged file) falls back to a normal compile;
- the prefilter strings of each rule pattern (prefilter.py), keyed by its source.

The folder is `$POWERWORDS_CACHE_DIR`, else `$XDG_CACHE_HOME/powerwords`, else
`~/.cache/powerwords`; `POWERWORDS_CACHE_DIR=off` switches the cache off. Failing to read or
write it never fails a check: the result is then computed as if there were no cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from array import array
from pathlib import Path
from typing import Any, Callable, TypeVar

from . import __version__

T = TypeVar("T")

FORMAT = 2  # bump when what is stored changes shape
# Newest entries kept per kind; older ones are removed (once per process) when one is written.
_KEEP = {"cards": 64, "regex": 64, "rule": 8192}
_pruned: set[str] = set()
_HERE = Path(__file__).resolve().parent
# Modules whose code decides what a loaded card looks like: a change to one of them (in a
# source checkout) must not serve cards parsed by the old code.
_CARD_CODE = ("cards.py", "patterns.py", "yamlsource.py", "forms.py", "cache.py")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off."""
    explicit = os.environ.get("POWERWORDS_CACHE_DIR")
    if explicit:
        return None if explicit.lower() in ("off", "0", "none") else Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "powerwords"


def _digest(*parts: Any) -> str:
    return hashlib.sha256(repr((FORMAT, __version__, sys.version, parts)).encode()).hexdigest()[:32]


def _stat_key(path: Path) -> tuple[str, int, int]:
    st = path.stat()
    return path.name, st.st_size, st.st_mtime_ns


def _read(kind: str, key: str) -> Any:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{kind}-{key}.pickle", "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, unreadable or damaged: compute afresh
        return None


def _write(kind: str, key: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{kind}-{key}.pickle")  # atomic: readers see all or nothing
        if kind not in _pruned:
            _pruned.add(kind)
            entries = sorted(folder.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime_ns)
            for old in entries[:-_KEEP[kind]]:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home or a full disk only costs speed


def _remembered(kind: str, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave when last run for this key (None included)."""
    hit = _read(kind, key)
    if hit is not None:
        return hit[0]
    value = compute()
    _write(kind, key, (value,))  # in a tuple, so that a None result is remembered too
    return value


def cached_folder(folder: Path, files: list[Path], extra: Any, load: Callable[[], T]) -> T:
    """`load()`, or its stored result for this folder while none of its `files` changed.

    `extra` holds anything else the result depends on (such as how strictly it was loaded).
    """
    try:
        stats = [_stat_key(p) for p in files] + [_stat_key(_HERE / m) for m in _CARD_CODE]
    except OSError:
        return load()
    return _remembered("cards", _digest("folder", str(folder.resolve()), stats, extra), load)


def compile_regex(source: str, flags: int = 0, kind: str = "regex") -> re.Pattern[str]:
    """`re.compile(source, flags)`, served from the cache when this regex was compiled before.

    `kind` groups entries for pruning ("regex" for the few big matchers, "rule" for the many
    rule patterns). Raises `re.error` for an invalid regex, as `re.compile` does."""
    stored = _remembered(kind, _digest("regex", source, flags), lambda: _bytecode(source, flags))
    if stored is not None:
        try:
            final_flags, code, groups, groupindex, indexgroup = stored
            import _sre  # the engine behind `re`; see the module docstring
            return _sre.compile(source, final_flags, code.tolist(), groups, groupindex, indexgroup)
        except Exception:
            pass  # another layout of the bytecode: compile normally below
    return re.compile(source, flags)


def cached_prefilter(source: str) -> frozenset[str] | None:
    """The prefilter strings of a rule pattern (prefilter.py), from the cache when known:
    reading them off the parsed regex costs about a millisecond a pattern."""
    from .prefilter import prefilter_strings

    return _remembered("rule", _digest("prefilter", source), lambda: prefilter_strings(source))


def cached_matcher(phrases: list[str], groups: list[int], plurals: bool,
                   build: Callable[[], T]) -> T:
    """A form matcher's trie regex and lookup table (forms.py), from the cache when its
    phrases are the same: building the trie of a pack's two thousand forms costs about 20 ms."""
    return _remembered("regex", _digest("matcher", phrases, groups, plurals), build)


def _bytecode(source: str, flags: int) -> tuple | None:
    """What `re.compile` hands to `_sre.compile`, or None on a Python whose internals differ."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:
        return None
    parsed = _parser.parse(source, flags)  # raises re.error for an invalid regex
    try:
        code = array("I", _compiler._code(parsed, flags))
        indexgroup = [None] * parsed.state.groups
        for name, index in parsed.state.groupdict.items():
            indexgroup[index] = name
        return (flags | parsed.state.flags, code, parsed.state.groups - 1,
                dict(parsed.state.groupdict), tuple(indexgroup))
    except Exception:
        return None
