"""Server-rendered pages. Each chart panel is one `ViewResult` from `Dashboard.compute`, so the page, its
table, its downloads and `/api/stats` with the same query string show the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from immcourt.metrics.display import SMALL_N, format_value
from immcourt.metrics.filters import UnknownFilterValue
from immcourt.metrics.profiles import PSEUDO_JUDGE_RULES, pseudo_judge, pseudo_judge_description
from immcourt.web.api import dashboard, download_response, metric_payload
from immcourt.web.charts import chart_spec, comparison_spec, is_small_n, partial_note
from immcourt.web.downloads import FORMATS
from immcourt.web.query import (
    OPTION_PREFIX,
    RESERVED,
    ViewError,
    ViewQuery,
    option_defaults,
    option_specs,
    option_text,
)
from immcourt.web.service import Dashboard, ViewResult, json_safe

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
templates.env.filters["option_text"] = option_text


def _cell(value: Any) -> str:
    """A release-page cell: mappings as `name: n` pairs, numbers with thousands separators."""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_cell(item)}" for key, item in value.items()) or "–"
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: "–"}[value]
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


templates.env.filters["cell"] = _cell

PROFILE_KINDS = {"court": "Court", "nationality": "Nationality", "judge": "Judge"}
TIME_FILTERS = ("fy_from", "fy_to", "date_from", "date_to", "administration", "partial")
OVERVIEW_FILTERS = ("nationality", "court")
# The options a reader of the overview most often wants to flip; the explorer offers every option.
OVERVIEW_OPTIONS = (
    "withholding_as",
    "admin_closure_as",
    "include_admin_closure",
    "grant_rate",
    "deciding_proceeding",
    "criminal_charge_rule",
)


@dataclass(frozen=True)
class PanelDef:
    title: str
    metric: str
    by: tuple[str, ...]
    note: str = ""
    # Fixed filters that define the panel's population (e.g. asylum cases only), as URL pairs.
    where: tuple[tuple[str, str], ...] = ()


ASYLUM_CASES = (("asylum_case", "true"),)
SINCE_FY2022 = (("fy_from", "2022"),)

OVERVIEW_PANELS = (
    PanelDef(
        "How asylum cases ended, by fiscal year",
        "completions",
        ("fiscal_year", "outcome"),
        "Completed cases with an asylum application, by outcome class (OUTCOMES.md section 3).",
        ASYLUM_CASES,
    ),
    PanelDef(
        "Asylum decisions by fiscal year",
        "asylum_decisions",
        ("fiscal_year", "asylum_decision"),
        "Decided ASYL applications: grants and denials (TRAC's Decisions convention).",
    ),
    PanelDef(
        "Share of completed cases allowed to remain",
        "allowed_to_remain_share",
        ("fiscal_year",),
        "Relief, asylum, termination and dismissal over all completions in the fiscal year.",
    ),
    PanelDef(
        "Closed without a decision on the merits",
        "closed_without_merits",
        ("fiscal_year",),
        "Terminated or dismissed cases (administrative closures only with the option).",
    ),
    # The seed articles' headline (asylum cases closed without a merits decision since FY2022) next to the
    # question it raises: were they the cases without criminal charges, closed by prosecutorial discretion?
    PanelDef(
        "Asylum cases closed without a merits decision since FY2022, by criminal charge",
        "closed_without_merits",
        ("fiscal_year", "criminal_charge"),
        "The bars add up to the headline count. Criminal charge by the rule of option criminal_charge_rule "
        "(default: CRIM_IND of the deciding proceeding); see /methodology.",
        ASYLUM_CASES + SINCE_FY2022,
    ),
    PanelDef(
        "Asylum cases closed without a merits decision since FY2022, by prosecutorial discretion",
        "closed_without_merits",
        ("fiscal_year", "prosecutorial_discretion"),
        "True: the deciding completion is coded as a prosecutorial-discretion closure. Dismissals on a DHS "
        "motion are coded Dismissed by IJ and count as False; add administrative closures with the option.",
        ASYLUM_CASES + SINCE_FY2022,
    ),
    PanelDef("Backlog: cases pending at the end of each fiscal year", "pending", ("fiscal_year",)),
    PanelDef("Completions by administration and outcome", "completions", ("administration", "outcome")),
    PanelDef("Allowed to remain by administration", "allowed_to_remain_share", ("administration",)),
)

PROFILE_PANELS = (
    PanelDef("Completions by fiscal year and outcome", "completions", ("fiscal_year", "outcome")),
    PanelDef(
        "Asylum decisions by fiscal year",
        "asylum_decisions",
        ("fiscal_year", "asylum_decision"),
        "Decided ASYL applications per fiscal year: grants and denials.",
    ),
    PanelDef("Asylum grant rate by fiscal year", "asylum_grant_rate", ("fiscal_year",)),
    PanelDef("Allowed to remain", "allowed_to_remain_share", ("fiscal_year",)),
    PanelDef("Median days to completion", "median_days_to_completion", ("fiscal_year",)),
    PanelDef("Ordered removed in absentia", "in_absentia_share", ("fiscal_year",)),
    PanelDef("Represented by counsel", "represented_share", ("fiscal_year",)),
)


@dataclass
class Panel:
    """One chart + table + downloads on a page."""

    title: str
    note: str
    result: ViewResult
    spec: dict[str, Any]
    slot: str
    problem: str | None = None

    @property
    def query(self) -> str:
        return self.result.query.canonical

    @property
    def partial_note(self) -> str:
        return partial_note(self.result)

    @property
    def partial_toggle(self) -> tuple[str, str]:
        """(link, text) that draws or hides the partial period, keeping the page's own parameters."""
        return (
            ("hide", "End the chart at the last complete period")
            if self.result.query.show_partial
            else ("show", "Draw the partial period too")
        )

    @property
    def downloads(self) -> dict[str, str]:
        return {extension: f"/download/view.{extension}?{self.query}" for extension in FORMATS}


