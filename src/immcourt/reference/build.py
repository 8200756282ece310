"""Rebuild the bundled reference aggregates from the raw public files in ../shared/data/published/.

Run from the project root: ``.venv/bin/python -m immcourt.reference.build [--shared PATH]``.
Only the small aggregated CSVs it writes are committed; the raw CBP export (42,000 rows) is not.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from collections import defaultdict
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
CBP_RAW = "cbp-nationwide-encounters-fy20-fy23-state.csv"
CBP_OUT = "cbp_encounters_by_fy.csv"
# These two are already small published tables: bundled unchanged, so their provenance column survives.
COPIED = ("eoir_pending_receipts_completions.csv", "published_figures.csv")
ASYLUM_RAW = "eoir_asylum_decisions_by_nationality_fy2018_2021.csv"
ASYLUM_OUT = "eoir_asylum_decisions_by_nationality.csv"


def write_asylum_decisions(raw_csv: Path, out_csv: Path) -> None:
    """EOIR's asylum decisions by nationality (a table extraction of 7 PDF editions): one row per
    edition, fiscal year and nationality with grants, denials and other decisions (empty when EOIR
    printed none); the percentage columns and the PDF path are dropped."""
    with raw_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with out_csv.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        header = ["edition_data_generated", "fiscal_year", "nationality", "grants", "denials", "other"]
        writer.writerow(header)
        for row in rows:
            counts = [row[c].strip().removesuffix(".0") for c in ("grants", "denials", "other")]
            writer.writerow([row["generated_my"], row["fiscal_year"], row["nationality"].strip(), *counts])


def default_shared_dir() -> Path:
    """The shared reference folder next to the project root (…/main/../shared)."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "data" / "published"


def aggregate_cbp_encounters(raw_csv: Path) -> dict[int, int]:
    """Sum CBP's monthly state-level rows to one nationwide total per fiscal year."""
    totals: dict[int, int] = defaultdict(int)
    with raw_csv.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            count = row["Encounter Count"].replace(",", "").strip()
            totals[int(row["Fiscal Year"])] += int(count or 0)
    return dict(sorted(totals.items()))


def write_cbp_totals(totals: dict[int, int], out_csv: Path) -> None:
    with out_csv.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["fiscal_year", "encounters", "source"])
        for year, total in totals.items():
            writer.writerow(
                [year, total, f"CBP Nationwide Encounters data portal export ({CBP_RAW}), summed"]
            )


def build(*, shared_dir: Path, out_dir: Path = DATA_DIR) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    write_cbp_totals(aggregate_cbp_encounters(shared_dir / CBP_RAW), out_dir / CBP_OUT)
    for name in COPIED:
        shutil.copyfile(shared_dir / name, out_dir / name)
    write_asylum_decisions(shared_dir / ASYLUM_RAW, out_dir / ASYLUM_OUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=default_shared_dir())
    args = parser.parse_args()
    build(shared_dir=args.shared)


if __name__ == "__main__":
    main()
