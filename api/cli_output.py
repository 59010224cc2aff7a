"""How the CLI prints lists: a table on a terminal (ids never cut), TSV when piped, JSON on ``--json``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table

console = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def is_terminal() -> bool:
    return sys.stdout.isatty()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".")
    return " ".join(str(value).split())  # no tab or newline inside a TSV cell


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def emit(rows: Sequence[dict], columns: Sequence[str], *, as_json: bool = False,
         ids: Iterable[str] = ("doc_id", "iri", "id")) -> None:
    """Print ``rows`` (dicts): JSON list (every field), a table on a terminal, else TSV with a header line.

    Columns named in ``ids`` are never shortened: the table folds other columns instead.
    """
    if as_json:
        print_json(list(rows))
        return
    if not is_terminal():
        out = ["\t".join(columns)]
        out += ["\t".join(_cell(r.get(c)) for c in columns) for r in rows]
        sys.stdout.write("\n".join(out) + "\n")
        return
    ids = set(ids)
    table = Table(show_lines=False, pad_edge=False)
    for c in columns:
        if c in ids:
            width = max([len(c)] + [len(_cell(r.get(c))) for r in rows])
            table.add_column(c, no_wrap=True, min_width=width, overflow="fold")
        else:
            table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*[_cell(r.get(c)) for c in columns])
    console.print(table)
