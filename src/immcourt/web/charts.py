"""One Vega-Lite spec per view, built with Altair; the browser and the PNG/SVG downloads render the same spec.

The chart title names the statistic; the subtitle carries the filters, the release (and SAMPLE when it is
synthetic) and the options, so an image cut out of the page still says where it came from.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import altair as alt

from immcourt.metrics.display import SMALL_N
from immcourt.metrics.profiles import pseudo_judge
from immcourt.web.service import PARTIAL_COLUMN, TIME_DIMENSIONS, ViewResult

MAX_CATEGORIES = 30  # bars beyond this are unreadable on a phone; the table below the chart has every row
SUBTITLE_WIDTH = 62  # characters per subtitle line: fits a phone-width chart at Vega's default font size
SHARE_UNITS = ("share", "rate", "percent", "proportion", "ratio")


def chart_spec(result: ViewResult, *, width: int | str = "container", height: int = 280) -> dict[str, Any]:
    """The Vega-Lite spec (a dict) for a computed view, cached on the result."""
    return result.memo(f"spec:{width}:{height}", lambda: _build(result, width=width, height=height))


def image_spec(result: ViewResult) -> dict[str, Any]:
    """The same chart with a fixed width: server-side renderers have no container to fill."""
    return chart_spec(result, width=640, height=320)


def _build(result: ViewResult, *, width: int | str, height: int) -> dict[str, Any]:
    rows = [row for row in result.rows if result.value_column and row.get(result.value_column) is not None]
    partial = _partial_on_x(result)
    if partial:
        # Time charts end at the last complete period; the table and downloads keep every row.
        rows = [{**row, PARTIAL_COLUMN: result.is_partial_row(row)} for row in rows]
        if not result.query.show_partial:
            rows = [row for row in rows if not row[PARTIAL_COLUMN]]
    by = list(result.query.by)
    value = result.value_column or "value"
    is_share = any(word in str(result.metric.unit).lower() for word in SHARE_UNITS)
    truncated = False
    if by and by[0] not in TIME_DIMENSIONS and len({row.get(by[0]) for row in rows}) > MAX_CATEGORIES:
        rows, truncated = _top_categories(rows, key=by[0], value=value), True
    # Codes such as `asylum_granted` become words; the table and downloads keep the codes.
    rows = [{**row, **{dim: human(row.get(dim)) for dim in by if dim not in TIME_DIMENSIONS}} for row in rows]
    if "judge" in by:  # a code that is not one judge says so on the chart too (metrics/profiles.py)
        rows = [{**row, "judge": judge_label(row.get("judge"))} for row in rows]
    if is_share:
        rows = [{**row, SMALL_N_FIELD: is_small_n(row)} for row in rows]
    x_is_time = bool(by) and by[0] in TIME_DIMENSIONS
    if x_is_time and is_share:
        rows = _with_segments(rows, by)
    fraction = _is_fraction(rows, value, is_share)
    # The rows go in after Altair has built the spec: it validates inline data value by value, which
    # takes a minute for a 100,000-row view; a named source is swapped for the rows instead.
    data = alt.Data(name=ROWS_SOURCE)
    base = alt.Chart(data).properties(width=width, height=height, title=_title(result, truncated=truncated))
    period = _period_encoding(result) if partial and result.query.show_partial else {}
    y = alt.Y(f"{value}:Q", title=_unit_title(result), axis=alt.Axis(format=".0%" if fraction else ",~r"))
    tooltip = [alt.Tooltip(f"{name}:N", title=_label(name)) for name in by] + [
        alt.Tooltip(f"{value}:Q", title=_unit_title(result), format=".1%" if fraction else ",.4~r")
    ]
    if is_share and rows and "n" in rows[0]:
        tooltip.append(alt.Tooltip("n:Q", title="Decisions (n)", format=","))
    if not by:
        chart = base.mark_bar().encode(x=alt.X("metric:N", title=None), y=y, tooltip=tooltip[-1:])
        chart = chart.transform_calculate(metric=f"'{_label(result.metric.name)}'")
    else:
        x = alt.X(f"{by[0]}:O", title=_label(by[0]), axis=_x_axis(by[0]), sort=_x_order(by[0], value))
        encoding: dict[str, Any] = {"x": x, "y": y, "tooltip": tooltip, **period}
        if len(by) > 1:
            encoding["color"] = alt.Color(
                f"{by[1]}:N",
                title=_label(by[1]),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=180, symbolType="square"),
                scale=_color_scale(by[1]),
                sort=_color_order(by[1]),
            )
        if x_is_time and is_share:
            # A line only along time, and broken where a period is missing or withheld (no line across a gap).
            detail = [f"{SEGMENT_FIELD}:N"] + ([f"{by[1]}:N"] if len(by) > 1 else [])
            if len(by) > 1:  # each series also has its own point shape: the legend does not rest on colour
                encoding["shape"] = alt.Shape(f"{by[1]}:N", title=_label(by[1]), sort=_color_order(by[1]))
            chart = base.mark_line(point=True).encode(detail=detail, **encoding)
        else:
            # Categories (courts, administrations) are bars: a line across them would invent a trend.
            # Counts stack (the bar is the total); shares stand side by side (they do not add up).
            if len(by) > 1 and is_share:
                encoding["xOffset"] = alt.XOffset(f"{by[1]}:N", sort=_color_order(by[1]))
            labels: list[dict[str, Any]] = []
            if len(by) > 1 and not is_share:
                # Stacked counts: one stack order for bars, legend and labels; white edges between the
                # segments; the last bar's segments named beside it (the chart does not rest on colour).
                order = _stack_order(rows, by[1], value)
                rank = {name: position for position, name in enumerate(order)}
                rows = [{**row, STACK_FIELD: rank.get(row.get(by[1]), len(rank))} for row in rows]
                encoding["order"] = alt.Order(f"{STACK_FIELD}:Q", sort="ascending")
                encoding["color"]["sort"] = order
                labels = _direct_labels(rows, by, value, order)
            chart = base.mark_bar(stroke="#fff", strokeWidth=0.6).encode(**encoding)
            if labels:
                names = alt.Chart(alt.Data(values=labels)).mark_text(
                    align="left", baseline="middle", dx=4, fontSize=10, color="#333", limit=110
                )
                chart = alt.layer(
                    chart,
                    names.encode(
                        x=alt.X(f"{by[0]}:O", sort=_x_order(by[0], value), bandPosition=1),
                        y=alt.Y(f"{LABEL_Y}:Q", stack=None),
                        text=alt.Text(f"{LABEL_TEXT}:N"),
                    ),
                )
        if is_share and any(row.get(SMALL_N_FIELD) for row in rows):
            marks = base.mark_text(dy=-8, fontSize=10, color="#6b3a00").encode(
                x=x,
                y=y,
                text=alt.value("small n"),
                **({"xOffset": encoding["xOffset"]} if "xOffset" in encoding else {}),
            )
            chart = alt.layer(chart, marks.transform_filter(f"datum.{SMALL_N_FIELD}"))
    spec = _with_rows(chart.to_dict(), rows)
    if "layer" in spec:  # a layered chart keeps its title and size at the top, like a single one
        for key in ("title", "width", "height"):
            values = [layer.pop(key) for layer in spec["layer"] if key in layer]
            if values and key not in spec:
                spec[key] = values[0]
    spec["description"] = describe(result)  # the SVG's aria-label, instead of "Vega visualization"
    spec["usermeta"] = {"immcourt": {"query": result.query.canonical, "release": result.stamp.release_id}}
    return spec


def describe(result: ViewResult) -> str:
    """What the chart shows, in one sentence for screen readers (also the chart's aria-label)."""
    by = [_label(dim).lower() for dim in result.query.by]
    what = _label(result.metric.name) + (f" by {' and '.join(by)}" if by else "")
    first = result.query.by[0] if result.query.by else None
    share = any(word in str(result.metric.unit).lower() for word in SHARE_UNITS)
    kind = "Line chart" if first in TIME_DIMENSIONS and share else "Bar chart"
    stamp = result.stamp
    parts = [f"{kind}: {what}", f"Cases: {result.filters_text}", stamp.label, stamp.through_text]
    if partial_note(result):
        parts.append(partial_note(result))
    parts.append("The table below the chart has every value.")
    return ". ".join(part.rstrip(".") for part in parts) + "."


SEGMENT_FIELD = "_segment"
ROWS_SOURCE = "immcourt_rows"


def _with_rows(spec: Any, rows: list[dict[str, Any]]) -> Any:
    """The spec with every `{"name": ROWS_SOURCE}` data source replaced by the rows themselves."""
    if isinstance(spec, dict):
        if spec.get("name") == ROWS_SOURCE and set(spec) == {"name"}:
            return {"values": rows}
        return {key: _with_rows(value, rows) for key, value in spec.items()}
    if isinstance(spec, list):
        return [_with_rows(item, rows) for item in spec]
    return spec


SMALL_N_FIELD = "small_n"
STACK_FIELD = "_stack"
LABEL_Y, LABEL_TEXT = "_label_y", "_label"
LABEL_MIN_SHARE = 0.06  # a segment shorter than this share of the tallest bar gets no label (no overlap)


def _stack_order(rows: list[dict[str, Any]], series: str, value: str) -> list[Any]:
    """The order of a stacked bar's segments, bottom first: the fixed order of outcomes and decisions,
    else the largest series first."""
    fixed = _color_order(series)
    present = {row.get(series) for row in rows}
    if fixed is not alt.Undefined:
        return [name for name in fixed if name in present] + sorted(present - set(fixed), key=str)
    totals: dict[Any, float] = {}
    for row in rows:
        totals[row.get(series)] = totals.get(row.get(series), 0.0) + float(row.get(value) or 0)
    return sorted(totals, key=lambda name: (-totals[name], str(name)))


def _direct_labels(
    rows: list[dict[str, Any]], by: list[str], value: str, order: list[Any]
) -> list[dict[str, Any]]:
    """Names of the segments of the last bar along time (or administrations), placed at each segment's
    middle beside the bar; [] when the x axis is not ordered in time."""
    if by[0] not in (*TIME_DIMENSIONS, "administration") or not rows:
        return []
    xs = [row.get(by[0]) for row in rows]
    if by[0] == "administration":
        ranks = {name: position for position, name in enumerate(_administrations_in_order() or [])}
        last = max(xs, key=lambda name: ranks.get(name, -1))
    else:
        last = max(xs, key=str)
    totals: dict[Any, float] = {}
    for row in rows:
        totals[row.get(by[0])] = totals.get(row.get(by[0]), 0.0) + max(float(row.get(value) or 0), 0.0)
    tallest = max(totals.values(), default=0.0)
    if tallest <= 0:
        return []
    segments = {row.get(by[1]): float(row.get(value) or 0) for row in rows if row.get(by[0]) == last}
    labels, bottom, previous = [], 0.0, None
    for name in order:
        height = max(segments.get(name, 0.0), 0.0)
        middle = bottom + height / 2
        bottom += height
        tall_enough = height >= LABEL_MIN_SHARE * tallest
        apart = previous is None or middle - previous >= LABEL_MIN_SHARE * tallest
        if tall_enough and apart:
            labels.append({by[0]: last, LABEL_Y: middle, LABEL_TEXT: str(name)})
            previous = middle
    return labels


def human(value: Any) -> Any:
    """`asylum_granted` -> `Asylum granted`, `denied` -> `Denied` (lower-case codes); names such as
    `HOUSTON`, codes such as `ARL` and numbers stay as they are."""
    if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]*", value):
        return value.replace("_", " ").capitalize()
    return value


