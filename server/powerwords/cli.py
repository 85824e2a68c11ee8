"""The `powerwords` command: check files, explain terms, list and validate the pack, run the
language server. A thin front over the engine: it never imports the server unless asked to."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import __version__

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A problem with what the user asked for: reported in one line, exit 2."""


def _err(message: str) -> None:
    print(f"powerwords: {message}", file=sys.stderr)


def _walk(paths: Sequence[str]) -> Iterator[tuple[str, Path | None, bool]]:
    """Each file to check: (display path, path or None for stdin, named on the command line)."""
    from .filetypes import is_checked

    for raw in paths:
        if raw == "-":
            yield "-", None, True
            continue
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "node_modules")
                for name in sorted(files):
                    if is_checked(name):
                        full = Path(root) / name
                        yield str(full), full, False
        elif path.exists():
            yield raw, path, True
        else:
            raise UsageError(f"{raw}: no such file or directory")


def cmd_check(args: argparse.Namespace) -> int:
    import gc

    from .batch import FileCheck, check_files, workers_wanted

    # A check allocates many small objects and no reference cycles worth collecting; the cycle
    # collector's passes over them cost about 6% of a large check.
    gc.disable()
    from .filetypes import is_markdown
    from .project import Project

    project = Project(config_file=Path(args.config) if args.config else None)
    if args.config and not Path(args.config).is_file():
        raise UsageError(f"{args.config}: no such config file")
    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    results: list[dict[str, Any]] = []
    found = errors = False
    reported: set[str] = set()
    files: list[FileCheck] = []
    for display, path, explicit in list(_walk(args.paths)):
        setup = project.setup(path)
        for problem in setup.problems:
            if str(problem) not in reported:
                reported.add(str(problem))
                _err(str(problem))
        if setup.problems:
            errors = True
        if setup.config_error:
            continue
        if path is not None and not explicit and not setup.config.wants(path):
            continue
        check = FileCheck(display, path, setup, True if path is None else is_markdown(path))
        if path is None:
            check.text = sys.stdin.read()
            check.size = len(check.text)
        else:
            try:
                check.size = path.stat().st_size
            except OSError:
                pass
        files.append(check)
    for f in check_files(files, workers_wanted(args.jobs)):
        if f.error is not None:
            _err(f"{f.display}: {f.error}")
            errors = True
            continue
        found = found or bool(f.diagnostics)
        results.append({"path": f.display, "diagnostics": f.diagnostics})
        if args.format == "text":
            for finding, d in zip(f.findings, f.diagnostics):
                start = d["range"]["start"]
                print(f"{f.display}:{start['line'] + 1}:{start['character'] + 1}: "
                      f"{finding.severity} {finding.code} {finding.message}")
    if args.format == "json":
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif not found and not errors and not args.quiet:
        print(f"No findings in {len(results)} file{'s' if len(results) != 1 else ''}.",
              file=sys.stderr)
    if errors:
        return EXIT_ERROR
    return EXIT_FOUND if found else EXIT_CLEAN


def _load_default_pack():
    from .project import Project

    # The config (and so any team cards) of the folder the command runs in.
    setup = Project().setup(Path.cwd() / ".")
    for problem in setup.problems:
        _err(str(problem))
    return setup.engine.pack


def _print_card(card, pack, fmt: str) -> None:
    """A card on stdout, as Markdown or as wrapped plain text."""
    from . import cardtext

    render = cardtext.markdown if fmt == "markdown" else cardtext.plain
    print(render(card, pack.short_names))


def cmd_explain(args: argparse.Namespace) -> int:
    from rapidfuzz import process

    pack = _load_default_pack()
    word = " ".join(args.term)
    card = pack.find(word)
    if card is None:
        choices = {label: c.short_name for c in pack.cards.values()
                   for label in [c.short_name, *c.forms]}
        near = process.extract(word.lower(), {k: k.lower() for k in choices}, limit=8,
                               score_cutoff=60)
        names = list(dict.fromkeys(choices[k] for _, _, k in near))[:3]
        hint = f" Did you mean: {', '.join(names)}?" if names else ""
        _err(f"unknown term '{word}'.{hint}")
        return EXIT_FOUND
    _print_card(card, pack, args.format)
    return EXIT_CLEAN