@dataclass
class UnavailablePanel:
    """A panel whose statistic cannot be computed for the page's filters; it shows why instead."""

    title: str
    note: str
    problem: str
    slot: str


def render(request: Request, template: str, **context: Any) -> HTMLResponse:
    board = dashboard(request)
    context.update(request=request, stamp=board.stamp, path=request.url.path)
    return templates.TemplateResponse(request, template, context)


def render_error(request: Request, message: str) -> str:
    board = dashboard(request)
    template = templates.get_template("error.html")
    return template.render(request=request, stamp=board.stamp, path=request.url.path, message=message)


def build_panels(
    board: Dashboard, definitions: tuple[PanelDef, ...], params: list[tuple[str, str]]
) -> list[Panel | UnavailablePanel]:
    """Apply the page's filters to every panel whose metric accepts them; skip metrics the store lacks."""
    panels = []
    for number, definition in enumerate(definitions):
        metric = board.metrics.get(definition.metric)
        if metric is None:
            continue
        own = (
            [("metric", definition.metric)]
            + [("by", dim) for dim in definition.by if dim in metric.dimensions]
            + list(definition.where)
        )
        try:
            result = board.compute(board.parse(own + _applicable(params, metric)))
        except ViewError as error:  # e.g. a filter this statistic cannot take: say so in its panel only
            if isinstance(error.__cause__, UnknownFilterValue):  # a filter value matching nothing:
                raise  # the whole page is wrong, not one panel
            panels.append(UnavailablePanel(definition.title, definition.note, str(error), f"chart-{number}"))
            continue
        panels.append(Panel(definition.title, definition.note, result, chart_spec(result), f"chart-{number}"))
    return panels


def warm_overview(board: Dashboard) -> None:
    """Compute the overview's panels and filter choices ahead of the first visitor.

    Errors are skipped here: the same query fails again, with its message, when a page asks for it.
    """
    for dimension in (*OVERVIEW_FILTERS, "fiscal_year"):
        try:
            board.dimension_values(dimension)
        except ViewError:
            continue
    if _has(board, HEADLINE_METRICS):
        try:
            board.headlines(_index_query(board, []))
        except ViewError:
            pass
    for definition in OVERVIEW_PANELS:
        if definition.metric in board.metrics:
            try:
                board.compute(
                    board.parse(
                        [("metric", definition.metric)]
                        + [("by", dim) for dim in definition.by]
                        + list(definition.where)
                    )
                )
            except ViewError:
                continue