def judge_label(name: Any) -> Any:
    """A judge as charts name it: `VISITING JUDGE 1 (visiting: not one judge)` for a pseudo-judge."""
    kind = pseudo_judge(name)
    return f"{name} ({kind}: not one judge)" if kind and kind != "unknown" else name


def is_small_n(row: dict[str, Any]) -> bool:
    """A rate from fewer than SMALL_N decisions (metrics/display.py) is marked `small n`."""
    n = row.get("denominator", row.get("n"))
    return isinstance(n, int | float) and n < SMALL_N


def _with_segments(rows: list[dict[str, Any]], by: list[str]) -> list[dict[str, Any]]:
    """Number the runs of consecutive periods of each series; the line is drawn within a run only."""
    out = []
    series: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        series.setdefault(row.get(by[1]) if len(by) > 1 else None, []).append(row)
    for members in series.values():
        members = sorted(members, key=lambda row: _period_index(by[0], row.get(by[0])))
        segment, previous = 0, None
        for row in members:
            index = _period_index(by[0], row.get(by[0]))
            if previous is not None and index != previous + 1:
                segment += 1
            previous = index
            out.append({**row, SEGMENT_FIELD: segment})
    return out


def _period_index(dimension: str, value: Any) -> int:
    """Years as themselves, months `YYYY-MM` as year*12+month: consecutive periods differ by one."""
    text = str(value)
    try:
        if dimension == "month":
            year, month = text.split("-")[:2]
            return int(year) * 12 + int(month)
        return int(text)
    except ValueError:
        return -(10**9)


