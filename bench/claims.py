"""Benchmark of the claim checker: extraction and mapping quality on the annotated sentence set, and the time
to check an 800-word article against the shared 1,000,000-case SAMPLE store (bench/common.py).

Run from the project root: `.venv/bin/python bench/claims.py` (IMMCOURT_BENCH_CASES=50000 for a quick trial;
`--timing-only` for the article timing alone; the data folder is bench/common.py's, IMMCOURT_BENCH_DATA).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.common import BENCH_CASES, machine_line, store_dir, write_section  # noqa: E402
from immcourt.claims.evaluate import annotated_sets, load_annotations, score, target_set  # noqa: E402

TESTS = ROOT / "tests"
ARTICLE = ROOT / "bench" / "article_800w.txt"
# Measured once, 2026-11-30, the first time the rewritten checker (issue 15) ran on the holdout written before
# it (tests/claims_holdout.jsonl, commit "holdout ... written before tuning"). The fixes it prompted were made
# by kind (a label list that caught "to"/"of", the administration pattern that hid "Obama's first term",
# outside-data cues, 3 annotation inconsistencies corrected: a pending ratio read at FY ends, "asylum seekers
# waited" carrying asylum_case, and "dropped" counting alternative definitions). The table above is after
# them.
HOLDOUT_FIRST_PASS = (
    "Holdout, first pass (before the fixes it prompted): 113 expected claims, recall 92.9%, precision 98.1%, "
    "metric mapping 91.4%, mapping with qualifiers 91.4%, periods 92.0% (69/75); 7 readings flagged as "
    "dropping a qualifier (all 7 were alternative definitions, e.g. removal orders + voluntary departure; "
    "the "
    "measure now ignores definition filters). After those fixes the holdout is no longer an unseen-data "
    "estimate; the development set (tuned on) is the optimistic one."
)


# 2026-11-30, after the tuning: 20 new sentences written and annotated before being run (then added to the
# development set with the one fix they prompted: "grandsons, 10 and 13" were taken for claims).
SECOND_UNSEEN = (
    "Second unseen check, after tuning: 20 sentences written and annotated before their first run: "
    "19 expected claims, recall 100.0%, precision 90.5% (two ages after 'grandsons' taken as claims), "
    "metric mapping 100.0%, mapping with qualifiers 100.0%, periods 100.0% (15/15), "
    "0 readings dropping a qualifier."
)


def _row(name: str, items: list[dict]) -> str:
    result = score(items)
    return (
        f"| {name} | {len(items)} | {result.expected} | {result.recall:.1%} | {result.precision:.1%} "
        f"| {result.mapping_accuracy:.1%} | {result.qualified_accuracy:.1%} | {result.period_accuracy:.1%} "
        f"({result.periods_right}/{result.periods_expected}) | {result.dropped_qualifier} |"
    )


# 2026-12-01, issue 15 follow-up. Each set below was written and annotated before the checker was run on it
# (each committed alone, "... before the checker was run on them"), scored once on the checker as it was (the
# fixes prompted by the sets before it included), then used to fix the kinds of failure it showed. These
# first passes are the only unseen-data estimates; they cannot be recomputed, so they are recorded here.
# Columns: set, expected claims, recall, precision, mapping, mapping with qualifiers, periods, dropped.
FIRST_PASSES = (
    (
        "development-2 (on the checker tuned on the two older sets)",
        156,
        0.974,
        0.927,
        0.849,
        0.803,
        "85.3% (93/109)",
        1,
    ),
    ("development-3 (after the fixes of development-2)", 77, 0.961, 0.949, 0.878, 0.824, "98.2% (54/55)", 3),
    ("development-4", 60, 0.983, 0.967, 0.915, 0.847, "93.0% (40/43)", 3),
    ("development-5", 49, 0.959, 0.959, 0.936, 0.894, "88.2% (30/34)", 1),
    ("development-6", 44, 0.955, 0.933, 0.881, 0.833, "83.3% (25/30)", 1),
    ("development-7", 41, 0.976, 0.930, 0.850, 0.800, "96.2% (25/26)", 1),
    ("development-8", 39, 1.000, 0.975, 0.897, 0.769, "87.5% (21/24)", 3),
    ("development-9", 35, 1.000, 1.000, 0.886, 0.857, "96.2% (25/26)", 0),
    ("development-10", 36, 1.000, 0.973, 0.972, 0.972, "93.1% (27/29)", 0),
    ("development-11 (after all the fixes above)", 30, 1.000, 1.000, 0.900, 0.867, "91.3% (21/23)", 0),
    # one annotation of development-12 was corrected after its first pass (to the project's convention for
    # "ordered removed in absentia" as a share); the first pass below counts it as an error
    ("development-12 (after development-11's fixes)", 26, 1.000, 0.897, 0.846, 0.846, "78.9% (15/19)", 0),
    # development-13 (tests/claims_dev13.jsonl, written blind on branch dev13), scored once on branch
    # claims15f at 2900890 before any change it prompted (docs/BENCHMARKS.md)
    ("development-13 (blind, claims15f at 2900890)", 165, 0.988, 0.970, 0.822, 0.742, "96.4% (107/111)", 9),
)


def first_pass_lines() -> list[str]:
    lines = [
        "First passes of the sets written after the tuning of 2026-11-30 (each scored once, before the "
        "fixes it prompted; the only unseen-data estimates):",
        "",
        "| set, first pass | expected claims | recall | precision | metric mapping | mapping with qualifiers "
        "| periods | readings that drop a qualifier |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, expected, recall, precision, mapping, qualified, periods, dropped in FIRST_PASSES:
        lines.append(
            f"| {name} | {expected} | {recall:.1%} | {precision:.1%} | {mapping:.1%} | {qualified:.1%} "
            f"| {periods} | {dropped} |"
        )
    return lines


def _describe(annotated) -> str:  # noqa: ANN001 - an evaluate.AnnotatedSet
    role = "holdout, written before any tuning on it" if annotated.role == "holdout" else "tuned on"
    return f"{annotated.name}: tests/{annotated.path.name}, {role}"


def quality_lines() -> list[str]:
    sets = annotated_sets(TESTS)
    loaded = [(s, load_annotations(s.path)) for s in sets]
    development = [item for s, items in loaded if s.role == "development" for item in items]
    lines = [
        "| sentence set | sentences | expected claims | recall | precision | metric mapping "
        "| mapping with qualifiers | periods | readings that drop a qualifier |",
        "|---|---|---|---|---|---|---|---|---|",
        _row("all development sets", development),
        *(_row(_describe(s), items) for s, items in loaded),
    ]
    lines += [
        "",
        f"The issue's targets are tested on {target_set(TESTS).name} (tests/test_claims_issue15.py, "
        "`test_holdout_targets`: the newest tests/claims_holdout<N>.jsonl not yet seen in tuning, else the "
        "newest seen one; `claims/evaluate.py` SEEN_IN_TUNING).",
        "",
        HOLDOUT_FIRST_PASS,
        "",
        SECOND_UNSEEN,
        "",
        *first_pass_lines(),
    ]
    return lines


def article_text() -> str:
    """The benchmark article: bench/article_800w.txt, about 800 words of made-up news copy written for this
    benchmark (about 25 numeric claims: counts by fiscal year, grant rates by nationality and court,
    allowed-to-remain and removal shares, terminations, pending, a median wait, a change)."""
    return ARTICLE.read_text(encoding="utf-8")


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timing_lines() -> list[str]:
    """Issue 15: an 800-word article checked in under 2 s on the 1,000,000-case sample, in an open process;
    the new-process time (`immcourt check`) is reported beside it."""
    import immcourt
    from immcourt.claims import check_text
    from immcourt.model.build import materialize

    started = time.perf_counter()
    store = store_dir()
    materialize(store)  # what ingest does: the model is built once, never during the timed checks
    prepared = time.perf_counter() - started
    text = article_text()
    load_before = os.getloadavg()
    opened = time.perf_counter()
    db = immcourt.open(store)
    open_seconds = time.perf_counter() - opened
    cold_started = time.perf_counter()
    report = check_text(text, store=db)
    cold = time.perf_counter() - cold_started
    warm, warm_cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        check_text(text, store=db)
        warm.append(time.perf_counter() - t0)
        warm_cpu.append(time.process_time() - c0)
    readings = sum(len(r.readings) for r in report.claims)
    asked = sum(1 for r in report.claims for x in r.readings if not (x.error or "").startswith("not asked"))
    verdicts: dict[str, int] = {}
    for result in report.claims:
        verdicts[result.verdict.category] = verdicts.get(result.verdict.category, 0) + 1
    # Baseline in the same run, for the load of the moment: one stats query of the kind the checker asks.
    base = []
    for year in (2019, 2020, 2021):
        t0 = time.perf_counter()
        db.stats("completions", by=("outcome", "asylum_case"), fiscal_years=(year, year))
        base.append(time.perf_counter() - t0)
    db.close()
    cli = Path(sys.executable).with_name("immcourt")
    command = [str(cli), "check", str(ARTICLE.relative_to(ROOT)), "--store", str(store), "--format", "json"]
    process, process_cpu = [], []
    for _ in range(3):
        t0, c0 = time.perf_counter(), _children_cpu()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        process.append(time.perf_counter() - t0)
        process_cpu.append(_children_cpu() - c0)
    words = len(text.split())
    shown_verdicts = ", ".join(f"{n} {name}" for name, n in sorted(verdicts.items()))
    return [
        f"Store: {store} ({BENCH_CASES:,} SAMPLE cases; release {db.release.id}); preparing it took "
        f"{prepared:.1f} s in this run (about 0 when the data folder already had it and its model).",
        f"Article: {ARTICLE.relative_to(ROOT)} ({words} words, made up for this benchmark); "
        f"{len(report.claims)} claims ({shown_verdicts}), {readings} readings.",
        "Load average (1, 5, 15 min) before the timings: " + ", ".join(f"{x:.1f}" for x in load_before) + ".",
        "",
        "| step | seconds |",
        "|---|---|",
        f"| open store (`immcourt.open`) | {open_seconds:.2f} |",
        "| check article, first time on the freshly opened store (loads the case model that ingest kept in "
        f"the store, the lexicon of names) | {cold:.2f} |",
        "| check article again in the same process, median of 3 (target < 2 s) "
        f"| {statistics.median(warm):.2f} |",
        "| the same, CPU seconds of this process (all threads; steadier on a shared machine) "
        f"| {statistics.median(warm_cpu):.2f} |",
        f"| baseline: one stats query of the same kind, median of 3 | {statistics.median(base):.3f} |",
        f"| new process: `{' '.join(['immcourt', *command[1:]])}`, median of 3 (for reference) "
        f"| {statistics.median(process):.2f} (CPU {statistics.median(process_cpu):.2f}) |",
        "",
        f"{asked} of the {readings} readings were asked (the other definitions are asked only when the "
        "natural readings do not all match).",
    ]


def adversarial_lines() -> list[str]:
    """Extraction time on hostile inputs (issue 12 item 4) at two sizes: linear time doubles, no more."""
    import random

    from immcourt.claims.extract import extract_claims

    random.seed(7)
    pieces = [
        "1,",
        "2.",
        " percent",
        " FY",
        "20",
        "since ",
        " million",
        "one in ",
        "-",
        "$",
        " to ",
        "Judge ",
    ]
    pieces += ["\n\n", "%", "a third of", "from 1 to ", "Guatemalan ", " in "]
    mix = "".join(random.choice(pieces) for _ in range(120_000))[:400_000]
    inputs = {
        "digits": lambda n: "1" * n,
        '"1," repeated': lambda n: "1," * (n // 2),
        '"from 1 to " repeated': lambda n: "from 1 to " * (n // 10),
        "mixed hostile pieces": lambda n: mix[:n],
    }
    # CPU seconds of this process (time.process_time), so other jobs on the shared cores do not bend the ratio
    lines = ["| input | size | CPU seconds | size ×2 | CPU seconds | ratio |", "|---|---|---|---|---|---|"]
    for name, make in inputs.items():
        size = 100_000 if name != "digits" else 500_000
        timings = []
        for n in (size, 2 * size):
            text = make(n)
            t0 = time.process_time()
            extract_claims(text)
            timings.append(time.process_time() - t0)
        lines.append(
            f"| {name} | {size:,} | {timings[0]:.2f} | {2 * size:,} | {timings[1]:.2f} "
            f"| {timings[1] / max(timings[0], 1e-9):.1f} |"
        )
    t0 = time.perf_counter()
    extract_claims("9" * 32_000)
    extract_claims("Judges closed " + "7" * 5000 + " cases.")
    lines.append("")
    lines.append(f"32,000 digits and a 5,000-digit number: {time.perf_counter() - t0:.3f} s, no error.")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--timing-only", action="store_true", help="only the article timing (issue 15)")
    parser.add_argument(
        "--quality-only", action="store_true", help="only the annotated sets and hostile inputs (no store)"
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/BENCHMARKS.md")
    args = parser.parse_args()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    command = "IMMCOURT_BENCH_DATA=... " if os.environ.get("IMMCOURT_BENCH_DATA") else ""
    command += f".venv/bin/python bench/claims.py {' '.join(sys.argv[1:])}".rstrip()
    body = [
        machine_line(),
        f"Command: `{command}`.",
        f"Load average when the run started: {load} (other engineers' jobs share the 2 cores).",
        "",
    ]
    if not args.timing_only:
        body += [*quality_lines(), "", *adversarial_lines(), ""]
    if not args.quality_only:
        body += timing_lines()
    text = "\n".join(body)
    print(text)
    if not args.no_write:
        write_section("bench/claims.py --timing-only" if args.timing_only else "bench/claims.py", text)


if __name__ == "__main__":
    main()
