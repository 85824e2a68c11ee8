"""Safe YAML loading that remembers where every value came from.

Term cards and `.powerwords.yaml` are user input: errors must name the file, the line and the
field. PyYAML's safe composer gives us nodes with source marks; we build plain Python values
from them and keep a table from each value's path (``("misuses", 0, "id")``) to its 1-based line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _build(
    loader: Any, node: Any, path: PathKey, lines: dict[PathKey, int], file: str
) -> Any:
    import yaml  # imported on first use: a run served from the card cache never needs it

    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(loader, key_node, path + ("<key>",), {}, file)
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
            out[key] = _build(loader, value_node, path + (key,), lines, file)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), lines, file) for i, item in enumerate(node.value)]
    # A scalar: the safe constructor turns its resolved tag into int, bool, str, ...
    return loader.construct_object(node, deep=True)


def load_text(text: str, file: str) -> SourceMap:
    """Parse YAML `text` safely; raise YamlSourceError naming `file` and the line."""
    import yaml  # imported on first use: a run served from the card cache never needs it

    try:  # the C composer is much faster, and equally safe
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader as Loader  # type: ignore[assignment]
    loader = Loader(text)
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