def _applicable(params: list[tuple[str, str]], metric: Any) -> list[tuple[str, str]]:
    keep = []
    for key, value in params:
        if key.startswith(OPTION_PREFIX):
            if key[len(OPTION_PREFIX) :] in option_defaults(metric):
                keep.append((key, value))
        elif key in TIME_FILTERS or key in metric.dimensions:
            keep.append((key, value))
    return keep


def _check_known(board: Dashboard, params: list[tuple[str, str]], definitions: tuple[PanelDef, ...]) -> None:
    """A filter no panel understands is a typo in a hand-edited URL: say so rather than ignore it."""
    metrics = [board.metrics[d.metric] for d in definitions if d.metric in board.metrics]
    for key, value in params:
        if not value or key in TIME_FILTERS or key in ("metric", "by", "value"):
            continue
        name = key[len(OPTION_PREFIX) :] if key.startswith(OPTION_PREFIX) else None
        known = any((name in option_defaults(m)) if name else key in m.dimensions for m in metrics)
        if not known:
            raise ViewError(f"{key!r} is not a filter or option of this page; see /methodology")


def check_values(board: Dashboard, params: list[tuple[str, str]]) -> None:
    """A court, nationality or judge the release does not know is a 404 page naming the closest known
    values (the metrics layer's UnknownFilterValue decides, by label or code, and suggests; the API says
    422 for the same query). A filter matching nothing would otherwise look like a real zero."""
    for key, value in params:
        if key not in PROFILE_KINDS:
            continue
        try:
            board.compute(board.parse([("metric", "completions"), (key, value)]))
        except ViewError as error:
            if isinstance(error.__cause__, UnknownFilterValue):
                raise ViewError(
                    f"{PROFILE_KINDS[key].lower()} {value!r} is not in release {board.stamp.release_id}: "
                    f"{error.__cause__}. See /profile/{key} for the full list.",
                    status=404,
                ) from error.__cause__
            raise


def _filter_form(
    board: Dashboard,
    params: list[tuple[str, str]],
    definitions: tuple[PanelDef, ...],
    dimensions: tuple[str, ...],
) -> dict[str, Any]:
    """Choices and current values for a page's filter form."""
    current = dict(params)
    metrics = [board.metrics[d.metric] for d in definitions if d.metric in board.metrics]
    return {
        "current": current,
        "dimensions": [(dim, board.dimension_values(dim)) for dim in dimensions],
        "options": option_fields(metrics, current, only=OVERVIEW_OPTIONS),
        "years": _fiscal_years(board),
    }


def option_fields(
    metrics: list[Any], current: dict[str, str], *, only: tuple[str, ...] | None = None
) -> list[dict]:
    """Form fields for the options of some metrics, each with the value the URL sets (else its default)."""
    fields: dict[str, dict] = {}
    for metric in metrics:
        for spec in option_specs(metric):
            if only is None or spec["name"] in only:
                fields.setdefault(
                    spec["name"],
                    {**spec, "current": current.get(OPTION_PREFIX + spec["name"], spec["default"])},
                )
    return list(fields.values())


def _fiscal_years(board: Dashboard) -> list[str]:
    years = board.dimension_values("fiscal_year")
    return sorted(years)


# --- pages -----------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    board = dashboard(request)
    params = _nonempty(request)
    _check_known(board, params, OVERVIEW_PANELS)
    check_values(board, params)
    panels = build_panels(board, OVERVIEW_PANELS, params)
    form = _filter_form(board, params, OVERVIEW_PANELS, OVERVIEW_FILTERS)
    headline = board.headlines(_index_query(board, params)) if _has(board, HEADLINE_METRICS) else []
    return render(request, "overview.html", panels=panels, form=form, headlines=headline)


