// archplan serve: the page shows what the API computes. No figure is computed here: every number comes
// from /api/plan, /api/evaluate, /api/compare or /api/curve and is only formatted for display.
"use strict";
const state = { env: null, phase: null, phases: [], changes: new Map(), selected: null, result: null, version: null, zoom: 1,
  environments: [], pending: 0, viewed: false };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function amount(money, currency) {
  if (!money) return null;
  const key = currency.toLowerCase();
  if (key in money) return money[key];
  if (money.converted && currency in money.converted) return money.converted[currency];
  return money.usd;
}
function fmtMoney(money, currency) {
  const value = amount(money, currency);
  if (value === null || value === undefined) return "—";
  const locale = currency === "INR" ? "en-IN" : "en-US";
  // The currency's own decimals (two for USD, none for JPY), as `cost` shows it.
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(value);
}
function fmtSigned(money, currency) {
  const value = amount(money, currency);
  const text = fmtMoney(money, currency);
  return value > 0 ? "+" + text : text;
}
// A figure of a diff row (archplan.diff/v1): before_usd / before_inr, ... in the page's currency.
function side(row, which, currency) {
  const key = `${which}_${currency.toLowerCase()}`;
  const value = key in row ? row[key] : row[`${which}_usd`];
  return { [currency.toLowerCase()]: value, usd: row[`${which}_usd`] };
}
// A setting as written in a plan: absent is "not set" (not "null"), a list is its items, a mapping is YAML's
// flow style ({name: db, protocol: Postgres}), not JSON's quoted keys.
function fmtSetting(value, nested) {
  if (value === null || value === undefined) return nested ? "null" : "not set";
  if (Array.isArray(value)) {
    const items = value.map((item) => fmtSetting(item, true));
    return nested ? `[${items.join(", ")}]` : items.join(", ") || "none";
  }
  if (typeof value === "object") {
    return `{${Object.entries(value).map(([key, item]) => `${key}: ${fmtSetting(item, true)}`).join(", ")}}`;
  }
  return String(value);
}
// A quantity as `archplan cost` writes it (render/numbers.py quantity): whole numbers grouped, 100 or more
// without decimals, 1 or more with two, below that four significant digits.
function fmtQuantity(value) {
  if (value === null || value === undefined) return "—";
  const n = Number(value), size = Math.abs(n);
  if (Number.isInteger(n)) return new Intl.NumberFormat("en-US").format(n);
  if (size >= 100) return new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 }).format(n);
  if (size >= 1) return new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
  return String(Number(n.toPrecision(4)));
}
function shorten(text, length) { return text.length > length ? text.slice(0, length - 1) + "…" : text; }
function fmtNumber(value) {
  return value === null || value === undefined ? "—" : new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 }).format(value);
}

async function api(path, body) {
  const options = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body) };
  const response = await fetch(path, options);
  const data = await response.json();
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function showError(message) {
  const box = $("error");
  if (message) { box.textContent = message; box.hidden = false; $("main").classList.add("stale");
    $("total").textContent = "—"; $("delta").textContent = ""; }
  else { box.hidden = true; box.textContent = ""; $("main").classList.remove("stale"); }
}

function changeList() {
  return [...state.changes.entries()].map(([key, value]) => ({ path: key.split("\u0000"), value }));
}

async function refresh() {
  const ticket = ++state.pending;
  try {
    const data = state.changes.size
      ? await api("/api/evaluate", { environment: state.env || "", phase: state.phase || "", changes: changeList() })
      // the first view is the one `serve --env/--phase` was started with: asked for by leaving both out
      : await api(state.viewed ? `/api/plan?environment=${encodeURIComponent(state.env || "")}&phase=${encodeURIComponent(state.phase || "")}`
        : "/api/plan");
    if (ticket !== state.pending) return;
    if (data.error) { showError(data.error); renderChanges(null); return; }
    state.version = data.version;
    state.viewed = true;
    setViews(data.environments, data.phases || [], data.environment, data.phase);
    showError(null);
    render(data.result, data.diff || null);
    loadCurve();
  } catch (error) {
    // the change list stays current beside the message, each change with its undo
    if (ticket === state.pending) { showError(error.message); renderChanges(null); }
  }
}