# Outcome classes coloured by what they mean for the person: greens allowed to remain on relief, blues
# closed without a merits decision, grey other, oranges and reds ordered to leave (OUTCOMES.md section 3).
OUTCOME_COLORS = {
    "asylum_granted": "#1b7837",
    "relief_granted": "#5aae61",
    "protection_under_removal_order": "#a6dba0",
    "terminated": "#2166ac",
    "dismissed": "#67a9cf",
    "administratively_closed": "#b2c9e0",
    "other": "#bdbdbd",
    "voluntary_departure": "#f4a582",
    "removal_order": "#b2182b",
}
DECISION_COLORS = {"granted": "#1b7837", "denied": "#b2182b", "other": "#bdbdbd"}
_FIXED_COLORS = {"outcome": OUTCOME_COLORS, "asylum_decision": DECISION_COLORS}


def _color_scale(dimension: str) -> alt.Scale | Any:
    colors = _FIXED_COLORS.get(dimension)
    if colors is None:
        return alt.Undefined
    return alt.Scale(domain=[human(code) for code in colors], range=list(colors.values()))


def _color_order(dimension: str) -> list[str] | Any:
    colors = _FIXED_COLORS.get(dimension)
    return [human(code) for code in colors] if colors else alt.Undefined


def _x_axis(dimension: str) -> alt.Axis:
    """Years and administrations read level; long category names slant; crowded labels thin out."""
    level = dimension in ("fiscal_year", "calendar_year", "administration")
    return alt.Axis(labelAngle=0 if level else -45, labelLimit=140, labelOverlap="parity")