@router.get("/explore", response_class=HTMLResponse)
def explore(request: Request) -> HTMLResponse:
    board = dashboard(request)
    check_values(board, _nonempty(request))
    result = board.view(_nonempty(request))
    metric = result.metric
    panel = Panel(
        metric.name.replace("_", " ").capitalize(), metric.description, result, chart_spec(result), "chart-0"
    )
    return render(
        request,
        "explore.html",
        panel=panel,
        metric=metric,
        metrics=list(board.metrics.values()),
        query=result.query,
        options=option_fields(
            [metric], {OPTION_PREFIX + name: value for name, value in result.query.options}
        ),
        filterable=[dim for dim in metric.dimensions if dim not in RESERVED],
    )


INDEX_METRICS = ("completions", "asylum_decisions", "asylum_grant_rate")
HEADLINE_METRICS = ("completions", "asylum_grant_rate", "allowed_to_remain_share", "pending")


def _has(board: Dashboard, names: tuple[str, ...]) -> bool:
    return all(name in board.metrics for name in names)


# Index tables: what a column sorts by, its heading, and whether it starts high-to-low.
INDEX_COLUMNS = {
    "rank": ("Rank", False),
    "name": ("Name", False),
    "court": ("Main court", False),
    "completions": ("Completed cases", True),
    "asylum_decisions": ("Asylum decisions", True),
    "grant_rate": ("Asylum grant rate", True),
    "first_fy": ("Fiscal years", False),
}
INDEX_PARAMS = ("q", "sort", "order")
INDEX_OPTIONS = ("grant_rate", "min_n", "judge_min_decisions")


def _index_query(board: Dashboard, params: list[tuple[str, str]]) -> ViewQuery:
    """The filters, years and options of an index or profile URL, checked against the catalog: filters
    and years as the grant-rate metric takes them, options any metric of the page knows (headlines also
    show completions and the allowed-to-remain share)."""
    keep = [(k, v) for k, v in params if k not in (*INDEX_PARAMS, "value", "partial", "metric")]
    metric = "asylum_grant_rate" if "asylum_grant_rate" in board.metrics else "completions"
    query = board.parse([("metric", metric), *[(k, v) for k, v in keep if not k.startswith(OPTION_PREFIX)]])
    known: dict[str, Any] = {}
    for metric in board.metrics.values():
        known.update(option_defaults(metric))
    options = []
    for key, item in keep:
        if key.startswith(OPTION_PREFIX):
            name = key[len(OPTION_PREFIX) :]
            if name not in known:
                raise ViewError(f"option {key} is not an option of these statistics; see /methodology")
            if item != option_text(known[name]):
                options.append((name, item))
    return query.replace(options=tuple(sorted(dict(options).items())))


def _sorted_rows(rows: list[Any], sort: str, descending: bool) -> list[Any]:
    """Rows by one column; rows without a value (a withheld rate, no rank) go last either way."""
    present = [row for row in rows if getattr(row, sort) is not None]
    missing = [row for row in rows if getattr(row, sort) is None]
    present.sort(key=lambda row: row.name)  # ties stay in name order whichever way the column runs
    present.sort(key=lambda row: getattr(row, sort), reverse=descending)
    return present + missing


def _cascade(board: Dashboard, kind: str, query: ViewQuery) -> list[tuple[str, list[tuple[str, int]]]]:
    """Each filter's choices with their completed cases under the *other* filters and the years: choosing
    a court offers only the judges and nationalities it has, with their counts."""
    out = []
    for dim in (name for name in PROFILE_KINDS if name != kind):
        others = tuple((name, value) for name, value in query.where if name != dim)
        view = board.compute(
            ViewQuery(metric="completions", by=(dim,), where=others, fy_from=query.fy_from, fy_to=query.fy_to)
        )
        counts = sorted(
            ((str(row[dim]), int(row[view.value_column] or 0)) for row in view.rows if row.get(dim)),
            key=lambda item: (-item[1], item[0]),
        )
        out.append((dim, [(name, count) for name, count in counts if count]))
    return out


