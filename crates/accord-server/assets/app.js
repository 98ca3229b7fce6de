// Accord dashboard: plain JavaScript over the JSON API; Chart.js for the chart.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { id: null, version: null, syntax: "toml", dirty: false, analysis: null, show: null, chart: null };

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(k === null || k === undefined ? "" : String(k)));
  return e;
}

function setStatus(msg) { $("status").textContent = msg; }

async function api(method, path, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.body = typeof body === "string" ? body : JSON.stringify(body);
    // The server takes only bodies declared JSON or TOML (a cross-site page
    // cannot send those types without a preflight, which it never grants).
    const toml = typeof body === "string" && !body.trimStart().startsWith("{");
    opts.headers["Content-Type"] = toml ? "application/toml" : "application/json";
  }
  const r = await fetch(path, opts);
  let data = null;
  try { data = await r.json(); } catch (_) { data = { error: "bad response" }; }
  return { ok: r.ok, status: r.status, data };
}

function scenarioBody() {
  return state.dirty || !state.id ? $("text").value : { scenario_id: state.id, version: state.version };
}

// ---- library ----
async function loadList() {
  const r = await api("GET", "/api/scenarios");
  const ul = $("scenario-list");
  ul.replaceChildren();
  for (const s of r.data || []) {
    const li = el("li", { "data-id": s.id, class: s.id === state.id ? "active" : "" }, s.id, el("small", {}, `${s.title || "(untitled)"} · v${s.version}`));
    li.addEventListener("click", () => { location.hash = "#/" + s.id; });
    ul.append(li);
  }
  return r.data || [];
}

async function openScenario(id, version) {
  const q = version ? `?version=${version}` : "";
  const r = await api("GET", `/api/scenarios/${encodeURIComponent(id)}${q}`);
  if (!r.ok) { setStatus(r.data.error); return; }
  state.id = id; state.version = r.data.version; state.syntax = r.data.syntax; state.dirty = false;
  $("scenario-name").textContent = `${id} v${r.data.version}`;
  $("text").value = r.data.text;
  renderGutter([]);
  $("messages").replaceChildren();
  for (const li of $("scenario-list").children) li.classList.toggle("active", li.dataset.id === id);
  await loadVersions();
  await runAll();
}

async function loadVersions() {
  const r = await api("GET", `/api/scenarios/${encodeURIComponent(state.id)}/versions`);
  const sel = $("versions");
  sel.replaceChildren();
  for (const v of r.data || []) {
    const o = el("option", { value: v.version }, `v${v.version} · ${v.note} · ${new Date(v.saved * 1000).toLocaleString()}`);
    if (v.version === state.version) o.selected = true;
    sel.append(o);
  }
}

// ---- editor ----
function renderGutter(errors) {
  const bad = new Map(errors.map((e) => [e.line, e.message]));
  const n = $("text").value.split("\n").length;
  const g = $("gutter");
  g.replaceChildren();
  for (let i = 1; i <= n; i++) {
    const s = el("span", bad.has(i) ? { class: "bad", title: bad.get(i) } : {}, String(i));
    g.append(s, "\n");
  }
  g.scrollTop = $("text").scrollTop;
}

function goToLine(line, column) {
  const t = $("text");
  const lines = t.value.split("\n");
  let pos = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
  pos += Math.max(0, (column || 1) - 1);
  t.focus();
  t.setSelectionRange(pos, pos);
  const lh = parseFloat(getComputedStyle(t).lineHeight) || 18;
  t.scrollTop = Math.max(0, (line - 5) * lh);
}

function showMessages(doc) {
  const ul = $("messages");
  ul.replaceChildren();
  const errors = doc.errors || [];
  for (const e of errors) {
    const li = el("li", {}, `${e.file}:${e.line}:${e.column}: ${e.message}${e.path ? ` (at ${e.path})` : ""}`);
    li.addEventListener("click", () => goToLine(e.line, e.column));
    ul.append(li);
  }
  if (doc.valid) ul.append(el("li", { class: "ok" }, `valid — ${doc.outcomes} outcomes${(doc.unsourced || []).length ? `; ${doc.unsourced.length} unsourced numbers` : ""}`));
  renderGutter(errors);
  return errors.length === 0;
}

async function validate() {
  const r = await api("POST", "/api/validate", $("text").value);
  return showMessages(r.data);
}