def cmd_terms(args: argparse.Namespace) -> int:
    from . import stats

    if args.action == "validate":
        from .pack import load_pack

        folder = Path(args.dir) if args.dir else None
        if folder is not None and not folder.is_dir():
            raise UsageError(f"{folder}: no such directory")
        pack = load_pack([folder] if folder else [], bundled=folder is None, strict=True)
        for problem in pack.problems:
            print(problem)
        count = len(pack.cards)
        if pack.problems:
            print(f"{len(pack.problems)} problem{'s' if len(pack.problems) != 1 else ''} "
                  f"({count} cards loaded)", file=sys.stderr)
            return EXIT_ERROR
        print(f"{count} cards, no problems", file=sys.stderr)
        return EXIT_CLEAN
    if args.action is not None:
        raise UsageError(f"unknown terms action '{args.action}' (known: validate)")
    pack = _load_default_pack()
    if args.stats:
        report = stats.pack_stats(pack)
        if args.format == "json":
            json.dump(report, sys.stdout, indent=2)
            print()
        else:
            print(stats.render(report))
        return EXIT_CLEAN
    cards = sorted(pack.cards.values(), key=lambda c: c.id)
    if args.format == "json":
        json.dump([stats.summary(c) for c in cards], sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        width = max((len(c.id) for c in cards), default=0)
        for c in cards:
            print(f"{c.id.ljust(width)}  {c.category:<24}  {c.definition}")
    return EXIT_CLEAN


def cmd_daily(args: argparse.Namespace) -> int:
    import datetime

    from . import daily

    pack = _load_default_pack()
    try:
        day = datetime.date.fromisoformat(args.date) if args.date else datetime.date.today()
    except ValueError:
        raise UsageError(f"--date: '{args.date}' is not a date like 2026-11-27") from None
    card = daily.term_of_the_day(pack, day)
    if card is None:
        raise UsageError("the term pack is empty")
    _print_card(card, pack, args.format)
    return EXIT_CLEAN


def cmd_lsp(args: argparse.Namespace) -> int:
    from .server import serve

    serve()
    return EXIT_CLEAN


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="powerwords", description="Coach AI vocabulary in prompts and Markdown.")
    parser.add_argument("--version", action="version", version=f"powerwords {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="check files or folders (- reads stdin)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--config", metavar="FILE", help="use this config instead of .powerwords.yaml")
    p.add_argument("-q", "--quiet", action="store_true", help="say nothing when nothing is found")
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="processes to use (default: one per core; 1 for none)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("explain", help="print a term's card")
    p.add_argument("term", nargs="+")
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("terms", help="list the term pack; 'terms validate [DIR]' checks cards")
    p.add_argument("action", nargs="?", choices=("validate",))
    p.add_argument("dir", nargs="?", metavar="DIR")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--stats", action="store_true", help="coverage of the pack")
    p.set_defaults(func=cmd_terms)

    p = sub.add_parser("daily", help="print the term of the day")
    p.add_argument("--date", help="the day, as YYYY-MM-DD (default: today)")
    p.add_argument("--format", choices=("text", "markdown"), default="text")
    p.set_defaults(func=cmd_daily)

    p = sub.add_parser("lsp", help="run the language server on stdio")
    p.add_argument("--stdio", action="store_true", help="accepted for clients that pass it")
    p.set_defaults(func=cmd_lsp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return EXIT_ERROR if exc.code not in (0, None) else EXIT_CLEAN
    try:
        return args.func(args)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_CLEAN


if __name__ == "__main__":
    sys.exit(main())