@router.get("/profile/{kind}", response_class=HTMLResponse)
def profile(request: Request, kind: str, value: str | None = None) -> HTMLResponse:
    board = dashboard(request)
    if kind not in PROFILE_KINDS:
        raise ViewError(f"/profile/{kind} does not exist; profiles: {', '.join(PROFILE_KINDS)}", status=404)
    params = _nonempty(request)
    check_values(board, params)
    value = (value or "").strip()
    if not value:
        return profile_index_page(request, board, kind, params)
    params = [(key, item) for key, item in params if key != "value"] + [(kind, value)]
    check_values(board, params)
    definitions = PROFILE_PANELS
    if kind == "judge":
        # Grouping by the judge as well (one group) is what makes the metrics layer apply TRAC's judge rules
        # (100 decisions in the window, 25 per year); a plain filter would not.
        definitions = tuple(replace(panel, by=(*panel.by, "judge")) for panel in PROFILE_PANELS)
    panels = build_panels(board, definitions, params)
    min_n = {
        panel.result.metric.name: json_safe(getattr(panel.result.metric, "min_n", None))
        for panel in panels
        if not panel.problem
    }
    query = _index_query(
        board, [(k, v) for k, v in params if k in TIME_FILTERS or k.startswith(OPTION_PREFIX)]
    )
    filtered = query.replace(where=((kind, value),))
    comparison = (
        board.judge_comparison(value, query) if kind == "judge" and _has(board, INDEX_METRICS) else None
    )
    if not _has(board, HEADLINE_METRICS):
        headline = []
    elif comparison is not None and comparison.fiscal_years:
        headline = board.headlines(filtered, fiscal_years=comparison.fiscal_years, judge=True)
    else:
        headline = board.headlines(filtered)
    pseudo = pseudo_judge(value) if kind == "judge" else None
    return render(
        request,
        "profile.html",
        kind=kind,
        label=PROFILE_KINDS[kind],
        value=value,
        panels=panels,
        min_n=min_n,
        headlines=headline,
        comparison=comparison,
        comparison_spec=comparison_spec(comparison, board.stamp) if comparison and comparison.rows else None,
        pseudo=pseudo,
        pseudo_text=pseudo_judge_description(pseudo) if pseudo else "",
    )


def profile_index_page(
    request: Request, board: Dashboard, kind: str, params: list[tuple[str, str]]
) -> HTMLResponse:
    """Every court, nationality or judge with counts, grant rate, main court and years: sortable by links
    (no script needed), searchable (`q`), filtered by the other two kinds with cascading choices."""
    if not _has(board, INDEX_METRICS):  # a store whose catalog lacks the index's statistics: a plain list
        choices = board.dimension_values(kind)
        return render(request, "profile_list.html", kind=kind, label=PROFILE_KINDS[kind], choices=choices)
    query = _index_query(board, params)
    for name in ("date_from", "date_to", "administration", "at"):
        if getattr(query, name):
            raise ViewError(f"{name} is not a filter of the {kind} index; it takes fy_from and fy_to")
    for name, _ in query.where:
        if name == kind or name not in PROFILE_KINDS:
            raise ViewError(
                f"filter {name!r} does not apply to the {kind} index; filters: "
                + ", ".join(k for k in PROFILE_KINDS if k != kind)
            )
    index = board.profile_index(kind, query)
    current = dict(params)
    sort = current.get("sort", "completions")
    if (
        sort not in INDEX_COLUMNS
        or (sort == "rank" and kind != "judge")
        or (sort == "court" and kind == "court")
    ):
        raise ViewError(f"sort={sort!r} is not a column of this table; columns: {', '.join(INDEX_COLUMNS)}")
    order = current.get("order", "desc" if INDEX_COLUMNS[sort][1] else "asc")
    if order not in ("asc", "desc"):
        raise ViewError(f"order={order!r} must be asc or desc")
    search = current.get("q", "").strip()
    rows = index.ranked
    if search:
        needle = search.casefold()
        rows = [
            row for row in rows if needle in row.name.casefold() or needle in (row.court or "").casefold()
        ]
    rows = _sorted_rows(rows, sort, order == "desc")
    metric = board.metrics["asylum_grant_rate"]
    options = option_fields([metric], current, only=INDEX_OPTIONS if kind == "judge" else INDEX_OPTIONS[:2])
    return render(
        request,
        "profile_index.html",
        kind=kind,
        label=PROFILE_KINDS[kind],
        index=index,
        rows=rows,
        total=len(index.ranked),
        search=search,
        sort=sort,
        order=order,
        columns=[
            c
            for c in INDEX_COLUMNS
            if not (c == "rank" and kind != "judge") and not (c == "court" and kind == "court")
        ],
        column_labels={name: label for name, (label, _) in INDEX_COLUMNS.items()},
        cascade=_cascade(board, kind, query),
        current=current,
        years=_fiscal_years(board),
        options=options,
        hint=_index_hint(index, board),
    )