let validateTimer = null;
function onEdit() {
  state.dirty = true;
  renderGutter([]);
  clearTimeout(validateTimer);
  validateTimer = setTimeout(validate, 600);
}

async function save() {
  const body = { text: $("text").value, syntax: state.syntax };
  const r = state.id
    ? await api("PUT", `/api/scenarios/${encodeURIComponent(state.id)}`, body)
    : await api("POST", "/api/scenarios", body);
  if (!r.ok) { setStatus(`save failed: ${r.data.error}`); return; }
  showMessages(r.data.check);
  state.id = r.data.id; state.version = r.data.version; state.dirty = false;
  $("scenario-name").textContent = `${state.id} v${state.version}`;
  setStatus(`saved ${state.id} v${state.version}`);
  if (location.hash !== "#/" + state.id) history.replaceState(null, "", "#/" + state.id);
  await loadList();
  await loadVersions();
}

// ---- dashboard ----
function cite(p) {
  return [p.source && `[${p.source}${p.grade ? ", " + p.grade : ""}]`, p.quote && `“${p.quote}”`, p.assumption && `assumption: ${p.assumption}`].filter(Boolean).join(" ");
}

function outcomeText(p) {
  return p && p.outcome ? Object.entries(p.outcome).map(([k, v]) => `${k}=${v}`).join(", ") : "—";
}

function who(c) {
  if (c.kind === "reservation") return `${c.actor}'s reservation (${c.rule})`;
  if (c.kind === "ratification") return `${c.rule} for ${c.actor}`;
  if (c.kind === "precondition") return `${c.actor}'s precondition (${c.rule})`;
  if (c.kind === "deadline") return `deadline (${c.rule})`;
  return `${c.actor}'s red line ${c.rule}`;
}

function renderPositions(show) {
  const sc = show.scenario;
  const actors = sc.actors.map((a) => a.id);
  const t = $("positions");
  t.replaceChildren(el("tr", {}, el("th", {}, "issue"), ...actors.map((a) => el("th", {}, a))));
  for (const issue of sc.issues) {
    const row = el("tr", {}, el("th", {}, issue.id));
    for (const a of actors) {
      const p = show.positions.find((x) => x.actor === a && x.issue === issue.id);
      row.append(p ? el("td", { title: cite(p) || "no source" }, `${p.ideal} (w ${p.weight.toFixed(2)})`, p.stance ? el("div", { class: "hint" }, p.stance) : "") : el("td", {}, "—"));
    }
    t.append(row);
  }
}

function renderDeal(an) {
  $("title").textContent = `${state.show ? state.show.scenario.scenario.title : an.scenario}`;
  const open = an.zopa.size > 0;
  const z = $("zopa");
  z.textContent = open ? `yes — ${an.zopa.size} of ${an.feasible} feasible outcomes` : `no — none of ${an.feasible} feasible outcomes is acceptable to all`;
  if (an.zopa.implementable) z.textContent += `; implementable (process can run): ${an.zopa.implementable.size}`;
  z.className = open ? "yes" : "no";
  $("summary").textContent = `${an.outcomes} outcomes, ${an.feasible} feasible, ZOPA ${an.zopa.size}.`;
  const bt = $("blockers");
  bt.replaceChildren(el("tr", {}, ...["block", "actor", "constraint", "rule", "quote", "source"].map((h) => el("th", {}, h))));
  an.blockers.forEach((b, i) => b.forEach((c) => bt.append(el("tr", { class: "blocker" },
    el("td", {}, i + 1), el("td", {}, c.actor), el("td", {}, `${c.kind.replace("_", " ")} ${c.id}`), el("td", {}, el("code", {}, c.rule)),
    el("td", { class: "quote" }, c.quote ? `“${c.quote}”` : (c.assumption ? `assumption: ${c.assumption}` : "—")), el("td", {}, c.source || "—")))));
  $("blockers-box").hidden = an.blockers.length === 0;
  const rt = $("relaxations");
  rt.replaceChildren(el("tr", {}, ...["drop", "ZOPA", "Nash solution then"].map((h) => el("th", {}, h))));
  for (const r of an.relaxations) {
    rt.append(el("tr", {}, el("td", {}, r.drop.map(who).join(" + ")), el("td", {}, r.zopa_size), el("td", {}, outcomeText(r.nash))));
  }
  $("relax-box").hidden = an.relaxations.length === 0;
  const st = $("solutions");
  st.replaceChildren(el("tr", {}, el("th", {}, "rule"), el("th", {}, "outcome"), el("th", {}, "utilities")));
  for (const [k, s] of Object.entries(an.solutions)) {
    if (s) st.append(el("tr", {}, el("td", {}, k), el("td", {}, outcomeText(s)), el("td", {}, Object.entries(s.utilities).map(([a, u]) => `${a} ${u.toFixed(3)}`).join(", "))));
  }
  $("solutions-box").hidden = !Object.values(an.solutions).some(Boolean);
}