function setViews(environments, phases, env, phase) {
  const same = JSON.stringify([environments, phases]) === JSON.stringify([state.environments, state.phases]);
  state.env = env; state.phase = phase;
  if (!same) {
    state.environments = environments; state.phases = phases;
    $("env").replaceChildren(el("option", { value: "" }, "(base plan)"),
      ...environments.map((name) => el("option", { value: name }, name)));
    $("phase").replaceChildren(el("option", { value: "" }, "(as written)"),
      ...phases.map((name) => el("option", { value: name }, name)));
    $("phase-picker").hidden = !phases.length;
    const views = [["", "base plan"], ...environments.map((n) => [`env:${n}`, `environment ${n}`]),
      ...phases.map((n) => [`phase:${n}`, `phase ${n}`])];
    for (const id of ["cmp-a", "cmp-b"]) {
      $(id).replaceChildren(...views.map(([value, label]) => el("option", { value }, label)));
    }
    $("cmp-b").value = views.length > 1 ? views[1][0] : "";
  }
  $("env").value = env || "";
  $("phase").value = phase || "";
}

function render(result, diff) {
  state.result = result;
  const currency = result.currency;
  $("project").textContent = result.project + (result.environment ? ` · ${result.environment}` : "")
    + (state.phase ? ` · phase ${state.phase}` : "");
  $("file").textContent = `${result.region} · totals in ${currency} · ${result.cost.components.length} components`;
  $("total").textContent = fmtMoney(result.cost.total, currency) + " / month";
  $("total").dataset.amount = amount(result.cost.total, currency);
  const delta = $("delta");
  delta.className = "delta";
  if (diff && diff.cost) {
    const total = diff.cost.total;
    const value = amount(side(total, "delta", currency), currency);
    delta.textContent = `${fmtSigned(side(total, "delta", currency), currency)} vs saved plan (${fmtMoney(side(total, "before", currency), currency)})`;
    delta.classList.add(value > 0 ? "up" : value < 0 ? "down" : "same");
  } else delta.textContent = "saved plan";
  renderDiagram(result);
  renderLayerList(result);
  renderTrafficKnobs(result);
  renderPanel();
  renderCharts(result);
  renderPaths(result);
  renderFindingGroups($("findings"), result.check.findings);
  renderChanges(diff);
}

async function renderDiagram(result) {
  const box = $("diagram");
  if (box.dataset.id !== result.diagram.id && box.dataset.wanted !== result.diagram.id) {
    const wanted = result.diagram.id;
    box.dataset.wanted = wanted;  // asked for once: a click while Graphviz draws it does not ask again
    if (!box.querySelector("svg")) box.replaceChildren(el("p", { class: "hint" }, "drawing the diagram…"));
    let response, text;
    try {
      response = await fetch(`/api/diagram/${wanted}`);
      text = await response.text();
    } catch (error) { response = null; text = error.message; }
    if (box.dataset.wanted !== wanted) return;
    box.dataset.wanted = "";
    if (!response || !response.ok) {
      // one line in the diagram's place, and the list (which needs no drawing) open instead
      let message = text;
      try { message = JSON.parse(text).error || message; } catch (error) { /* not JSON: the text itself */ }
      box.replaceChildren(el("p", { class: "hint", "data-testid": "diagram-error" },
        response ? message : `the diagram could not be loaded: ${message}`));
      box.dataset.id = wanted; box.dataset.ready = "error";
      $("layer-list").hidden = false;
      return;
    }
    const first = !box.querySelector("svg");
    box.innerHTML = text;  // generated by Graphviz from escaped labels
    box.dataset.id = wanted;
    if (first) fitZoom(); else applyZoom();
    for (const node of box.querySelectorAll("g.node")) {
      const id = node.getAttribute("id") || "";
      if (!id.startsWith("node:")) continue;
      const name = id.slice(5);
      node.setAttribute("tabindex", "0");
      node.setAttribute("data-component", name);
      node.addEventListener("click", () => select(name));
      node.addEventListener("keydown", (event) => { if (event.key === "Enter") select(name); });
    }
    for (const edge of box.querySelectorAll("g.edge")) {
      const id = edge.getAttribute("id") || "";
      if (!id.startsWith("edge:")) continue;
      const [source, target] = id.slice(5).split("->");
      edge.setAttribute("data-edge", `${source}->${target}`);
      edge.addEventListener("click", () => select(state.result.components[source] ? source : target, `${source}->${target}`));
    }
    box.dataset.ready = "1";
  }
  for (const node of box.querySelectorAll("g.node")) {
    node.classList.toggle("selected", node.dataset.component === state.selected);
  }
}

