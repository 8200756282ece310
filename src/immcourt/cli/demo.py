"""`immcourt demo`: the whole pipeline on the built-in sample, as `make demo` runs it.

sample → ingest (reconciliation table) → asylum outcomes by fiscal year → claim check of the seed articles.
Each step only calls the core library; nothing here computes a statistic of its own.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:  # pragma: no cover - rich is imported where it prints
    from rich.console import Console

# The demo's own example article (the project's words, made-up numbers), shipped with the package; the seed
# articles of the reference folder beside a development clone are checked too when that folder is there.
EXAMPLE_ARTICLE = Path(__file__).resolve().parents[1] / "claims" / "examples" / "demo-article.txt"
SEEDS_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "seeds"


def default_articles() -> list[Path]:
    """The example article, then the seed articles when `../shared/seeds` exists beside the clone."""
    seeds = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    return [EXAMPLE_ARTICLE, *seeds]


def article_files(given: list[Path] | None) -> list[Path]:
    """The .txt files to check: each given file, and the .txt files of each given folder (sorted)."""
    if not given:
        return default_articles()
    files: list[Path] = []
    for path in given:
        files += sorted(path.glob("*.txt")) if path.is_dir() else [path]
    return files


def demo(
    out: Path = typer.Option(Path("demo"), "--out", help="Folder for the sample, the store and the reports."),
    cases: int = typer.Option(50_000, "--cases", help="Cases in the generated sample release."),
    seed: int = typer.Option(1, "--seed", help="Seed of the sample generator (same seed, same release)."),
    articles: list[Path] = typer.Option(
        None,
        "--articles",
        help="An article (.txt) or a folder of them to claim-check; repeatable. Default: the project's "
        "example article, plus the seed articles of ../shared/seeds when that folder is beside the clone.",
    ),
    fresh: bool = typer.Option(False, "--fresh", help="Regenerate the sample and re-ingest it."),
) -> None:
    """Generate the sample release, ingest it, print statistics and check the example article (and the seed
    articles when ../shared is beside the clone)."""
    from rich.console import Console

    # A wide table reads better than a wrapped one when the output goes to a log rather than a terminal.
    console = Console() if sys.stdout.isatty() else Console(width=170)
    sample_dir, store_dir = out / "sample", out / "store"
    if fresh:  # the sample only: other releases in the store stay (the demo's own is replaced on ingest)
        shutil.rmtree(sample_dir, ignore_errors=True)
    _generate(console, sample_dir, cases=cases, seed=seed)
    release_id = _ingest(console, sample_dir, store_dir)

    import immcourt

    db = immcourt.open(store_dir, release=release_id)
    console.rule(f"[bold]Asylum cases by outcome and fiscal year — release {db.release.label}")
    _print_asylum_outcomes(console, db)
    console.rule("[bold]The seed articles' question: which asylum cases closed without a merits decision?")
    _print_seed_headline(console, db)
    _check_articles(console, db, article_files(articles), out / "reports")


def _generate(console: Console, sample_dir: Path, *, cases: int, seed: int) -> None:
    from immcourt.sample import generate

    if (sample_dir / "oracle" / "manifest.json").exists():
        console.print(f"sample release already in {sample_dir} (use --fresh to regenerate)")
        return
    console.rule(f"[bold]1. Generating a {cases:,}-case SAMPLE release (synthetic data) in {sample_dir}")
    generate(cases=cases, seed=seed, out=sample_dir, fmt="zip")


def _ingest(console: Console, sample_dir: Path, store_dir: Path) -> str:
    """Ingest the sample into the store beside any other releases there (never deleting them); its id."""
    from immcourt.cli.ingest import print_reconciliation
    from immcourt.ingest import ingest_release
    from immcourt.metrics.api import build_model

    console.rule("[bold]2. Ingesting: every line loaded, repaired or quarantined, reconciled with Count.txt")
    report = ingest_release(sample_dir / "EOIR Case Data.zip", store=store_dir, progress=True)
    print_reconciliation(report, console)
    with console.status("building the case model"):
        build_model(store_dir, release=report.release_id)
    return report.release_id


def _print_asylum_outcomes(console: Console, db) -> None:  # noqa: ANN001 - an immcourt Store
    from rich.table import Table

    from immcourt.model.build import OUTCOME_CLASSES  # in the order of OUTCOMES.md section 3

    asylum = {"asylum_case": True}
    outcomes = db.stats("completions", by=["fiscal_year", "outcome"], where=asylum)
    remain = db.stats("allowed_to_remain_share", by=["fiscal_year"], where=asylum)
    closed = db.stats("closed_without_merits", by=["fiscal_year"], where=asylum)
    closed_ac = db.stats(
        "closed_without_merits", by=["fiscal_year"], where=asylum, options={"include_admin_closure": "yes"}
    )

    counts: dict[int, dict[str, int]] = {}
    for row in outcomes.to_dicts():
        counts.setdefault(row["fiscal_year"], {})[row["outcome"]] = int(row["value"])
    share = {row["fiscal_year"]: row["value"] for row in remain.to_dicts()}
    no_merits = {row["fiscal_year"]: int(row["value"]) for row in closed.to_dicts()}
    no_merits_ac = {row["fiscal_year"]: int(row["value"]) for row in closed_ac.to_dicts()}

    table = Table(
        caption=(
            f"release {db.release.label}; options: {_options_text(outcomes.options)}. "
            "Closed without merits = terminated + dismissed (+ administrative closures in the last column). "
            "The SQL: `immcourt sql completions --by fiscal_year --by outcome --where asylum_case=true`."
        ),
        caption_justify="left",
    )
    table.add_column("FY", justify="right")
    for outcome in OUTCOME_CLASSES:
        table.add_column(outcome.replace("_", " "), justify="right")
    table.add_column("allowed to remain", justify="right")
    table.add_column("closed w/o merits", justify="right")
    table.add_column("… + admin closed", justify="right")
    for year in sorted(counts):
        row = counts[year]
        share_text = "—" if share.get(year) is None else f"{share[year]:.1%}"
        table.add_row(
            str(year),
            *(f"{row.get(outcome, 0):,}" for outcome in OUTCOME_CLASSES),
            share_text,
            f"{no_merits.get(year, 0):,}",
            f"{no_merits_ac.get(year, 0):,}",
        )
    console.print(table)
    if outcomes.exclusions:
        excluded = ", ".join(f"{reason}: {n:,}" for reason, n in outcomes.exclusions.items())
        console.print(f"records excluded on the way: {excluded}", highlight=False)


SEED_FROM_FY = 2022  # the seed articles: "since 2022", after DHS's 2022 guidance to its attorneys


def _print_seed_headline(console: Console, db) -> None:  # noqa: ANN001 - an immcourt Store
    """Asylum cases closed without a merits decision since FY2022, split by criminal charge and by
    prosecutorial discretion, with and without administrative closures; each split adds up to the total."""
    from rich.table import Table

    asylum = {"asylum_case": True}
    years = (SEED_FROM_FY, 2100)
    table = Table(caption_justify="left")
    table.add_column("closed without a merits decision")
    table.add_column("all", justify="right")
    for label in ("criminal charge: yes", "no", "unknown", "PD closure: yes", "no"):
        table.add_column(label, justify="right")
    rules = {}
    for label, extra in (
        ("terminated + dismissed", {}),
        ("… + administratively closed", {"include_admin_closure": "yes"}),
    ):
        ask = {"where": asylum, "fiscal_years": years, "options": extra}
        total = db.stats("closed_without_merits", **ask)
        crim = db.stats("closed_without_merits", by=["criminal_charge"], **ask)
        pd = db.stats("closed_without_merits", by=["prosecutorial_discretion"], **ask)
        rules = crim.options
        by_crim = {row["criminal_charge"]: int(row["value"]) for row in crim.to_dicts()}
        by_pd = {row["prosecutorial_discretion"]: int(row["value"]) for row in pd.to_dicts()}
        all_cases = sum(int(row["value"]) for row in total.to_dicts())
        table.add_row(
            label,
            f"{all_cases:,}",
            *(f"{by_crim.get(key, 0):,}" for key in ("yes", "no", "unknown")),
            *(f"{by_pd.get(key, 0):,}" for key in (True, False)),
        )
    table.caption = (
        f"asylum cases completed in FY{SEED_FROM_FY} or later; release {db.release.label}; "
        f"criminal_charge_rule={rules.get('criminal_charge_rule')} (other rules: --option "
        "criminal_charge_rule=any_proceeding|charges). PD: the deciding completion's description is a "
        "prosecutorial-discretion closure; dismissals on a DHS motion are coded 'Dismissed by IJ' and are "
        "not PD in the data. Rules: docs/METHODOLOGY.md. The SQL: `immcourt sql closed_without_merits "
        f"--by criminal_charge --where asylum_case=true --fy {SEED_FROM_FY}:2100`."
    )
    console.print(table)


def _options_text(options: dict[str, object]) -> str:
    return ", ".join(f"{name}={value}" for name, value in options.items())


def _check_articles(console: Console, db, articles: list[Path], reports_dir: Path) -> None:  # noqa: ANN001
    from immcourt.claims import SAMPLE_NOTICE, check_text

    missing = [path for path in articles if not path.is_file()]
    if missing:
        where = ", ".join(map(str, missing))
        console.print(f"[red]error:[/red] no article at {where}; pass --articles FILE|DIR")
        raise typer.Exit(1)
    if not articles:
        console.print("[yellow]the --articles folder holds no .txt article: no claim was checked[/yellow]")
        return
    reports_dir.mkdir(parents=True, exist_ok=True)
    for article in articles:
        console.rule(f"[bold]3. Claim check: {article.name}")
        report = check_text(article.read_text(encoding="utf-8"), store=db)
        if report.is_sample:
            console.print(f"[bold yellow]{SAMPLE_NOTICE}[/]")
        console.print(report.to_rich_table())
        html_path = reports_dir / f"{article.stem}.html"
        html_path.write_text(report.to_html(), encoding="utf-8")
        console.print(f"HTML report: {html_path.resolve()}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add this module's verbs to the app."""
    app.command("demo")(demo)