function fillPartySelects(an) {
  const actors = Object.keys(an.disagreement);
  for (const [id, def] of [["px", 0], ["py", 1]]) {
    const sel = $(id);
    const keep = sel.value;
    sel.replaceChildren(...actors.map((a) => el("option", { value: a }, a)));
    sel.value = actors.includes(keep) ? keep : actors[Math.min(def, actors.length - 1)];
  }
}

function renderChart() {
  const an = state.analysis;
  if (!an || typeof Chart === "undefined") return;
  const x = $("px").value, y = $("py").value;
  const pt = (p, label) => ({ x: p.utilities[x], y: p.utilities[y], label });
  const sets = [];
  if (an.pareto_all) sets.push({ label: "feasible frontier", data: an.pareto_all.map((p) => pt(p, outcomeText(p))), backgroundColor: "#bbbbbb", pointRadius: 3 });
  sets.push({ label: "ZOPA frontier", data: an.pareto.map((p) => pt(p, outcomeText(p))), backgroundColor: "#3366cc", pointRadius: 4 });
  const sols = Object.entries(an.solutions).filter(([, s]) => s).map(([k, s]) => pt(s, `${k}: ${outcomeText(s)}`));
  sets.push({ label: "solutions", data: sols, backgroundColor: "#d62728", pointRadius: 7, pointStyle: "rectRot" });
  const relax = an.relaxations.filter((r) => r.nash).map((r) => pt(r.nash, `Nash if dropped: ${r.drop.map(who).join(" + ")}`));
  sets.push({ label: "Nash if relaxed", data: relax, backgroundColor: "#ff9900", pointRadius: 6, pointStyle: "triangle" });
  sets.push({ label: "disagreement", data: [{ x: an.disagreement[x], y: an.disagreement[y], label: "disagreement point" }], backgroundColor: "#000", pointRadius: 5, pointStyle: "crossRot", borderColor: "#000" });
  if (state.chart) state.chart.destroy();
  state.chart = new Chart($("pareto"), {
    type: "scatter",
    data: { datasets: sets },
    options: {
      animation: false,
      scales: { x: { min: 0, max: 1, title: { display: true, text: `u(${x})` } }, y: { min: 0, max: 1, title: { display: true, text: `u(${y})` } } },
      plugins: { tooltip: { callbacks: { label: (c) => `${c.raw.label} (${c.raw.x.toFixed(3)}, ${c.raw.y.toFixed(3)})` } } },
    },
  });
  const n = sets.reduce((s, d) => s + d.data.length, 0);
  document.body.dataset.chart = "rendered";
  $("pareto").dataset.points = String(n);
}

function renderProcess(p) {
  const box = $("deadlocks");
  box.replaceChildren();
  const sched = $("schedule");
  sched.replaceChildren();
  if (p.milestones === 0) { $("process-summary").textContent = "The scenario defines no process milestones."; return; }
  $("process-summary").textContent = p.consistent
    ? `The process can run: ${p.milestones} milestones, every precondition and deadline can be met.`
    : `The process cannot run: ${p.deadlocks.length} deadlock(s) — preconditions that wait on each other.`;
  p.deadlocks.forEach((cycle, i) => {
    const t = el("table", { class: "deadlock" }, el("caption", {}, `Deadlock ${i + 1} (overruns by ${-p.deadlock_days[i]} days)`),
      el("tr", {}, ...["edge", "constraint", "owner", "rule", "quote"].map((h) => el("th", {}, h))));
    for (const e of cycle) {
      const c = e.constraint || e; // the constraint fields are flattened into the edge
      t.append(el("tr", { class: "cycle" }, el("td", {}, `${e.from} → ${e.to}`), el("td", {}, `${c.id} ${c.label}`), el("td", {}, c.owner || "—"), el("td", {}, c.rule), el("td", { class: "quote" }, c.quote ? `“${c.quote}”` : "")));
    }
    box.append(t);
  });
  sched.append(el("tr", {}, el("th", {}, "milestone"), el("th", {}, "earliest"), el("th", {}, "latest")));
  for (const [m, w] of Object.entries(p.schedule)) {
    sched.append(el("tr", {}, el("td", {}, m), el("td", {}, w ? w.earliest : "—"), el("td", {}, w ? (w.latest || "open") : "—")));
  }
}