function applyZoom() {
  const svg = $("diagram").querySelector("svg");
  if (!svg) return;
  const base = svg.dataset.baseWidth || svg.getAttribute("width") || "";
  svg.dataset.baseWidth = base;
  const points = parseFloat(base);
  if (points) { svg.style.width = `${points * 1.333 * state.zoom}px`; svg.style.height = "auto"; }
}

function renderLayerList(result) {
  const groups = {};
  for (const [name, component] of Object.entries(result.components)) {
    (groups[component.category] ||= []).push([name, component]);
  }
  const list = $("layer-list");
  list.replaceChildren(...Object.entries(groups).map(([category, members]) => el("div", {},
    el("h3", {}, category),
    el("ul", {}, members.map(([name, component]) => el("li", {},
      el("button", { type: "button", "data-component": name, onclick: () => select(name) },
        `${name} · ${component.kind}`)))))));
}

function select(name, edge) {
  state.selected = name;
  state.edge = edge || null;
  renderPanel();
  renderDiagram(state.result);
}

function componentCost(name) {
  return state.result.cost.components.find((c) => c.name === name);
}

function renderPanel() {
  const panel = $("panel");
  const result = state.result;
  const name = state.selected;
  if (!result || !name || !result.components[name]) { renderComponentKnobs(null); return; }
  const component = result.components[name];
  const currency = result.currency;
  const cost = componentCost(name);
  const availability = (result.check.availability || {});
  const sla = (availability.components || []).find((c) => c.name === name);
  const paths = (availability.entries || []).filter((e) => (e.components || []).includes(name));
  const capacity = ((result.check.capacity || {}).services || []).find((s) => s.name === name);
  const findings = result.check.findings.filter((f) => f.component === name);
  const settings = Object.entries(component.settings || {});
  panel.replaceChildren(...[
    el("h2", { "data-testid": "panel-name" }, name),
    el("p", { class: "hint" }, `${component.kind} · ${component.category}` + (component.line ? ` · line ${component.line}` : "")),
    state.edge ? el("p", {}, `Edge ${state.edge}`) : null,
    el("h3", {}, "Monthly cost"),
    el("p", { class: "total", "data-testid": "panel-cost", "data-amount": cost ? amount(cost.monthly, currency) : null },
      cost ? fmtMoney(cost.monthly, currency) : "—"),
    cost && cost.line_items.length ? el("div", { class: "table-wrap" }, el("table", {},
      el("tr", {}, el("th", {}, "line item"), el("th", { class: "num hide-phone" }, "billable"), el("th", { class: "num" }, currency)),
      cost.line_items.map((item) => el("tr", {},
        el("td", {}, item.description, el("br"), el("small", { class: "hint source", title: item.source || "" }, shorten(item.source || "", 90))),
        el("td", { class: "num hide-phone" }, `${fmtQuantity(item.billable_quantity)} ${item.unit}`),
        el("td", { class: "num", "data-testid": "line-amount" }, fmtMoney(item.monthly, currency)))))) : null,
    el("h3", {}, "SLA and paths"),
    sla ? el("p", { "data-testid": "panel-sla", "data-percent": sla.percent }, `${fmtNumber(sla.percent)}% — ${sla.configuration || ""} (${sla.basis || ""})`)
      : el("p", { class: "hint" }, "Not on any availability path."),
    paths.length ? el("ul", {}, paths.map((p) => el("li", {}, `${p.entry}: ${fmtNumber(p.percent)}% over ${p.components.length} components`))) : null,
    el("h3", {}, "Capacity"),
    capacity ? el("div", { class: "table-wrap" }, el("table", { "data-testid": "panel-capacity" },
      ...[["peak RPS", capacity.peak_rps], ["instances needed", capacity.instances_needed],
        ["max instances", capacity.max_instances], ["utilisation", capacity.utilization],
        ["p95 ms", capacity.p95_ms]].map(([label, value]) =>
        el("tr", {}, el("td", {}, label), el("td", { class: "num" }, fmtNumber(value))))))
      : el("p", { class: "hint" }, "No capacity model for this component."),
    el("h3", {}, "Settings"),
    settings.length ? el("div", { class: "table-wrap" }, el("table", { class: "settings" }, settings.map(([key, value]) =>
      el("tr", {}, el("td", {}, key), el("td", {}, fmtSetting(value))))))
      : el("p", { class: "hint" }, "All defaults."),
    el("h3", {}, `Findings (${findings.length})`),
    el("div", {}),
  ].filter((child) => child !== null));
  renderFindings(panel.lastChild, findings);
  renderComponentKnobs(name);
}

