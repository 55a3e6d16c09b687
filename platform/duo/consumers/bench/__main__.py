"""``python -m duo.consumers.bench``: run the figures, print the table, write bench.json.

Exit status 1 when a figure misses its goal, so ``make bench`` can gate a release.
"""

from __future__ import annotations

import argparse
import logging
import sys

from duo.consumers.bench import discover, format_table, run, write_json


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m duo.consumers.bench", description=__doc__)
    parser.add_argument("-k", "--match", help="only figures whose name contains this text")
    parser.add_argument(
        "-o",
        "--output",
        default="instance/bench.json",
        help="where to write the JSON results (default: instance/bench.json)",
    )
    args = parser.parse_args(argv)
    # Migrations and the app log at INFO; the table is what a bench run is read for.
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    discover()
    results = run(match=args.match)
    print(format_table(results))
    path = write_json(results, args.output)
    print(f"\nwritten to {path}")
    return 1 if any(r.passed is False for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
