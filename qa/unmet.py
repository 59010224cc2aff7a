"""What an abstention says is missing: the constraint the nearest evidence lacks, in words."""

from __future__ import annotations

from careerkg.qa.request import Constraint

NAMED_ORGANISATIONS = "named organisations"  # what a list of organisations lacks when no sentence names one
_WORDS = {"place": "for {v}", "period": "for {v}", "role": "about the {v} role", "employer": "about {v}",
          "source": "from a source matching “{v}”", "person": "naming a person", "figure": "with that figure",
          "basis": "{v}", "seniority": "at the {v} level", "unit": "counted in {v}s", "count": "counting {v}"}
# what a missing answer of a kind is, in words ("The guides do not say where it is.")
_FIGURE_WORDS = {"place": "where it is", "year": "in which year", "founding date": "when it was founded", "duration": "how long it lasts"}
_BASIS_WORDS = {"day": "per day", "hour": "per hour", "month": "per month", "net": "as take-home pay"}


def reason(unmet: list[Constraint], sources: list[str] = ()) -> str:
    """The sentence naming what no guide holds ("The guides have nothing for York and nothing at the
    Senior level."); with the sources the question named and the guides have, what those guides lack
    ("The guides matching “SPG Resourcing” have nothing for Manchester.")."""
    sources = [s for s in sources if not any(c.kind == "source" and c.value == s for c in unmet)]
    who = f"The guides matching {', '.join(f'“{s}”' for s in sources)}" if sources else "The guides"
    if not unmet:
        return f"{who} do not contain a passage that answers this question."
    if len(unmet) == 1 and unmet[0].kind == "figure":
        what = _FIGURE_WORDS.get(unmet[0].value)
        return f"{who} do not say {what}." if what else f"{who} do not give that figure."
    parts = [_part(c) for c in unmet]
    return f"{who} have nothing {' and nothing '.join(parts)}."


def _part(c: Constraint) -> str:
    """One missing constraint in words ("for York", "about the Data Scientist role")."""
    if c.kind == "employer" and c.value == NAMED_ORGANISATIONS:
        return "naming organisations"  # "which companies ...": no sentence names one
    if c.kind == "person" and c.value != "a person":  # a person the question names: nothing said of them
        return f"about {c.value}"
    return _WORDS.get(c.kind, "about {v}").format(v=_BASIS_WORDS.get(c.value, c.value) if c.kind == "basis" else c.value)


def nearest_lack(failed: list[list[Constraint]]) -> list[Constraint]:
    """What the nearest misses lack: of the candidates failing the fewest constraints, the constraints
    they fail most often. A tie names both ("nothing for York and nothing at the Senior level": the York
    figure is not a senior one, the senior figure not York's); a figure of the wrong kind comes last and
    is named only when nothing else is."""
    fewest = min(len(m) for m in failed)
    counts: dict[Constraint, int] = {}
    for miss in (m for m in failed if len(m) == fewest):
        for c in miss:
            counts[c] = counts.get(c, 0) + 1
    best = max(counts.values())
    top = sorted((c for c, n in counts.items() if n == best), key=lambda c: c.kind == "figure")
    return [c for c in top if c.kind != "figure"][:2] or top[:1]