def _x_order(dimension: str, value: str) -> Any:
    """Time runs left to right (administrations in office order); categories by size, largest first."""
    if dimension == "administration":
        return _administrations_in_order()
    if dimension in TIME_DIMENSIONS:
        return None
    return alt.EncodingSortField(value, order="descending")


def _administrations_in_order() -> list[str] | None:
    try:
        from immcourt.metrics.compile import administration_names
    except ImportError:  # the catalog is not installed: keep the order the rows came in
        return None
    return administration_names()


def _partial_on_x(result: ViewResult) -> list[str]:
    """The partial periods of a chart whose x axis is the view's first grouping and a period."""
    by = result.query.by
    return result.partial_periods if by and by[0] == result.time_dimension else []


def partial_note(result: ViewResult) -> str:
    """One sentence on the partial period(s) of a time chart, at the data's start or end, or "" when
    every period is complete."""
    partial = _partial_on_x(result)
    if not partial:
        return ""
    stamp = result.stamp
    start = [value for value in result.partial_at_start if value in partial]
    end = [value for value in result.partial_at_end if value in partial and value not in start]
    pieces = []
    if start:
        pieces.append(f"{_span(start)} (records from {stamp.records_from})")
    if end:
        pieces.append(f"{_span(end)} (records through {stamp.records_through or '?'})")
    verb = "is" if len(partial) == 1 else "are"
    what = f"{_label(result.query.by[0])} {' and '.join(pieces)} {verb} partial"
    if result.query.show_partial:
        return f"{what}: drawn lighter."
    return f"{what} and not drawn; the table has {'it' if len(partial) == 1 else 'them'}."


