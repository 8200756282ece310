// immcourt dashboard: draw the charts embedded in the page, keep filters in the URL, sort tables.
"use strict";

// Each chart's Vega-Lite spec sits in a <script type="application/json"> next to it; the server made it,
// and the PNG/SVG downloads render the very same spec.
function drawCharts() {
  document.querySelectorAll(".chart[data-spec]").forEach((el) => {
    const source = document.getElementById(el.dataset.spec);
    if (!source || typeof vegaEmbed === "undefined") return;
    const spec = JSON.parse(source.textContent);
    vegaEmbed(el, spec, { actions: false, renderer: "svg" })
      .then(() => el.setAttribute("data-rendered", "true"))
      .catch((error) => { el.textContent = "Chart failed to draw: " + error; el.setAttribute("data-rendered", "error"); });
  });
}

// Filter forms change the page only on their Apply button (or Enter), never on a select's change: an
// arrow key in a select must not reload the page and lose the focus. Empty fields are dropped to keep
// permalinks short; the address bar then holds the permalink of what is shown.
function wireForms() {
  document.querySelectorAll("form[data-autosubmit]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const metric = form.querySelector("[data-resets]");
      if (metric && metric.value !== metric.dataset.initial) {  // another metric has other dimensions
        window.location.assign(form.action + "?metric=" + encodeURIComponent(metric.value));
        return;
      }
      navigate(form);
    });
  });
}

// Picking a filter dimension offers its values, most frequent first, from the same API the page uses.
function wireFilterValues() {
  document.querySelectorAll("[data-filter-dimension]").forEach((select) => {
    select.addEventListener("change", async () => {
      const list = document.getElementById("filter-values");
      const metric = select.form.querySelector("[name=metric]");
      if (!list || !select.value || !metric) return;
      const query = new URLSearchParams({ metric: metric.value, by: select.value });
      const response = await fetch("/api/stats?" + query.toString());
      if (!response.ok) return;
      const body = await response.json();
      const rows = body.rows.filter((row) => row[select.value] !== null);
      rows.sort((a, b) => (b[body.value_column] || 0) - (a[body.value_column] || 0));
      list.replaceChildren(...rows.map((row) => new Option(String(row[select.value]))));
    });
  });
}

function navigate(form) {
  const params = new URLSearchParams();
  // Options left at their default are dropped too: the server reads a missing option as its default.
  const defaults = {};
  form.querySelectorAll("[data-default]").forEach((field) => { defaults[field.name] = field.dataset.default; });
  for (const [name, value] of new FormData(form)) {
    const text = String(value).trim();
    if (text !== "" && defaults[name] !== text) params.append(name, text);
  }
  const dimension = form.querySelector("[data-filter-dimension]");
  const value = form.querySelector("[data-filter-value]");
  if (dimension && value && dimension.value && value.value.trim()) params.set(dimension.value, value.value.trim());
  const query = params.toString();
  window.location.assign((form.getAttribute("action") || window.location.pathname) + (query ? "?" + query : ""));
}

// Click a column header to sort; numbers sort as numbers (the cell keeps the raw value in data-value).
function wireTables() {
  document.querySelectorAll("table.sortable").forEach((table) => {
    table.querySelectorAll("thead th").forEach((th, index) => {
      th.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        rows.sort((a, b) => compareCells(a.cells[index], b.cells[index]) * (ascending ? 1 : -1));
        rows.forEach((row) => body.appendChild(row));
      });
    });
  });
}

function compareCells(a, b) {
  if (!a || !b) return 0;
  const x = a.dataset.value, y = b.dataset.value;
  if (x !== undefined && y !== undefined) return Number(x) - Number(y);
  return a.textContent.localeCompare(b.textContent, undefined, { numeric: true });
}

// The claim-check report is embedded as a fragment; "print" prints the page, whose print styles hide the rest.
function wirePrintLinks() {
  document.querySelectorAll("[data-print-report]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      window.print();
    });
  });
}

// An index's search box also narrows the table while typing (the form's submit does the same on the
// server, so the search works without scripts too).
function wireLiveFilters() {
  document.querySelectorAll("input[data-live-filter]").forEach((input) => {
    const table = document.getElementById(input.dataset.liveFilter);
    if (!table) return;
    input.addEventListener("input", () => {
      const needle = input.value.trim().toLocaleLowerCase();
      Array.from(table.tBodies[0].rows).forEach((row) => {
        row.hidden = needle !== "" && !row.textContent.toLocaleLowerCase().includes(needle);
      });
    });
  });
}

document.addEventListener("DOMContentLoaded", () => { drawCharts(); wireForms(); wireFilterValues(); wireTables(); wireLiveFilters(); wirePrintLinks(); });