function knobKey(path) { return path.join("\u0000"); }

const SLIDER_STEPS = 1000;  // positions of a logarithmic slider

function knobRow(path, knob) {
  const key = knobKey(path);
  const changed = state.changes.has(key);
  const value = changed ? state.changes.get(key) : knob.value;
  const id = "knob-" + path.join("-");
  const row = el("div", { class: "knob" + (changed ? " changed" : ""), "data-knob": path.join(".") },
    el("label", { for: id, title: knob.description }, path[path.length - 1]));
  const commit = (raw) => {
    let next = raw;
    if (knob.type === "integer" || knob.type === "number") {
      if (raw === "") next = null; else { next = Number(raw); if (!Number.isFinite(next)) return; }
    }
    if (next === knob.value) state.changes.delete(key); else state.changes.set(key, next);
    refresh();
  };
  let input;
  if (knob.type === "boolean") {
    input = el("input", { id, type: "checkbox", onchange: (e) => commit(e.target.checked) });
    input.checked = !!value;
    row.append(input, el("span"));
  } else if (knob.type === "choice") {
    input = el("select", { id, onchange: (e) => commit(e.target.value) },
      knob.choices.map((c) => el("option", { value: c }, c)));
    input.value = value;
    row.append(input, el("span"));
  } else if (knob.type === "integer" || knob.type === "number") {
    const low = knob.ge ?? knob.gt ?? 0;
    const high = knob.le ?? knob.lt ?? Math.max(10, (Number(knob.value) || 1) * 100);
    const step = knob.type === "integer" ? 1 : "any";
    // Unbounded above with a figure in the plan: a logarithmic slider from 1/100 to 100 times it (the figure
    // sits in the middle, each step a like share of it), values rounded to two significant digits (the box
    // beside it takes any value). Bounded, or no figure: linear.
    const base = Number(knob.value) > 0 ? Number(knob.value) : 1;
    const logScale = knob.le === undefined && knob.lt === undefined && Number(knob.value) > 0;
    const logLow = Math.max(low, base / 100) || base / 100, logHigh = base * 100;
    const toValue = (position) => {
      if (!logScale) return position;
      const raw = logLow * Math.pow(logHigh / logLow, Number(position) / SLIDER_STEPS);
      const digits = Math.pow(10, Math.floor(Math.log10(raw)) - 1);
      const rounded = Math.round(raw / digits) * digits;
      return knob.type === "integer" ? Math.max(low, Math.round(rounded)) : Number(rounded.toPrecision(2));
    };
    const toPosition = (v) => {
      if (!logScale) return v;
      const n = Number(v);
      if (!(n > logLow)) return 0;
      return Math.min(SLIDER_STEPS, Math.round(SLIDER_STEPS * Math.log(n / logLow) / Math.log(logHigh / logLow)));
    };
    const slider = el("input", { type: "range", min: logScale ? 0 : low, max: logScale ? SLIDER_STEPS : high,
      step: logScale || knob.type === "integer" ? 1 : (high - low) / 200,
      "data-scale": logScale ? "log" : "linear", "data-low": logScale ? logLow : low,
      "data-high": logScale ? logHigh : high,
      "aria-label": path.join("."), onchange: (e) => commit(String(toValue(e.target.value))),
      oninput: (e) => { number.value = toValue(e.target.value); } });
    slider.value = toPosition(value ?? low);
    const number = el("input", { id, type: "number", min: knob.ge ?? knob.gt, max: knob.le ?? knob.lt, step,
      value: value ?? "", onchange: (e) => commit(e.target.value) });
    row.append(slider, number);
  } else {
    input = el("input", { id, type: "text", value: value ?? "", onchange: (e) => commit(e.target.value) });
    row.append(input, el("span"));
  }
  return row;
}

