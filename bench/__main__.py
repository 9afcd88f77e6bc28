"""``make bench``: run every scenario on the generated department and write bench/README.md."""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

from bench.context import SIZES, prepare
from bench.harness import TABLE_HEADER, Result, Scenario, machine, run
from bench.scenarios import MODULES

README = Path(__file__).resolve().parent / "README.md"
_TABLE = re.compile(r"(<!-- bench:table -->\n).*?(<!-- /bench:table -->)", re.S)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="run only the scenarios whose name contains TEXT (repeatable)",
    )
    parser.add_argument("--repeat", type=int, help="repetitions per scenario (default: its own)")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/README.md")
    return parser


def write_table(results: list[Result], size: str, readme: Path = README) -> None:
    """Put the table of this run between the markers of bench/README.md."""
    from bench.harness import format_row

    rows = "\n".join(format_row(r) for r in results)
    block = f"Department size: **{size}**. Machine: {machine()}.\n\n{TABLE_HEADER}\n{rows}\n"
    text = readme.read_text(encoding="utf-8")
    readme.write_text(_TABLE.sub(lambda m: m.group(1) + block + m.group(2), text), "utf-8")


def collect(ctx: object, only: list[str]) -> list[Scenario]:
    """Every scenario of every listed module, filtered by ``only``."""
    found: list[Scenario] = []
    for name in MODULES:
        module = importlib.import_module(f"bench.scenarios.{name}")
        for scenario in module.scenarios(ctx):
            if not only or any(text.lower() in scenario.name.lower() for text in only):
                found.append(scenario)
    return found


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    ctx = prepare(args.size)
    try:
        scenarios = collect(ctx, args.only)
        print(f"{machine()}\n\n{TABLE_HEADER}", flush=True)
        results = []
        for scenario in scenarios:
            if args.repeat:
                scenario.repeat = args.repeat
            results.append(run(scenario, log=lambda row: print(row, flush=True)))
        if not args.no_write and not args.only:
            write_table(results, args.size)
            print(f"\nWritten to {README}")
        missed = [r.scenario.name for r in results if not r.passed]
        if missed:
            print("\nMissed: " + ", ".join(missed))
        return 1 if missed else 0
    finally:
        ctx.cleanup()


if __name__ == "__main__":
    sys.exit(main())