def _span(values: list[str]) -> str:
    """Periods in a note: `2000`, `2000, 2001` or, for a longer run (the empty years a range asks for
    before the data starts), `1900–2000`."""
    return ", ".join(values) if len(values) <= 2 else f"{values[0]}–{values[-1]}"


def _period_encoding(result: ViewResult) -> dict[str, Any]:
    """Partial periods drawn lighter, with a legend entry in words (not by colour alone)."""
    stamp = result.stamp
    ends = []
    if result.partial_at_start:
        ends.append(f"from {stamp.records_from}")
    if result.partial_at_end:
        ends.append(f"through {stamp.records_through or '?'}")
    span = "records " + ", ".join(ends)
    return {
        "opacity": alt.Opacity(
            f"{PARTIAL_COLUMN}:N",
            title="Period",
            scale=alt.Scale(domain=[False, True], range=[1.0, 0.35]),
            legend=alt.Legend(
                orient="bottom",
                labelLimit=320,
                labelExpr=f"datum.value ? 'partial ({span})' : 'complete'",
            ),
        )
    }


def _title(result: ViewResult, *, truncated: bool) -> dict[str, Any]:
    source = (
        f"SAMPLE DATA (synthetic, not real EOIR records), release {result.stamp.release_id}"
        if result.stamp.is_sample
        else f"EOIR release {result.stamp.release_id}"
    ) + f", {result.stamp.through_text}"
    subtitle = [
        source,
        f"{result.filters_text}{' (top ' + str(MAX_CATEGORIES) + ' shown)' if truncated else ''}",
        result.options_plain,
    ]
    if result.convention:
        subtitle.append(f"grant-rate convention: {result.convention}")
    partial = _partial_on_x(result)
    if partial:  # short: the page says more beside the chart
        state = "drawn lighter" if result.query.show_partial else "not drawn"
        subtitle.append(f"{', '.join(partial)}: partial period ({state})")
    return {
        "text": _label(result.metric.name),
        "subtitle": [part for line in subtitle for part in textwrap.wrap(line, SUBTITLE_WIDTH)],
        "anchor": "start",
        "subtitleColor": "#b00020" if result.stamp.is_sample else "#444",
    }


def _top_categories(rows: list[dict[str, Any]], *, key: str, value: str) -> list[dict[str, Any]]:
    totals: dict[Any, float] = {}
    for row in rows:
        totals[row.get(key)] = totals.get(row.get(key), 0.0) + float(row.get(value) or 0)
    keep = set(sorted(totals, key=lambda item: -totals[item])[:MAX_CATEGORIES])
    return [row for row in rows if row.get(key) in keep]


def _is_fraction(rows: list[dict[str, Any]], value: str, is_share: bool) -> bool:
    """Shares stored as 0..1 get a percent axis; shares already in percent keep plain numbers."""
    return is_share and all(0 <= float(row[value]) <= 1 for row in rows)


def _unit_title(result: ViewResult) -> str:
    return str(result.metric.unit or result.value_column or "value")


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