function renderTrafficKnobs(result) {
  $("traffic-knobs").replaceChildren(...result.traffic_knobs.map((k) => knobRow(["traffic", k.key], k)));
}

function renderComponentKnobs(name) {
  const box = $("component-knobs");
  $("component-knobs-title").textContent = name ? `Settings of ${name}` : "Component settings";
  if (!name) { box.replaceChildren(el("p", { class: "hint" }, "Select a component.")); return; }
  box.replaceChildren(...state.result.components[name].knobs.map((k) => knobRow(["components", name, ...k.key.split(".")], k)));
}

function renderChanges(diff) {
  const box = $("changes");
  if (!state.changes.size) { box.replaceChildren(el("p", { class: "hint" }, "None yet.")); return; }
  const currency = state.result ? state.result.currency : "USD";  // only read with a diff, which comes with a result
  const rows = [...state.changes.entries()].map(([key, value]) =>
    el("li", {}, `${key.split("\u0000").join(".")} = ${value === null ? "(removed)" : value} `,
      el("button", { type: "button", onclick: () => { state.changes.delete(key); refresh(); } }, "undo")));
  const parts = [el("ul", {}, rows)];
  if (diff) parts.push(...diffView(diff, currency));
  box.replaceChildren(...parts);
}

// The `archplan diff` view: settings, cost per component, availability per entry point, headroom, findings.
function diffView(diff, currency) {
  const parts = [];
  const changed = (diff.settings || []).map((x) => `${x.setting}: ${fmtSetting(x.before)} → ${fmtSetting(x.after)}`).concat(
    diff.components.changed.flatMap((c) =>
      c.settings.map((x) => `${c.component}.${x.setting}: ${fmtSetting(x.before)} → ${fmtSetting(x.after)}`)));
  if (diff.components.added.length) parts.push(el("p", {}, `Added: ${diff.components.added.map((c) => c.component || c).join(", ")}`));
  if (diff.components.removed.length) parts.push(el("p", {}, `Removed: ${diff.components.removed.map((c) => c.component || c).join(", ")}`));
  if (changed.length) parts.push(el("ul", { "data-testid": "diff-settings" }, changed.map((text) => el("li", {}, text))));
  parts.push(el("div", { class: "table-wrap" }, el("table", { "data-testid": "diff-table" },
    el("tr", {}, el("th", {}, "component"), el("th", { class: "num hide-phone" }, diff.before), el("th", { class: "num hide-phone" }, diff.after), el("th", { class: "num" }, "change")),
    diff.cost.components.map((c) => el("tr", {}, el("td", {}, c.component),
      el("td", { class: "num hide-phone" }, fmtMoney(side(c, "before", currency), currency)),
      el("td", { class: "num hide-phone" }, fmtMoney(side(c, "after", currency), currency)),
      el("td", { class: "num", "data-delta": c.delta_usd }, fmtSigned(side(c, "delta", currency), currency)))),
    el("tr", { class: "strong" }, el("td", {}, "total"),
      el("td", { class: "num hide-phone" }, fmtMoney(side(diff.cost.total, "before", currency), currency)),
      el("td", { class: "num hide-phone" }, fmtMoney(side(diff.cost.total, "after", currency), currency)),
      el("td", { class: "num", "data-testid": "diff-total" }, fmtSigned(side(diff.cost.total, "delta", currency), currency))))));
  const availability = diff.availability || {};
  for (const entry of availability.entries || []) {
    if (entry.delta_points) parts.push(el("p", {}, `${entry.entry}: ${fmtNumber(entry.before_percent)}% → ${fmtNumber(entry.after_percent)}%`));
  }
  if (availability.delta_points) parts.push(el("p", {}, `request path: ${fmtNumber(availability.composite_before_percent)}% → ${fmtNumber(availability.composite_after_percent)}%`));
  for (const service of (diff.capacity || {}).services || []) {
    if (service.headroom_before !== service.headroom_after) parts.push(el("p", {}, `${service.service}: headroom ${fmtNumber(service.headroom_before)} → ${fmtNumber(service.headroom_after)} instances`));
  }
  const findings = diff.findings || { raised: [], resolved: [] };
  if (findings.raised.length) parts.push(el("p", {}, `Raised: ${findings.raised.map((f) => f.id + (f.component ? ` (${f.component})` : "")).join(", ")}`));
  if (findings.resolved.length) parts.push(el("p", {}, `Resolved: ${findings.resolved.map((f) => f.id + (f.component ? ` (${f.component})` : "")).join(", ")}`));
  return parts;
}