async function loadRuns() {
  const t = $("runs");
  t.replaceChildren();
  if (!state.id) return;
  const r = await api("GET", `/api/scenarios/${encodeURIComponent(state.id)}/runs?limit=10`);
  t.append(el("tr", {}, ...["run", "version", "kind", "status", "ms", "result"].map((h) => el("th", {}, h))));
  for (const x of r.data || []) t.append(el("tr", {}, el("td", {}, x.run), el("td", {}, `v${x.version}`), el("td", {}, x.kind), el("td", {}, x.status), el("td", {}, x.millis), el("td", {}, x.summary)));
}

async function runAll(paretoAll) {
  document.body.dataset.state = "loading";
  setStatus("analysing…");
  const body = scenarioBody();
  const [show, an, pr] = await Promise.all([
    api("POST", "/api/show", body),
    api("POST", `/api/analyze${paretoAll ? "?pareto_all=true" : ""}`, body),
    api("POST", "/api/process", body),
  ]);
  for (const r of [show, an, pr]) {
    if (!r.ok) {
      if (r.data.errors && r.data.errors.length) showMessages(r.data);
      setStatus(`${r.status}: ${r.data.error.split("\n")[0]}`);
      document.body.dataset.state = "error";
      return;
    }
  }
  state.show = show.data;
  state.analysis = an.data;
  renderPositions(show.data);
  renderDeal(an.data);
  fillPartySelects(an.data);
  renderChart();
  renderProcess(pr.data);
  await loadRuns();
  setStatus(`analysed ${state.id || "unsaved text"}${state.dirty ? " (unsaved edits)" : ` v${state.version}`}`);
  document.body.dataset.state = "ready";
}

function route() {
  const id = decodeURIComponent(location.hash.replace(/^#\/?/, ""));
  return id || null;
}

async function init() {
  $("text").addEventListener("input", onEdit);
  $("text").addEventListener("scroll", () => { $("gutter").scrollTop = $("text").scrollTop; });
  $("validate").addEventListener("click", validate);
  $("save").addEventListener("click", save);
  $("analyze").addEventListener("click", () => runAll(false));
  $("pareto-all").addEventListener("click", () => runAll(true));
  $("px").addEventListener("change", renderChart);
  $("py").addEventListener("change", renderChart);
  $("versions").addEventListener("change", () => openScenario(state.id, Number($("versions").value)));
  $("restore").addEventListener("click", async () => {
    const r = await api("POST", `/api/scenarios/${encodeURIComponent(state.id)}/restore`, { version: Number($("versions").value) });
    if (r.ok) { setStatus(`restored as v${r.data.version}`); await loadList(); await openScenario(state.id); } else setStatus(r.data.error);
  });
  $("delete").addEventListener("click", async () => {
    if (!state.id || !confirm(`Delete ${state.id}? Its history is kept.`)) return;
    await api("DELETE", `/api/scenarios/${encodeURIComponent(state.id)}`);
    state.id = null; location.hash = ""; await loadList();
  });
  $("new-scenario").addEventListener("click", () => {
    state.id = null; state.version = null; state.dirty = true; state.syntax = "toml";
    $("scenario-name").textContent = "(new, unsaved)";
    $("text").value = '[scenario]\nid = "my-scenario"\ntitle = "My scenario"\nas_of = "2026-01-01"\n';
    history.replaceState(null, "", "#");
    validate();
  });
  window.addEventListener("hashchange", () => { const id = route(); if (id && id !== state.id) openScenario(id); });
  const list = await loadList();
  const id = route() || (list[0] && list[0].id);
  if (id) await openScenario(id);
}

init().catch((e) => { setStatus(`error: ${e}`); document.body.dataset.state = "error"; });
