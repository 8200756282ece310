"""Every disputed methodological choice as a named option with a default (OUTCOMES.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from immcourt.model.build import MODEL_OPTION_DEFAULTS, normalise_codes


class StatsError(ValueError):
    """A request the catalog cannot answer; the message names the bad value and lists the valid ones."""


@dataclass(frozen=True)
class Option:
    """One named choice. `choices` is None for free values (integers, code lists)."""

    name: str
    default: str | int
    description: str
    choices: tuple[str, ...] | None = None
    kind: str = "choice"  # choice | integer | codes

    @property
    def affects_model(self) -> bool:
        """True when the option changes the `cases` relation itself (so it is built per value)."""
        return self.name in MODEL_OPTION_DEFAULTS


# The rules behind criminal_charge and aggravated_felony; each is a column `<dimension>_<rule>` of `cases`.
CHARGE_RULES = ("deciding_proceeding", "any_proceeding", "charges")

OPTIONS: tuple[Option, ...] = (
    Option(
        "deciding_proceeding",
        "last",
        "Which proceeding decides a case: the last one (open ones last, so a "
        "case whose latest proceeding is open is pending; Deportation Data Project) or the last "
        "completed one.",
        ("last", "last_completed"),
    ),
    Option(
        "representation",
        "e28",
        "Represented means: an EOIR-28 date on the case on or before completion (e28), "
        "or any ALIEN representative row in tbl_RepsAssigned (reps_table).",
        ("e28", "reps_table"),
    ),
    Option(
        "withholding_as",
        "relief",
        "Withholding/CAT protection granted under a removal order counts as allowed "
        "to remain (relief) or as removed (removal).",
        ("relief", "removal"),
    ),
    Option(
        "admin_closure_as",
        "closed",
        "An administrative closure is a completion (closed; TRAC) or the case stays "
        "pending (pending; EOIR counts such cases as inactive pending).",
        ("closed", "pending"),
    ),
    Option(
        "include_admin_closure",
        "no",
        "closed_without_merits adds administrative closures to terminations and dismissals.",
        ("no", "yes"),
    ),
    Option(
        "asylum_codes",
        "ASYL,ASYW",
        "APPL_CODE values that make a case an asylum case (comma-separated; add WCAT "
        "to include CAT-only claims).",
        None,
        "codes",
    ),
    Option(
        "grant_rate",
        "trac",
        "Asylum grant rate convention: trac = grants / (grants + denials); eoir = grants / "
        "(grants + denials + other decisions: abandoned, withdrawn, other).",
        ("trac", "eoir"),
    ),
    Option(
        "administration_by",
        "date",
        "Administration of a record: by its own date (inauguration day starts the "
        "new one), or by whole fiscal year (the administration in office on March 31 of the FY).",
        ("date", "fiscal_year"),
    ),
    Option(
        "defective_cases",
        "exclude",
        "Cases with a quarantined, short, implausible or unparseable row among their proceedings (and, for "
        "asylum numbers, applications) are left out (exclude) or counted as loaded (include); either way "
        "the exclusions name them by reason (docs/METHODOLOGY.md, Defective releases).",
        ("exclude", "include"),
    ),
    Option(
        "judge_min_decisions",
        100,
        "A judge is shown only with at least this many asylum decisions in the window (TRAC's rule).",
        None,
        "integer",
    ),
    Option(
        "judge_year_min",
        25,
        "A judge-year is shown only with at least this many asylum decisions (TRAC).",
        None,
        "integer",
    ),
    Option(
        "criminal_charge_rule",
        "deciding_proceeding",
        "Which record says a case carries a criminal charge (dimension criminal_charge): CRIM_IND = 'Y' of "
        "the deciding proceeding (deciding_proceeding), of any proceeding of the case (any_proceeding), or "
        "any B_TblProceedCharges charge whose tbllookupCharges row has criminal_flag set (charges).",
        CHARGE_RULES,
    ),
    Option(
        "aggravated_felony_rule",
        "charges",
        "Which record says a case involves an aggravated felony (dimension aggravated_felony): any charge "
        "whose tbllookupCharges row has aggravate_felon set (charges; default, because B_TblProceeding."
        "AGGRAVATE_FELON is 0 on all but about a dozen of the 11.3 million proceedings that fill it in a "
        "2025 release), or AGGRAVATE_FELON of the deciding proceeding (deciding_proceeding) or of any "
        "proceeding (any_proceeding).",
        CHARGE_RULES,
    ),
    Option(
        "min_n",
        10,
        "Shares and medians are hidden for cells with fewer records in the denominator.",
        None,
        "integer",
    ),
)
OPTIONS_BY_NAME = {option.name: option for option in OPTIONS}


def resolve_options(given: Mapping[str, object] | None = None) -> dict[str, str | int]:
    """All options, defaults included, with the given values validated and normalised."""
    resolved: dict[str, str | int] = {option.name: option.default for option in OPTIONS}
    for name, value in (given or {}).items():
        option = OPTIONS_BY_NAME.get(name)
        if option is None:
            raise StatsError(f"unknown option {name!r}; valid options: {', '.join(OPTIONS_BY_NAME)}")
        resolved[name] = _validated(option, value)
    return resolved


def _validated(option: Option, value: object) -> str | int:
    if option.kind == "integer":
        try:
            number = int(str(value))
        except ValueError:
            raise StatsError(f"option {option.name}={value!r} must be a whole number") from None
        if number < 0:
            raise StatsError(f"option {option.name}={value!r} must not be negative")
        return number
    if option.kind == "codes":
        try:
            return normalise_codes(str(value))
        except ValueError as error:
            raise StatsError(str(error)) from None
    text = str(value).strip().lower()
    assert option.choices is not None
    if text not in option.choices:
        raise StatsError(
            f"option {option.name}={value!r} is not valid; choose one of: {', '.join(option.choices)}"
        )
    return text


def model_options(resolved: Mapping[str, object]) -> dict[str, str]:
    """The subset of resolved options that shapes the `cases` relation."""
    return {name: str(resolved[name]) for name in MODEL_OPTION_DEFAULTS}