function renderCharts(result) {
  const box = $("chart-list");
  box.innerHTML = Object.values(result.charts).join("");  // SVG drawn by the API, text escaped there
}

async function loadCurve() {
  if (state.changes.size) { $("curve").replaceChildren(el("p", { class: "hint" }, "The cost-per-user curve shows the saved plan.")); return; }
  try {
    const data = await api(`/api/curve?environment=${encodeURIComponent(state.env || "")}`);
    $("curve").innerHTML = data.svg;
  } catch (error) {
    $("curve").replaceChildren(el("p", { class: "hint" }, error.message));
  }
}

function renderPaths(result) {
  const availability = result.check.availability;
  if (!availability) { $("paths").replaceChildren(el("p", { class: "hint" }, "No availability section.")); return; }
  $("paths").replaceChildren(el("div", { class: "table-wrap" }, el("table", {},
    el("tr", {}, el("th", {}, "path"), el("th", { class: "num" }, "availability"), el("th", { class: "hide-phone" }, "components")),
    (availability.entries || []).map((e) => el("tr", {}, el("td", {}, e.name || e.entry), el("td", { class: "num" }, `${fmtNumber(e.percent)}%`),
      el("td", { class: "hide-phone" }, (e.components || []).join(" → ")))),
    el("tr", {}, el("td", {}, "weakest request path"), el("td", { class: "num", "data-testid": "composite" }, `${fmtNumber(availability.composite_percent)}%`),
      el("td", { class: "hide-phone" }, `downtime ${fmtNumber(availability.downtime_minutes_per_month)} min a month`)))));
}

function renderFindings(box, findings) {
  if (!findings.length) { box.replaceChildren(el("p", { class: "hint" }, "No findings.")); return; }
  box.replaceChildren(...findings.map((f) => el("div", { class: `finding ${f.severity}` },
    el("p", {}, el("span", { class: "id" }, f.id), ` ${f.severity}: ${f.title}`, f.component ? ` (${f.component})` : ""),
    el("p", {}, f.detail), f.fix ? el("p", { class: "hint" }, `Fix: ${f.fix}`) : null)));
}

function renderFindingGroups(box, findings) {
  if (!findings.length) { box.replaceChildren(el("p", { class: "hint" }, "No findings.")); return; }
  const groups = ["error", "warning", "info"].map((severity) => [severity, findings.filter((f) => f.severity === severity)])
    .filter(([, members]) => members.length);
  box.replaceChildren(...groups.map(([severity, members]) => {
    const details = el("details", { "data-severity": severity, open: severity === "error" && members.length <= 12 ? "" : null },
      el("summary", {}, `${members.length} ${severity}${members.length === 1 ? "" : "s"}`), el("div"));
    renderFindings(details.lastChild, members);
    return details;
  }));
}

