"""Safe YAML loading that remembers where every value came from.

Term cards and `.powerwords.yaml` are user input: errors must name the file, the line and the
field. PyYAML's safe composer gives us nodes with source marks; we build plain Python values
from them and keep a table from each value's path (``("misuses", 0, "id")``) to its 1-based line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the C composer is much faster, and equally safe
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

PathKey = tuple[Any, ...]


@dataclass
class Problem:
    """One error in user input: where it is and what is wrong."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"


class YamlSourceError(Exception):
    """The file is not valid YAML (or not a mapping); carries a Problem."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class SourceMap:
    """Values loaded from one YAML file, with the line of every path in them."""

    file: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: PathKey) -> int | None:
        """The line of `path`, or of its nearest ancestor that has one."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: PathKey, message: str) -> Problem:
        """A Problem at `path`, with the path written as a dotted field name."""
        return Problem(self.file, self.line(path), field_name(path) or None, message)


def field_name(path: PathKey) -> str:
    """`("misuses", 0, "id")` -> `misuses[0].id`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# Limits for untrusted files: a card has a few hundred values and a nesting depth under ten.
# Aliases can make a small file stand for a huge (or endless) tree ("billion laughs"), so the
# values built are counted, aliases included.
MAX_VALUES = 100_000
MAX_DEPTH = 50
_PLAIN_TAGS = {yaml.MappingNode: "tag:yaml.org,2002:map", yaml.SequenceNode: "tag:yaml.org,2002:seq"}


class _Budget:
    """Counts the values built from one file."""

    def __init__(self) -> None:
        self.values = 0


def _build(
    loader: Any, node: yaml.Node, path: PathKey, lines: dict[PathKey, int], file: str,
    budget: _Budget | None = None,
) -> Any:
    budget = budget if budget is not None else _Budget()
    budget.values += 1
    line = node.start_mark.line + 1
    if budget.values > MAX_VALUES:
        raise YamlSourceError(Problem(file, line, field_name(path) or None,
                                      f"more than {MAX_VALUES} values (aliases expanding?)"))
    if len(path) > MAX_DEPTH:
        raise YamlSourceError(Problem(file, line, field_name(path) or None,
                                      f"nested more than {MAX_DEPTH} levels deep"))
    lines[path] = line
    plain = _PLAIN_TAGS.get(type(node))
    if plain is not None and node.tag != plain:
        # The safe constructor refuses unknown tags on scalars; on a mapping or a list the tag
        # would be dropped silently, so refuse it here: `!!python/object` and friends.
        raise YamlSourceError(Problem(file, line, field_name(path) or None,
                                      f"unsupported YAML tag '{node.tag}': plain values only"))
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, path + ("<key>",), {}, file, budget)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise YamlSourceError(
                    Problem(file, key_node.start_mark.line + 1, field_name(path) or None,
                            "mapping keys must be plain values")
                )
            if key in out:
                raise YamlSourceError(
                    Problem(file, key_node.start_mark.line + 1,
                            field_name(path + (key,)), "duplicate key")
                )
            out[key] = _build(loader, value_node, path + (key,), lines, file, budget)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), lines, file, budget)
                for i, item in enumerate(node.value)]
    # A scalar: the safe constructor turns its resolved tag into int, bool, str, ...
    try:
        return loader.construct_object(node, deep=True)
    except Exception as exc:  # an unknown tag, or a bad value for a standard one (`!!int zz`)
        known = node.tag.startswith("tag:yaml.org,2002:") and "python/" not in node.tag
        reason = (f"not a valid {node.tag.rsplit(':', 1)[-1]}: {getattr(exc, 'problem', None) or exc}"
                  if known else f"unsupported YAML tag '{node.tag}': plain values only")
        raise YamlSourceError(Problem(file, line, field_name(path) or None, reason)) from None


def load_text(text: str, file: str) -> SourceMap:
    """Parse YAML `text` safely; raise YamlSourceError naming `file` and the line."""
    loader = _Loader(text)
    lines: dict[PathKey, int] = {}
    try:
        node = loader.get_single_node()
        data = None if node is None else _build(loader, node, (), lines, file)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise YamlSourceError(Problem(file, line, None, f"invalid YAML: {reason}")) from None
    finally:
        loader.dispose()
    return SourceMap(file, data, lines)


def load_file(path: Path) -> SourceMap:
    """Read and parse a YAML file; unreadable files raise YamlSourceError too."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlSourceError(Problem(str(path), None, None, f"cannot read: {exc}")) from None
    return load_text(text, str(path))
