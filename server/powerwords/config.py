"""Project configuration: `.powerwords.yaml`, found by walking up from the checked file.

```yaml
term_dirs: [team-terms]              # extra card folders, relative to this file
disable: [agent, token/equals-word]  # term ids or <term>/<misuse> codes; "weak-phrase" turns hints off
severity:                            # by code, term id, or kind (misuse, weak-phrase)
  weak-phrase: hint                  # error | warning | information | hint | off
include: ["docs/**/*.md"]            # globs relative to this file; default: every file
exclude: ["vendor/**"]
max_document_size: 2000000           # characters; the server checks larger open files in part
```

The language server also takes the same keys from the client (initializationOptions and
workspace/didChangeConfiguration); those are merged over the file's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from .yamlsource import Problem, SourceMap, YamlSourceError, load_file

CONFIG_NAME = ".powerwords.yaml"
SEVERITIES = ("error", "warning", "information", "hint", "off")
KINDS = ("misuse", "weak-phrase")
KEYS = ("term_dirs", "disable", "severity", "include", "exclude", "enable", "max_document_size")
# Above this many characters the language server reads an open document only around edits.
DEFAULT_MAX_DOCUMENT_SIZE = 2_000_000


class ConfigError(Exception):
    """A configuration that cannot be used; carries the problems found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Config:
    """Effective settings for checking a file."""

    term_dirs: tuple[Path, ...] = ()
    disable: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    enable: bool = True
    root: Path | None = None  # the folder globs are relative to
    source: str | None = None  # the file it came from, for messages
    lines: Mapping[str, int] = field(default_factory=dict)  # "disable[2]" -> line, for checks
    max_document_size: int | None = None  # None: DEFAULT_MAX_DOCUMENT_SIZE

    @property
    def document_limit(self) -> int:
        """The size (characters) above which the server checks an open document in part."""
        return DEFAULT_MAX_DOCUMENT_SIZE if self.max_document_size is None else self.max_document_size

    def severity_of(self, code: str, term: str, kind: str) -> str:
        """The severity for a finding: by code, then term, then kind, then the default."""
        for key in (code, term, kind):
            if key in self.severity:
                return self.severity[key]
        return "warning" if kind == "misuse" else "information"

    def is_disabled(self, code: str, term: str, kind: str) -> bool:
        """Whether a finding is switched off by `disable` or an `off` severity."""
        if {code, term, kind} & self.disable:
            return True
        return self.severity_of(code, term, kind) == "off"

    def wants(self, path: Path) -> bool:
        """Whether `path` is in scope of the include and exclude globs."""
        if self.root is None or not (self.include or self.exclude):
            return True
        try:
            rel = path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return True
        if self.include and not any(_glob(g).match(rel) for g in self.include):
            return False
        return not any(_glob(g).match(rel) for g in self.exclude)

    def merged(self, other: "Config") -> "Config":
        """These settings with `other`'s laid over them (lists add up, maps are merged)."""
        return replace(
            self,
            term_dirs=self.term_dirs + tuple(d for d in other.term_dirs if d not in self.term_dirs),
            disable=self.disable | other.disable,
            severity={**self.severity, **other.severity},
            include=other.include or self.include,
            exclude=self.exclude + other.exclude,
            enable=self.enable and other.enable,
            max_document_size=other.max_document_size if other.max_document_size is not None
            else self.max_document_size,
        )

    def check_ids(self, known_terms: Mapping[str, Any]) -> list[Problem]:
        """Problems for disabled or re-rated ids that name no term or misuse of the pack."""
        problems = []
        names = [(f"disable[{i}]", x) for i, x in enumerate(sorted(self.disable))]
        names += [(f"severity.{x}", x) for x in self.severity]
        for where, name in names:
            if name in KINDS:
                continue
            term, _, misuse = name.partition("/")
            card = known_terms.get(term)
            if card is None:
                problems.append(Problem(self.source or "settings", self.lines.get(name), where,
                                        f"unknown term '{term}'"))
            elif misuse and misuse != "weak-phrase" and card.misuse(misuse) is None:
                problems.append(Problem(self.source or "settings", self.lines.get(name), where,
                                        f"'{term}' has no misuse '{misuse}'"))
        return problems


def _glob(pattern: str) -> re.Pattern[str]:
    """A glob with `**` (any folders), `*` and `?` as a regex over a relative posix path."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def from_mapping(data: Any, source: str, root: Path | None, sm: SourceMap | None = None) -> Config:
    """Check settings given as a mapping (file or client); raise ConfigError on any problem."""
    problems: list[Problem] = []

    def fail(path: tuple, message: str) -> None:
        if sm is not None:
            problems.append(sm.problem(path, message))
        else:
            problems.append(Problem(source, None, ".".join(map(str, path)) or None, message))

    if data is None:
        data = {}
    if not isinstance(data, dict):
        fail((), "the configuration must be a mapping of settings")
        raise ConfigError(problems)
    for key in data:
        if key not in KEYS:
            fail((key,), f"unknown setting (known: {', '.join(KEYS)})")

    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            fail((key,), "must be a list of strings")
            return ()
        return tuple(value)

    lines: dict[str, int] = {}
    disable = strings("disable")
    if sm is not None:
        for i, name in enumerate(disable):
            lines[name] = sm.line(("disable", i)) or 0
    severity: dict[str, str] = {}
    raw_sev = data.get("severity") or {}
    if not isinstance(raw_sev, dict):
        fail(("severity",), "must be a mapping from code, term or kind to a severity")
    else:
        for key, value in raw_sev.items():
            if value not in SEVERITIES:
                fail(("severity", key), f"must be one of {', '.join(SEVERITIES)} (got {value!r})")
            else:
                severity[str(key)] = value
                if sm is not None:
                    lines[str(key)] = sm.line(("severity", key)) or 0
    enable = data.get("enable", True)
    if not isinstance(enable, bool):
        fail(("enable",), "must be true or false")
        enable = True
    limit = data.get("max_document_size")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        fail(("max_document_size",), f"must be a whole number of characters above 0 (got {limit!r})")
        limit = None
    dirs = []
    for name in strings("term_dirs"):
        path = Path(name).expanduser()
        dirs.append(path if path.is_absolute() or root is None else root / path)
    config = Config(tuple(dirs), frozenset(disable), severity, strings("include"),
                    strings("exclude"), enable, root, source, lines, limit)
    if problems:
        raise ConfigError(problems)
    return config


def load_config(path: Path) -> Config:
    """Load one `.powerwords.yaml`; raise ConfigError naming the file, line and key."""
    try:
        sm = load_file(path)
    except YamlSourceError as exc:
        raise ConfigError([exc.problem]) from None
    return from_mapping(sm.data, str(path), path.parent, sm)


def find_config(start: Path) -> Path | None:
    """The nearest `.powerwords.yaml` in `start`'s folder or any folder above it."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.resolve().parents]:
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None