async function compareEnvironments() {
  const a = $("cmp-a").value, b = $("cmp-b").value;
  // as the pickers name them ("environment heavy"), not the query's env:heavy
  const named = (id) => $(id).selectedOptions[0]?.textContent || "base plan";
  const nameA = named("cmp-a"), nameB = named("cmp-b");
  try {
    const data = await api(`/api/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
    const currency = data.a.currency;
    $("compare").replaceChildren(
      el("p", { "data-testid": "compare-total" }, `${nameA}: ${fmtMoney(data.a.cost.total, currency)} → ${nameB}: ${fmtMoney(data.b.cost.total, currency)}`),
      ...diffView(data.diff, currency));
  } catch (error) { $("compare").replaceChildren(el("p", { class: "hint" }, error.message)); }
}

async function save(event) {
  event.preventDefault();
  const status = $("save-status");
  try {
    const data = await api("/api/save", { environment: state.env || "", phase: state.phase || "", changes: changeList(),
      name: $("save-name").value.trim(), overwrite: $("save-overwrite").checked });
    status.textContent = `saved ${data.saved}`;
  } catch (error) { status.textContent = error.message; }
}

function ms(value) { return value === null || value === undefined ? "—" : `${fmtNumber(Math.round(value))} ms`; }

async function simulateDay(event) {
  event.preventDefault();
  const status = $("simulate-status");
  status.textContent = "simulating…";
  try {
    const data = await api("/api/simulate", { environment: state.env || "", phase: state.phase || "",
      changes: changeList(), spike: $("simulate-spike").value.trim() || null });
    const services = data.summary.services || [];
    const table = el("div", { class: "table-wrap" }, el("table", { "data-testid": "simulation-table" },
      el("tr", {}, el("th", {}, "service"), el("th", { class: "num" }, "requests"), el("th", { class: "num" }, "p95"),
        el("th", { class: "num hide-phone" }, "p99"), el("th", { class: "num hide-phone" }, "cold starts"),
        el("th", { class: "num" }, "rejected"), el("th", { class: "num hide-phone" }, "instances max")),
      services.map((s) => el("tr", {}, el("td", {}, s.service), el("td", { class: "num" }, fmtNumber(Math.round(s.requests))),
        el("td", { class: "num" }, ms(s.latency_ms.p95)), el("td", { class: "num hide-phone" }, ms(s.latency_ms.p99)),
        el("td", { class: "num hide-phone" }, fmtNumber(Math.round(s.cold_starts))),
        el("td", { class: "num" }, fmtNumber(Math.round(s.rejected_429 + s.timeouts))),
        el("td", { class: "num hide-phone" }, fmtNumber(s.instances.max))))));
    const pictures = el("div", { class: "pictures" });
    pictures.innerHTML = Object.values(data.pictures).join("");  // SVG drawn by the API (matplotlib, text escaped)
    $("simulation").replaceChildren(table, pictures);
    status.textContent = services.length ? `${data.days} day, ${data.seeds} seeds${data.spike ? ", spike " + data.spike : ""}`
      : "no request-serving service to simulate";
  } catch (error) { status.textContent = error.message; }
}

async function poll() {
  try {
    const data = await api("/api/version");
    if (data.error) showError(data.error);
    else if (data.version !== state.version || !$("error").hidden) await refresh();
  } catch (error) { showError("archplan serve is not answering: " + error.message); }
  setTimeout(poll, 500);
}

$("env").addEventListener("change", (e) => { state.env = e.target.value || null; state.changes.clear(); refresh(); });
$("phase").addEventListener("change", (e) => { state.phase = e.target.value || null; state.changes.clear(); refresh(); });
$("reset").addEventListener("click", () => { state.changes.clear(); refresh(); });
$("cmp-go").addEventListener("click", compareEnvironments);
$("save-form").addEventListener("submit", save);
$("simulate-form").addEventListener("submit", simulateDay);
$("zoom-in").addEventListener("click", () => { state.zoom = Math.min(4, state.zoom * 1.25); applyZoom(); });
$("zoom-out").addEventListener("click", () => { state.zoom = Math.max(0.25, state.zoom / 1.25); applyZoom(); });
function fitZoom() {
  const svg = $("diagram").querySelector("svg");
  const points = svg ? parseFloat(svg.getAttribute("width")) : 0;
  state.zoom = points ? Math.max(0.25, Math.min(1.5, ($("diagram").clientWidth - 4) / (points * 1.333))) : 1;
  applyZoom();
}
$("zoom-fit").addEventListener("click", fitZoom);
$("view-list").addEventListener("click", () => { const list = $("layer-list"); list.hidden = !list.hidden; });
if (window.matchMedia("(max-width: 860px)").matches) $("layer-list").hidden = false;
refresh().then(() => setTimeout(poll, 500));
