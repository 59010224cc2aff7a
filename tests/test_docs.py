"""The README stays true: every setting and every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import typer.main

from careerkg.api.cli import app
from careerkg.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def test_every_setting_is_in_the_configuration_table():
    missing = [f"CAREERKG_{name.upper()}" for name in Settings.model_fields
               if f"CAREERKG_{name.upper()}" not in README]
    assert not missing, f"document these in README.md: {missing}"


def test_every_cli_command_is_in_the_reference():
    group = typer.main.get_command(app)
    names = []
    for name, cmd in group.commands.items():
        subs = getattr(cmd, "commands", None)
        names += [f"careerkg {name}"] if not subs else [f"{name} {s}" for s in subs]
    missing = [n for n in names if n.split()[-1] not in README or n.split()[0] not in README]
    assert not missing, f"document these in README.md: {missing}"


def test_readme_opens_with_the_two_commands():
    quick = README.split("## Quick start", 1)[1][:600]
    assert "make run" in quick and "make test" in quick