COMPARISON_SERIES = {"judge": "This judge", "court": "Court", "nation": "Nation"}


def comparison_spec(comparison: Any, stamp: Any) -> dict[str, Any]:
    """A judge's asylum grant rate beside the court's and the nation's (metrics/profiles.Comparison), one
    line per series along the fiscal years: broken where a rate is withheld, each series with its own point
    shape and dash (not colour alone), `small n` on rates from fewer than SMALL_N decisions."""
    rows = []
    for row in comparison.rows:
        if row.period == "all":
            continue
        for who, name in COMPARISON_SERIES.items():
            value = row.values.get(who)
            if value is not None:
                rows.append(
                    {
                        "fiscal_year": int(row.period),
                        "series": name,
                        "value": value,
                        "n": row.n.get(who, 0),
                        SMALL_N_FIELD: row.n.get(who, 0) < SMALL_N,
                    }
                )
    rows = [
        {**row, "fiscal_year": row["fiscal_year"]} for row in _with_segments(rows, ["fiscal_year", "series"])
    ]
    order = list(COMPARISON_SERIES.values())
    source = (
        f"SAMPLE DATA (synthetic, not real EOIR records), release {stamp.release_id}"
        if stamp.is_sample
        else f"EOIR release {stamp.release_id}"
    ) + f", {stamp.through_text}"
    base = alt.Chart(alt.Data(values=rows)).properties(
        width="container",
        height=260,
        title={
            "text": "Asylum grant rate: judge, court, nation",
            "subtitle": textwrap.wrap(
                f"{comparison.judge}; {source}; {comparison.convention or ''}", SUBTITLE_WIDTH
            ),
            "anchor": "start",
            "subtitleColor": "#b00020" if stamp.is_sample else "#444",
        },
    )
    x = alt.X("fiscal_year:O", title="Fiscal year", axis=_x_axis("fiscal_year"))
    y = alt.Y(
        "value:Q", title="Asylum grant rate", axis=alt.Axis(format=".0%"), scale=alt.Scale(domain=[0, 1])
    )
    legend = alt.Legend(orient="bottom", columns=3, labelLimit=120, title=None)
    lines = base.mark_line(point={"size": 60, "filled": True}).encode(
        x=x,
        y=y,
        color=alt.Color(
            "series:N",
            sort=order,
            legend=legend,
            scale=alt.Scale(domain=order, range=["#b2182b", "#2166ac", "#4d4d4d"]),
        ),
        shape=alt.Shape(
            "series:N",
            sort=order,
            legend=legend,
            scale=alt.Scale(domain=order, range=["circle", "square", "triangle-up"]),
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            sort=order,
            legend=legend,
            scale=alt.Scale(domain=order, range=[[1, 0], [6, 3], [2, 2]]),
        ),
        detail=[f"{SEGMENT_FIELD}:N"],
        tooltip=[
            alt.Tooltip("fiscal_year:O", title="Fiscal year"),
            alt.Tooltip("series:N", title="Who"),
            alt.Tooltip("value:Q", title="Grant rate", format=".1%"),
            alt.Tooltip("n:Q", title="Decisions (n)", format=","),
        ],
    )
    chart: Any = lines
    if any(row[SMALL_N_FIELD] for row in rows):
        marks = base.mark_text(dy=-9, fontSize=9, color="#6b3a00").encode(x=x, y=y, text=alt.value("small n"))
        chart = alt.layer(lines, marks.transform_filter(f"datum.{SMALL_N_FIELD}"))
    spec = chart.to_dict()
    years = comparison.fiscal_years
    spec["description"] = (
        f"Line chart: asylum grant rate of {comparison.judge} beside the court"
        + (f" ({comparison.court})" if comparison.court else "")
        + f" and the nation, FY{years[0]} to FY{years[1]}. {source}. Withheld rates are not drawn. "
        "The table below the chart has every value."
    )
    return spec
