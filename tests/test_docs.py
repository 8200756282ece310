"""Documentation cannot drift from the code: every CLI verb is documented and has help text."""

from __future__ import annotations

import re

import pytest
import typer.main

from immcourt.cli import app

from .conftest import PROJECT_ROOT


def _verbs() -> dict[str, object]:
    return typer.main.get_command(app).commands  # type: ignore[attr-defined]


def test_every_cli_verb_is_in_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    documented = set(re.findall(r"`immcourt (\w+)", readme))
    missing = sorted(set(_verbs()) - documented)
    assert not missing, f"CLI verbs missing from README.md's command table: {missing}"


def test_every_cli_verb_has_help_text() -> None:
    without_help = sorted(name for name, cmd in _verbs().items() if not (cmd.help or "").strip())
    assert not without_help, f"CLI verbs without help text: {without_help}"


def test_readme_opens_with_exactly_the_two_setup_commands() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()[1:] if line.strip()]
    assert commands == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (PROJECT_ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, flags=re.MULTILINE)


def test_readme_needs_nothing_beside_the_clone() -> None:
    """No link of the README leads into ../shared: what a user needs ships in the repository."""
    readme = (PROJECT_ROOT / "README.md").read_text()
    targets = re.findall(r"\]\(([^)]+)\)", readme)
    assert targets and not [t for t in targets if t.startswith("..") or "shared/" in t]
    for target in targets:
        if not target.startswith(("http", "#")):
            assert (PROJECT_ROOT / target).exists(), target


def test_shipped_outcomes_is_the_reference_text() -> None:
    """docs/OUTCOMES.md is the reference folder's OUTCOMES.md unchanged, after one comment line."""
    shared = PROJECT_ROOT.parent / "shared" / "eoir" / "OUTCOMES.md"
    if not shared.is_file():
        pytest.skip("no ../shared beside the clone")
    shipped = (PROJECT_ROOT / "docs" / "OUTCOMES.md").read_text(encoding="utf-8")
    comment, _, body = shipped.partition("-->\n\n")
    assert comment.startswith("<!--") and body == shared.read_text(encoding="utf-8")