def _index_hint(index: Any, board: Dashboard) -> str:
    """When the minimum-n rules withhold every rate: how many decisions there are and which options lower
    the thresholds (the options named by the metrics layer's suppressed cells)."""
    if not index.withheld or any(row.grant_rate is not None for row in index.ranked):
        return ""
    defaults = option_defaults(board.metrics["asylum_grant_rate"])
    names = " or ".join(
        f"opt.{name} (now {option_text(index.options.get(name, defaults.get(name)))})"
        for name in index.lowering_options
    )
    return (
        f"Every asylum grant rate is withheld by the minimum-n rule: {index.withheld_decisions:,} decisions "
        f"in {index.withheld:,} rows." + (f" Lowering {names} shows them." if names else "")
    )


def sort_link(request: Request, column: str, current_sort: str, current_order: str) -> str:
    """This index URL sorted by `column`: the other direction when it already sorts by it."""
    first = "desc" if INDEX_COLUMNS[column][1] else "asc"
    order = ("asc" if current_order == "desc" else "desc") if column == current_sort else first
    pairs = [
        (k, v) for k, v in request.query_params.multi_items() if k not in ("sort", "order") and v.strip()
    ]
    return request.url.path + "?" + urlencode([*pairs, ("sort", column), ("order", order)])


templates.env.globals["sort_link"] = sort_link


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request) -> HTMLResponse:
    return render(request, "check.html", text="", report_html=None)


@router.post("/check", response_class=HTMLResponse)
def check_submit(request: Request, text: Annotated[str, Form()] = "") -> HTMLResponse:
    if not text.strip():
        raise ViewError("paste some text with numbers to check")
    report = dashboard(request).check_claims(text)
    return render(request, "check.html", text=text, report_html=report.to_html(standalone=False))


@router.get("/methodology", response_class=HTMLResponse)
def methodology(request: Request) -> HTMLResponse:
    metrics = [metric_payload(metric) for metric in dashboard(request).metrics.values()]
    options: dict[str, dict] = {}
    for metric in metrics:
        for option in metric["options"]:
            options.setdefault(option["name"], option)
    return render(
        request,
        "methodology.html",
        metrics=metrics,
        options=list(options.values()),
        pseudo_rules=PSEUDO_JUDGE_RULES,
    )


@router.get("/release", response_class=HTMLResponse)
def release(request: Request) -> HTMLResponse:
    info = json_safe(dashboard(request).release_info())
    return render(request, "release.html", info=info, validation=dashboard(request).validation())


@router.get("/download/view.{extension}")
def download(request: Request, extension: str) -> Response:
    return download_response(dashboard(request).view(_nonempty(request)), extension)


def _nonempty(request: Request) -> list[tuple[str, str]]:
    return [(key, value) for key, value in request.query_params.multi_items() if value.strip()]


def explore_link(query: ViewQuery) -> str:
    return f"/explore?{query.canonical}"


templates.env.globals["explore_link"] = explore_link


@pass_context
def partial_link(context: Any, mode: str) -> str:
    """This page's URL with `partial=show` set (mode "show") or removed (mode "hide")."""
    request: Request = context["request"]
    pairs = [(key, value) for key, value in request.query_params.multi_items() if key != "partial"]
    if mode == "show":
        pairs.append(("partial", "show"))
    return request.url.path + ("?" + urlencode(pairs) if pairs else "")


templates.env.globals["partial_link"] = partial_link


def column_label(column: str) -> str:
    """A table heading in words (`fiscal_year` -> `Fiscal year`); the cell's data-column and the downloads
    keep the column's name."""
    return column.replace("_", " ").capitalize()


templates.env.globals["column_label"] = column_label
templates.env.globals["pseudo_judge"] = pseudo_judge
templates.env.globals["format_value"] = format_value
templates.env.globals["is_small_n"] = is_small_n
templates.env.globals["small_n"] = SMALL_N
