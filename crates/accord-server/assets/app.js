// Accord dashboard: plain JavaScript over the JSON API; Chart.js for the chart.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { id: null, version: null, syntax: "toml", dirty: false, analysis: null, show: null, process: null, chart: null, charts: {} };

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (v !== null && v !== undefined) e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(k === null || k === undefined ? "" : String(k)));
  return e;
}

function setStatus(msg) { $("status").textContent = msg; }

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) e.setAttribute(k, v);
  for (const k of kids) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return e;
}

function table(headers, rows, attrs) {
  return el("table", attrs || {}, el("tr", {}, ...headers.map((h) => el("th", {}, h))), ...rows);
}

// A Chart.js chart on a canvas, replacing the one it had.
function chartOn(key, canvas, config) {
  if (typeof Chart === "undefined") return null;
  if (state.charts[key]) state.charts[key].destroy();
  config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: true }, config.options || {});
  state.charts[key] = new Chart(canvas, config);
  canvas.dataset.chart = "rendered";
  return state.charts[key];
}

function fmt(x, digits) {
  if (typeof x !== "number" || !isFinite(x)) return x === null || x === undefined ? "—" : String(x);
  if (Math.abs(x - Math.round(x)) < 1e-9) return Math.round(x).toLocaleString("en");
  return x.toFixed(digits === undefined ? 2 : digits);
}

function pct(x) { return typeof x === "number" ? `${(100 * x).toFixed(0)}%` : "—"; }

async function api(method, path, body, signal) {
  const opts = { method, headers: {}, signal };
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
  // `#/ID?compare=A,B` compares two versions once the page is up.
  const cmp = new URLSearchParams(location.hash.split("?")[1] || "").get("compare");
  if (cmp) {
    const [a, b] = cmp.split(",");
    $("cmp-a").value = a; $("cmp-b").value = b;
    await compareVersions();
  }
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
  const list = r.data || [];
  for (const [id, pick] of [["cmp-a", 1], ["cmp-b", 0]]) {
    const c = $(id);
    c.replaceChildren(...list.map((v) => el("option", { value: v.version }, `v${v.version} · ${v.note}`)));
    if (list[Math.min(pick, list.length - 1)]) c.value = String(list[Math.min(pick, list.length - 1)].version);
  }
  $("compare").disabled = list.length < 2;
}

// ---- editor ----
// TOML highlighting: a hand-written tokenizer paints a <pre> under the
// transparent text area (same font, same padding, scrolled with it).
function tomlTokens(line) {
  const out = [];
  let i = 0;
  const push = (cls, text) => { if (text) out.push([cls, text]); };
  const ws = line.match(/^\s*/)[0];
  push("", ws); i = ws.length;
  if (line[i] === "[") {
    const end = line.indexOf("]", i);
    const stop = end < 0 ? line.length : (line[end + 1] === "]" ? end + 2 : end + 1);
    push("t-head", line.slice(i, stop)); i = stop;
  }
  let keyDone = false;
  while (i < line.length) {
    const c = line[i], rest = line.slice(i);
    if (c === "#") { push("t-com", rest); break; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += c === '"' && line[j] === "\\" ? 2 : 1;
      push("t-str", line.slice(i, j + 1)); i = j + 1; continue;
    }
    const num = rest.match(/^[+-]?(\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?|inf|nan)(?![\w.])/);
    if (num && keyDone) { push("t-num", num[0]); i += num[0].length; continue; }
    const word = rest.match(/^[A-Za-z0-9_.-]+/);
    if (word) {
      const after = line.slice(i + word[0].length);
      if (!keyDone && /^\s*=/.test(after)) { push("t-key", word[0]); keyDone = true; }
      else if (/^(true|false)$/.test(word[0])) push("t-bool", word[0]);
      else if (num) push("t-num", num[0]);
      else push("", word[0]);
      i += (num && !/^\s*=/.test(after) && !/^(true|false)$/.test(word[0]) ? num[0].length : word[0].length);
      continue;
    }
    if (c === "=") keyDone = true;
    // Inside an inline table a new key starts after `{` or `,`.
    if (c === "{" || c === ",") keyDone = false;
    push("", c); i++;
  }
  return out;
}

const editorState = { errors: new Map() };

function renderHighlight() {
  const pre = $("highlight");
  const frag = document.createDocumentFragment();
  $("text").value.split("\n").forEach((line, k) => {
    const spans = tomlTokens(line).map(([cls, t]) => (cls ? el("span", { class: cls }, t) : document.createTextNode(t)));
    const bad = editorState.errors.get(k + 1);
    if (bad) frag.append(el("span", { class: "bad-line", title: bad, "data-line": k + 1 }, ...spans));
    else frag.append(...spans);
    frag.append("\n");
  });
  frag.append("\n\n");
  pre.replaceChildren(frag);
  syncScroll();
}

function syncScroll() {
  const t = $("text");
  $("highlight").scrollTop = t.scrollTop;
  $("highlight").scrollLeft = t.scrollLeft;
  $("gutter").scrollTop = t.scrollTop;
}

function renderGutter(errors) {
  editorState.errors = new Map(errors.map((e) => [e.line, e.message]));
  renderHighlight();
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

// ---- form view ----
// Common edits (positions, weights, reservations) go to POST /api/edit,
// which writes them into the TOML keeping its comments and layout.
function showEditorView(which) {
  const form = which === "form";
  $("form-view").hidden = !form;
  $("editor-text").hidden = form;
  $("view-form").setAttribute("aria-selected", String(form));
  $("view-text").setAttribute("aria-selected", String(!form));
  if (form) buildForm();
}

function numberOf(x) { return typeof x === "number" ? x : (x && typeof x.value === "number" ? x.value : null); }

function buildForm() {
  const box = $("form-fields");
  box.replaceChildren();
  const sc = state.show && state.show.scenario;
  if (state.syntax === "json" || $("text").value.trimStart().startsWith("{")) {
    $("form-status").textContent = "The form edits TOML files; this one is JSON (edit it as text).";
    return;
  }
  if (!sc) { $("form-status").textContent = "Analyse the scenario first."; return; }
  $("form-status").textContent = "";
  const input = (label, value, edit, attrs) => {
    const f = el("input", Object.assign({ type: "number", step: "any", value: String(value), "aria-label": label, "data-edit": JSON.stringify(edit) }, attrs || {}));
    f.addEventListener("change", () => sendEdit(Object.assign({}, edit, { value: Number(f.value) }), f));
    return f;
  };
  for (const p of sc.preferences || []) {
    const rows = [];
    for (const [issue, ip] of Object.entries(p.issues || {})) {
      const w = numberOf(ip.weight);
      const cells = [el("th", {}, issue), el("td", {}, w === null ? "—" : input(`${p.actor} weight on ${issue}`, w, { op: "weight", actor: p.actor, issue }, { min: "0" }))];
      const ideal = typeof ip.ideal === "number" ? input(`${p.actor} ideal on ${issue}`, ip.ideal, { op: "ideal", actor: p.actor, issue }) : null;
      const opts = ip.values && typeof ip.values === "object" ? Object.entries(ip.values).map(([o, v]) => el("label", { class: "opt" }, `${o} `, input(`${p.actor} value of ${o} on ${issue}`, v, { op: "option_value", actor: p.actor, issue, option: o }, { min: "0", max: "1" }), " ")) : [];
      cells.push(el("td", {}, ideal || (opts.length ? "" : ip.shape || "—"), ...opts));
      rows.push(el("tr", {}, ...cells));
    }
    const r = numberOf(p.reservation);
    box.append(el("fieldset", { "data-actor": p.actor }, el("legend", {}, p.actor),
      el("label", {}, "no-deal value (reservation) ", input(`${p.actor} reservation`, r === null ? 0 : r, { op: "reservation", actor: p.actor }, { min: "0", max: "1" })),
      el("div", { class: "scroll" }, table(["issue", "weight", "ideal / value of each option"], rows))));
  }
}

async function sendEdit(edit, field) {
  $("form-status").textContent = "Writing the change into the file…";
  const r = await api("POST", "/api/edit", { text: $("text").value, edits: [edit] });
  if (!r.ok) { $("form-status").textContent = `Not applied: ${r.data.error.split("\n")[0]}`; if (field) field.setAttribute("aria-invalid", "true"); return; }
  if (field) field.removeAttribute("aria-invalid");
  $("text").value = r.data.text;
  state.dirty = true;
  showMessages(r.data.check);
  $("form-status").textContent = `Changed ${r.data.changed.join(", ")}${r.data.check.valid ? "; the file is valid. Analyse to see the effect, or save a new version." : "; the file no longer validates (see the messages)."}`;
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
  $("summary").textContent = `${an.outcomes} outcomes, ${an.feasible} feasible, ZOPA ${an.zopa.size}. ${an.exact === false ? `These are bounds from a search (gap ${fmt(an.gap, 3)}), not exact counts.` : "Every figure is exact (the outcome space was enumerated)."}`;
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
  renderCheapest(an);
  renderNearMisses(an);
  renderNotches(an);
  const st = $("solutions");
  st.replaceChildren(el("tr", {}, el("th", {}, "rule"), el("th", {}, "outcome"), el("th", {}, "utilities")));
  for (const [k, s] of Object.entries(an.solutions)) {
    if (s) st.append(el("tr", {}, el("td", {}, k), el("td", {}, outcomeText(s)), el("td", {}, Object.entries(s.utilities).map(([a, u]) => `${a} ${u.toFixed(3)}`).join(", "))));
  }
  $("solutions-box").hidden = !Object.values(an.solutions).some(Boolean);
}

function renderCheapest(an) {
  const list = an.cheapest_relaxations || [];
  const t = $("cheapest");
  t.replaceChildren(el("tr", {}, ...["cost", "give up", "deals it opens", "Nash solution then"].map((h) => el("th", {}, h))));
  for (const r of list) t.append(el("tr", {}, el("td", {}, fmt(r.cost)), el("td", {}, r.drop.map(who).join(" + ")), el("td", {}, r.zopa_size), el("td", {}, outcomeText(r.nash))));
  $("cheapest-box").hidden = list.length === 0;
}

function renderNearMisses(an) {
  const list = an.near_misses || [];
  const t = $("near-misses");
  t.replaceChildren(el("tr", {}, ...["#", "shortfall", "who must give what", "package"].map((h) => el("th", {}, h))));
  list.forEach((m, i) => {
    const gives = el("ul", { class: "gives" }, ...(m.gives || []).map((g) => el("li", {}, `${g.actor}: ${[
      g.below_reservation > 0 ? `accept ${fmt(g.below_reservation, 3)} below its no-deal value` : "",
      g.breaks.length ? `give up ${g.breaks.join(", ")}` : "",
    ].filter(Boolean).join("; ")}`)));
    t.append(el("tr", { class: "near-miss" }, el("td", {}, i + 1), el("td", {}, fmt(m.shortfall, 3)), el("td", {}, gives), el("td", { class: "hint" }, outcomeText(m))));
  });
  $("near-box").hidden = list.length === 0;
}

// The `notches` key: graded moves, written only when no deal exists.
function renderNotches(an) {
  const n = an.notches;
  const box = $("notches-box"), t = $("notches"), sum = $("notches-summary");
  t.replaceChildren();
  box.hidden = !n;
  if (!n) return;
  box.dataset.fewest = n.fewest == null ? "none" : String(n.fewest);
  if (n.fewest == null) {
    sum.textContent = `No move of up to ${n.max_notches} notches opens a deal: every deal needs a larger concession (see the relaxations above).`;
    t.hidden = true;
    return;
  }
  const shown = n.moves.length < n.moves_total ? `, ${n.moves.length} shown` : "";
  sum.textContent = `The smallest moves take ${n.fewest} notch${n.fewest === 1 ? "" : "es"} (${n.moves_total} such move${n.moves_total === 1 ? "" : "s"}${shown}).`;
  t.hidden = false;
  t.append(el("tr", {}, ...["notches", "cost", "who gives what", "deals it opens", "Nash solution then"].map((h) => el("th", {}, h))));
  for (const m of n.moves) {
    const gives = el("ul", { class: "gives" }, ...m.changes.map((c) => el("li", {}, `${c.actor}: `, el("code", {}, c.from), " → ", el("code", {}, c.to))));
    t.append(el("tr", { class: "notch-move" }, el("td", {}, m.notches), el("td", {}, fmt(m.cost)), el("td", {}, gives), el("td", {}, fmt(m.zopa_size)), el("td", { class: "hint" }, outcomeText(m.nash))));
  }
}

// ---- why, in words ----
// The words of `accord explain` (accord_app::narrative::provenance and
// confidence_words): the step and link sentences come from the server.
function gradeWords(g) { return g ? g.replace(/_/g, " ") : "unsourced"; }

function provenance(l) {
  const parts = [];
  if (l.source) parts.push(`Source: ${l.source_title || l.source} [${l.source}], ${gradeWords(l.grade)}`);
  if (l.quote) parts.push(`“${l.quote}”`);
  if (l.assumption) parts.push(`Assumption: ${l.assumption}`);
  return parts.length ? parts.join(" ") : "No source and no stated assumption.";
}

function confidenceWords(c) {
  let t = `Confidence: ${gradeWords(c.grade)} (its weakest source)`;
  if (typeof c.probability === "number") t += `; holds with probability ${(c.probability * 100).toFixed(0)}% across readings`;
  return `${t}.`;
}

async function loadExplain(body) {
  const box = $("explain"), sec = $("explain-section");
  sec.dataset.state = "loading";
  box.replaceChildren(el("p", { class: "hint" }, "Putting the reasons into words…"));
  const r = await api("POST", "/api/explain", body);
  if (!r.ok) { box.replaceChildren(el("p", { class: "hint" }, `Unavailable: ${r.data.error.split("\n")[0]}`)); sec.dataset.state = "error"; return; }
  renderExplain(r.data);
  sec.dataset.state = "ready";
}

function renderExplain(n) {
  const box = $("explain");
  const linkItem = (l) => el("li", { "data-link": l.id }, l.text, el("div", { class: "src" }, provenance(l)));
  const steps = el("ol", { id: "explain-steps" }, ...n.steps.map((s) => el("li", { class: "step", "data-kind": s.kind },
    el("p", {}, s.text),
    el("ul", {}, ...s.links.map(linkItem)),
    ...(s.facts && s.facts.length ? [el("p", { class: "hint" }, "Why they clash:"), el("ul", {}, ...s.facts.map(linkItem))] : []),
    el("p", { class: "confidence" }, confidenceWords(s.confidence)))));
  box.replaceChildren(
    ...(n.assumed && n.assumed.length ? [el("p", { class: "hint" }, `Assuming: ${n.assumed.join(", ")}`)] : []),
    // An undecided search is neither a deal nor its absence: no colour.
    el("p", { id: "explain-headline", class: { deal: "yes", no_deal: "no" }[n.verdict] || "" }, n.headline), steps);
}

// ---- readings and firmness ----
function readingName(m) { return m.reading ? `${m.id} [${m.reading}]` : m.id; }

function renderReadings(an) {
  const box = $("readings");
  box.replaceChildren();
  const r = an.readings;
  if (!r) { box.append(el("p", { class: "hint" }, "Every red line here has one reading and holds for sure (firmness 1), so the answer above is the only one.")); return; }
  const how = r.exact ? `all ${fmt(r.combinations)} combinations of readings enumerated` : `${fmt(r.samples)} seeded samples (seed ${r.seed}) of ${fmt(r.combinations)} combinations${r.p_deal_interval ? `, 95% interval ${pct(r.p_deal_interval[0])}–${pct(r.p_deal_interval[1])}` : ""}`;
  box.append(el("p", { id: "readings-p-deal" }, el("strong", { class: r.p_deal > 0 ? "yes" : "no" }, `P(deal) = ${(100 * r.p_deal).toFixed(1)}%`),
    ` — the probability that ${r.deals_over === "implementable" ? "an implementable" : "a"} deal exists, weighing each reading by its plausibility and each red line by its firmness (${how}).`));
  const lines = r.red_lines.map((l) => el("tr", {}, el("td", {}, l.actor), el("td", {}, l.id), el("td", {}, fmt(l.firmness)),
    el("td", {}, ...l.readings.map((x) => el("div", {}, `${x.name} (${pct(x.probability)}): `, el("code", {}, x.rule))))));
  box.append(el("h4", {}, "Red lines with readings"), el("div", { class: "scroll" }, table(["actor", "red line", "firmness", "readings (probability): rule"], lines, { id: "readings-lines" })));
  if (r.preconditions && r.preconditions.length) {
    const pre = r.preconditions.map((l) => el("tr", {}, el("td", {}, l.owner), el("td", {}, l.id), el("td", {}, fmt(l.firmness)),
      el("td", {}, ...l.readings.map((x) => el("div", {}, `${x.name} (${pct(x.probability)}): ${x.before} → ${x.then} (${x.kind}) — ${x.rule}`)))));
    box.append(el("h4", {}, "Preconditions with readings"),
      el("p", { class: "lead" }, "The process depends on the deal, so each combination also reads these preconditions one way (or not at all); a deal counts only if its process can then run."),
      el("div", { class: "scroll" }, table(["owner", "precondition", "firmness", "readings (probability): milestones, timing, rule"], pre, { id: "readings-preconditions" })));
  }
  const sets = r.blocking_sets.map((b) => {
    const under = [...Object.entries(b.under || {}), ...Object.entries(b.under_preconditions || {})].map(([k, v]) => `${k}: ${v.join(" or ")}`);
    return el("tr", { class: b.robust ? "robust" : "" },
      el("td", {}, b.members.map(readingName).join(" + ")),
      el("td", {}, pct(b.probability)),
      el("td", {}, b.robust === null || b.robust === undefined ? "— (sampled)" : b.robust ? "robust" : "depends on readings"),
      el("td", {}, b.default ? "yes" : "no"),
      el("td", { class: "hint" }, under.length ? under.join("; ") : "every reading"));
  });
  box.append(el("h4", {}, "Blocking sets under the readings"),
    el("p", { class: "lead" }, "A set is robust when it blocks whichever way its red lines (and the process's preconditions) are read; otherwise it holds only under the readings listed."),
    el("div", { class: "scroll" }, table(["blocking set", "probability", "robust?", "in today's answer", "holds under"], sets, { id: "readings-sets" })));
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
  renderProcessGraph(p);
  renderGantt(p);
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
  if ((p.waivers || []).length) {
    box.append(el("p", {}, `Minimal waivers that would unlock a schedule: ${p.waivers.map((w) => w.waived.map((c) => `${c.id} (${c.owner || "?"})`).join(" + ")).join("; ")}.`));
  }
  if (!p.consistent) return; // no dates to list: the Gantt above shows the waived schedule
  sched.append(el("tr", {}, el("th", {}, "milestone"), el("th", {}, "earliest"), el("th", {}, "latest")));
  for (const [m, w] of Object.entries(p.schedule)) {
    sched.append(el("tr", {}, el("td", {}, m), el("td", {}, w ? w.earliest : "—"), el("td", {}, w ? (w.latest || "open") : "—")));
  }
}

// ---- ratification ----
function renderRatification(an) {
  const box = $("ratification");
  box.replaceChildren();
  const r = an.ratification;
  if (!r) { box.append(el("p", { class: "hint" }, "The scenario names no ratifiers: each actor decides alone.")); return; }
  const ref = r.reference === "relaxation" ? "the Nash deal of the best relaxation (the ZOPA is empty)" : r.reference === "nash" ? "the Nash solution" : String(r.reference || "—");
  box.append(el("p", {}, `Votes and margins are counted on ${ref}.`));
  const rows = [];
  for (const a of r.actors || []) {
    const shrink = a.alone > 0 ? 1 - a.with_all / a.alone : 0;
    rows.push(el("tr", { class: "actor-row" }, el("th", {}, a.actor), el("td", {}, fmt(a.alone)), el("td", {}, fmt(a.with_all)),
      el("td", {}, shrink > 0 ? `−${pct(shrink)}` : "none"), el("td", { class: a.decisive ? "no" : "" }, a.decisive || "—"), el("td", {}, "")));
    for (const q of a.ratifiers || []) {
      const m = q.margin || {};
      const blocs = (m.blocs || []).map((b) => {
        const held = b.held !== undefined ? b.held : b.condition_holds;
        const tag = held === false ? " (condition not held)" : "";
        return `${b.bloc} ${fmt(b.seats, 0)} seats: ${b.accepts ? "yes" : "no"}${tag} (u ${fmt(b.utility, 3)} vs ${fmt(b.threshold, 2)})`;
      });
      const cls = typeof m.margin === "number" ? (m.margin >= 0 ? "yes" : "no") : "";
      rows.push(el("tr", { class: "ratifier-row" }, el("td", {}, `↳ ${q.ratifier}`), el("td", {}, fmt(q.with_only_this)), el("td", {}, fmt(q.without_this)),
        el("td", { class: cls }, m.yes_share !== undefined ? `yes ${pct(m.yes_share)} of quota ${pct(m.quota)} (margin ${m.margin >= 0 ? "+" : ""}${fmt(m.margin, 3)})` : "—"),
        el("td", {}, a.decisive === q.ratifier ? "decisive" : ""), el("td", { class: "hint" }, blocs.join("; "))));
    }
  }
  box.append(el("div", { class: "scroll" }, table(["actor / ratifier", "win-set alone (with only this ratifier)", "with all ratifiers (without this one)", "shrink / vote on the deal", "decisive", "blocs"], rows, { id: "ratification-table" })));
}

// ---- process graph and Gantt ----
function processEdges() {
  const sc = state.show && state.show.scenario;
  return sc ? (sc.preconditions || []) : [];
}

function renderProcessGraph(p) {
  const box = $("process-graph");
  box.replaceChildren();
  const sc = state.show && state.show.scenario;
  const ms = sc ? (sc.milestones || []) : [];
  if (!ms.length) return;
  const inCycle = new Set();
  for (const cyc of p.deadlocks || []) for (const e of cyc) inCycle.add(e.id);
  const W = 760, H = 440, cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 50, RX = 72, RY = 20;
  const pos = new Map(ms.map((m, i) => {
    const t = -Math.PI / 2 + (2 * Math.PI * i) / ms.length;
    return [m.id, { x: cx + 1.6 * R * Math.cos(t), y: cy + R * Math.sin(t) }];
  }));
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "graph", role: "img", "aria-label": "Process graph: milestones and preconditions" });
  const defs = svg("defs", {});
  for (const [id, color] of [["arrow", "#667"], ["arrow-bad", "#c0392b"]]) {
    defs.append(svg("marker", { id, viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: color })));
  }
  g.append(defs);
  let cycleEdges = 0;
  const labels = []; // drawn last, so no node hides them
  for (const e of processEdges()) {
    const a = pos.get(e.before), b = pos.get(e.then);
    if (!a || !b) continue;
    const bad = inCycle.has(e.id);
    if (bad) cycleEdges++;
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const ux = dx / len, uy = dy / len;
    // Leave and enter each node at its ellipse's edge (plus a gap for the arrowhead).
    const r = 1 / Math.hypot(ux / RX, uy / RY) + 3;
    const x1 = a.x + ux * r, y1 = a.y + uy * r, x2 = b.x - ux * r, y2 = b.y - uy * r;
    // Bend each edge a little so opposite edges do not overlap.
    const mx = (x1 + x2) / 2 - uy * 24, my = (y1 + y2) / 2 + ux * 24;
    const title = `${e.id} (${e.owner || "?"}): ${e.then} waits on ${e.before}${e.min_days ? ` + ${e.min_days} days` : ""} — ${e.rule || ""}`;
    g.append(svg("path", { d: `M${x1},${y1} Q${mx},${my} ${x2},${y2}`, class: bad ? "edge cycle-edge" : "edge", "data-edge": e.id, "marker-end": bad ? "url(#arrow-bad)" : "url(#arrow)" }, svg("title", {}, title)));
    // The label sits on the curve's midpoint (a quadratic Bézier at t = ½).
    const lx = (x1 + 2 * mx + x2) / 4, ly = (y1 + 2 * my + y2) / 4 + 4;
    labels.push(svg("text", { x: lx, y: ly, class: bad ? "edge-label bad" : "edge-label", "text-anchor": "middle" }, e.id));
  }
  for (const m of ms) {
    const q = pos.get(m.id);
    const w = p.schedule && p.schedule[m.id];
    g.append(svg("g", { class: "node", "data-milestone": m.id },
      svg("ellipse", { cx: q.x, cy: q.y, rx: RX, ry: RY }),
      svg("text", { x: q.x, y: q.y + 4, "text-anchor": "middle" }, m.id),
      svg("title", {}, `${m.name || m.id}${w ? `: earliest ${w.earliest}` : ""}`)));
  }
  g.append(...labels);
  g.dataset.cycleEdges = String(cycleEdges);
  box.append(g);
}

function renderGantt(p) {
  const box = $("gantt");
  box.replaceChildren();
  let sched = p.consistent ? p.schedule : null, caption = "Schedule: earliest start to latest date of each milestone.";
  if (!sched && (p.waivers || []).length) {
    const w = p.waivers[0];
    sched = w.schedule;
    caption = `No schedule exists as written. If ${w.waived.map((c) => `${c.id} (${c.owner || "?"})`).join(" + ")} were waived, it would run like this:`;
  }
  if (!sched || !Object.keys(sched).length) return;
  const rows = Object.entries(sched).filter(([, w]) => w);
  const maxDay = Math.max(30, ...rows.map(([, w]) => (w.latest_day !== null && w.latest_day !== undefined ? w.latest_day : w.earliest_day + 30)));
  const W = 720, rowH = 24, left = 170, H = rows.length * rowH + 30, scale = (W - left - 20) / maxDay;
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "gantt", role: "img", "aria-label": "Schedule of the milestones" });
  rows.forEach(([id, w], i) => {
    const y = 10 + i * rowH;
    const open = w.latest_day === null || w.latest_day === undefined;
    const end = open ? maxDay : w.latest_day;
    g.append(svg("text", { x: left - 8, y: y + 15, "text-anchor": "end" }, id));
    // The light bar is the window the milestone may fall in; the dark
    // mark is its earliest date.
    g.append(svg("rect", { x: left + w.earliest_day * scale, y: y + 3, width: Math.max(3, (end - w.earliest_day) * scale), height: rowH - 8, class: open ? "window open" : "window" },
      svg("title", {}, `${id}: ${w.earliest} – ${w.latest || "open"}`)));
    g.append(svg("rect", { x: left + w.earliest_day * scale, y: y + 1, width: 4, height: rowH - 4, class: "bar" }));
    g.append(svg("text", { x: left + w.earliest_day * scale + 8, y: y + 15, class: "axis" }, `${w.earliest} – ${w.latest || "open"}`));
  });
  g.append(svg("text", { x: left, y: H - 4, class: "axis" }, `day 0 (${p.as_of})`));
  g.append(svg("text", { x: W - 20, y: H - 4, class: "axis", "text-anchor": "end" }, `day ${maxDay}`));
  box.append(el("p", { class: "hint" }, caption), g);
}

// ---- timeline ----
const timelineChoice = new Map();

function timelineQuery() {
  const assume = [], reject = [];
  for (const [id, c] of timelineChoice) { if (c === "assume") assume.push(id); if (c === "reject") reject.push(id); }
  const q = [];
  if (assume.length) q.push(`assume=${encodeURIComponent(assume.join(","))}`);
  if (reject.length) q.push(`reject=${encodeURIComponent(reject.join(","))}`);
  return q.length ? `?${q.join("&")}` : "";
}

async function loadTimeline(body) {
  const box = $("timeline");
  box.dataset.state = "loading";
  $("timeline-summary").textContent = "Replaying the dated events…";
  const r = await api("POST", `/api/timeline${timelineQuery()}`, body);
  if (!r.ok) {
    const hint = r.status === 503 ? " (each dated event is a full analysis: `accord serve --budget 60` gives the server more time)" : "";
    $("timeline-summary").textContent = `Timeline unavailable: ${r.data.error.split("\n")[0]}${hint}`;
    box.dataset.state = "error";
    return;
  }
  renderTimeline(r.data);
  box.dataset.state = "ready";
}

function renderTimeline(t) {
  const steps = t.steps || [];
  const tb = $("timeline-table");
  tb.replaceChildren();
  if (steps.length <= 1) {
    $("timeline-summary").textContent = "The scenario records no dated events.";
    $("timeline-chart-box").hidden = true;
    return;
  }
  $("timeline-chart-box").hidden = false;
  const first = steps[0], last = steps[steps.length - 1];
  $("timeline-summary").textContent = `${steps.length - 1} dated events. ZOPA ${first.zopa_size} → ${last.zopa_size}; blocking sets ${first.blockers.length} → ${last.blockers.length}.`;
  const labels = steps.map((s) => `${s.date} ${s.id}`);
  const mark = (s) => (s.disputed ? "triangle" : "circle");
  const color = (s) => (!s.applied ? "#999" : s.disputed ? "#d62728" : "#3366cc");
  const sets = [
    { label: "blocking sets", data: steps.map((s) => s.blockers.length), yAxisID: "y", borderColor: "#b3261e", pointStyle: steps.map(mark), pointRadius: steps.map((s) => (s.disputed ? 8 : 4)), pointBackgroundColor: steps.map(color) },
    { label: "ZOPA size", data: steps.map((s) => s.zopa_size), yAxisID: "y1", borderColor: "#087a2a", pointStyle: steps.map(mark), pointBackgroundColor: steps.map(color) },
    { label: "deals the best relaxation opens", data: steps.map((s) => (s.best_relaxation ? s.best_relaxation.zopa_size : 0)), yAxisID: "y1", borderColor: "#ff9900", borderDash: [5, 4], pointStyle: steps.map(mark), pointBackgroundColor: steps.map(color) },
  ];
  const withP = steps.some((s) => typeof s.p_deal === "number");
  if (withP) sets.push({ label: "probability of a deal (readings)", data: steps.map((s) => (typeof s.p_deal === "number" ? s.p_deal : null)), yAxisID: "y2", borderColor: "#7b3fa0", backgroundColor: "#7b3fa0", pointStyle: steps.map(mark) });
  chartOn("timeline", $("timeline-chart"), {
    type: "line",
    data: { labels, datasets: sets },
    options: {
      scales: { y: { position: "left", beginAtZero: true, title: { display: true, text: "blocking sets" } }, y1: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "deals" } },
        ...(withP ? { y2: { position: "right", min: 0, max: 1, grid: { drawOnChartArea: false }, title: { display: true, text: "P(deal)" }, ticks: { callback: (v) => `${Math.round(100 * v)}%` } } } : {}) },
      plugins: { tooltip: { callbacks: { afterBody: (items) => { const s = steps[items[0].dataIndex]; return [s.title, s.disputed ? `disputed: claimed by ${s.disputed.claimed_by || "?"}, denied by ${s.disputed.denied_by}` : "", s.applied ? "" : "not applied"].filter(Boolean); } } } },
    },
  });
  $("timeline-chart").dataset.points = String(steps.length);
  $("timeline-chart").dataset.pDeal = withP ? steps.map((s) => (typeof s.p_deal === "number" ? s.p_deal.toFixed(4) : "")).join(",") : "";
  tb.append(el("tr", {}, ...["date", "event", "apply?", "ZOPA", "blocking sets", ...(withP ? ["P(deal)"] : []), "best relaxation", "process", "what changed"].map((h) => el("th", {}, h))));
  for (const s of steps) {
    let control = "—";
    if (s.id !== "as_of") {
      const cur = timelineChoice.get(s.id) || "";
      const opts = [["", s.disputed ? "as claimed (applied)" : "applied"], ...(s.disputed ? [["assume", "assume it happened"]] : []), ["reject", "reject"]];
      control = el("select", { "data-event": s.id, "aria-label": `apply ${s.id}?` }, ...opts.map(([v, l]) => { const o = el("option", { value: v }, l); if (v === cur) o.selected = true; return o; }));
      control.addEventListener("change", (ev) => { if (ev.target.value) timelineChoice.set(s.id, ev.target.value); else timelineChoice.delete(s.id); loadTimeline(scenarioBody()); });
    }
    const added = s.changes.filter((c) => c.startsWith("new block")).length, gone = s.changes.filter((c) => c.startsWith("block gone")).length;
    const other = s.changes.filter((c) => !c.startsWith("new block") && !c.startsWith("block gone"));
    const changes = [...(added + gone ? [`blocking sets +${added} −${gone}`] : []), ...other];
    tb.append(el("tr", { class: s.disputed ? "disputed" : (s.applied ? "" : "skipped") },
      el("td", {}, s.date),
      el("td", {}, s.id === "as_of" ? "base positions (the file as written)" : `${s.id}: ${s.title}`, s.disputed ? el("div", { class: "hint" }, `disputed: claimed by ${s.disputed.claimed_by || "?"}, denied by ${s.disputed.denied_by}${s.applied ? "" : " — not applied"}`) : (s.applied ? "" : el("div", { class: "hint" }, "not applied"))),
      el("td", {}, control), el("td", {}, s.zopa_size), el("td", {}, s.blockers.length),
      ...(withP ? [el("td", {}, typeof s.p_deal === "number" ? `${(100 * s.p_deal).toFixed(1)}%` : "—")] : []),
      el("td", {}, s.best_relaxation ? `drop ${s.best_relaxation.drop.join(" + ")} → ${s.best_relaxation.zopa_size} deals` : "—"),
      el("td", {}, s.process.consistent ? "schedulable" : `${s.process.deadlocks} deadlock(s)`),
      el("td", {}, changes.length ? changes.join("; ") : "—")));
  }
}

// ---- forecasts and sensitivity ----
function issueOf(id) {
  const sc = state.show && state.show.scenario;
  return sc ? (sc.issues || []).find((i) => i.id === id) : null;
}

function renderForecasts(fc, sens) {
  const box = $("forecasts");
  box.replaceChildren();
  const models = Object.keys(fc.models || {});
  if (!models.length) { box.append(el("p", { class: "hint" }, "No issue can be forecast by the spatial models.")); return; }
  const bands = (sens && sens.forecasts) || {};
  const issues = Object.keys(fc.models[models[0]]);
  const rows = issues.map((id) => el("tr", {}, el("th", {}, id), ...models.map((m) => {
    const f = fc.models[m][id], b = bands[m] && bands[m][id];
    const q = b && b.summary && b.summary.quantiles;
    return el("td", {}, f ? f.label : "—", q ? el("div", { class: "hint" }, `5–95%: ${fmt(q.p5)} – ${fmt(q.p95)}`) : "");
  })));
  box.append(el("p", { class: "hint" }, "Ranges of option issues count options from 0 (the first option)."), el("div", { class: "scroll" }, table(["issue", ...models], rows, { id: "forecast-table" })));
  const grid = el("div", { class: "chart-grid" });
  box.append(grid);
  let drawn = 0;
  for (const id of issues) {
    const issue = issueOf(id);
    const labelsOf = issue && issue.options ? issue.options.map((o) => o.id) : null;
    const canvas = el("canvas", { width: "320", height: "220", "aria-label": `forecasts of ${id}` });
    grid.append(el("figure", {}, canvas, el("figcaption", {}, `${id}${issue && issue.unit ? ` (${issue.unit})` : ""}`)));
    const band = models.map((m) => { const q = bands[m] && bands[m][id] && bands[m][id].summary.quantiles; return q ? [q.p5, q.p95] : null; });
    const median = models.map((m) => { const q = bands[m] && bands[m][id] && bands[m][id].summary.quantiles; return q ? q.p50 : null; });
    const point = models.map((m) => fc.models[m][id] ? fc.models[m][id].forecast : null);
    const yAxis = { title: { display: false } };
    if (labelsOf) Object.assign(yAxis, { min: 0, max: labelsOf.length - 1, ticks: { stepSize: 1, callback: (v) => labelsOf[v] || "" } });
    else if (issue && typeof issue.min === "number") Object.assign(yAxis, { min: issue.min, max: issue.max });
    chartOn(`fc-${id}`, canvas, {
      type: "bar",
      data: { labels: models, datasets: [
        { type: "bar", label: "5–95% band", data: band, backgroundColor: "rgba(51,102,204,0.35)", borderColor: "#3366cc", borderWidth: 1 },
        { type: "line", label: "median of runs", data: median, showLine: false, pointStyle: "line", pointRadius: 12, borderColor: "#1a3d7c", borderWidth: 3 },
        { type: "line", label: "point forecast", data: point, showLine: false, pointRadius: 5, backgroundColor: "#d62728", borderColor: "#d62728" },
      ] },
      options: { scales: { y: yAxis }, plugins: { legend: { display: drawn === 0, labels: { boxWidth: 12 } } } },
    });
    drawn++;
  }
  box.dataset.charts = String(drawn);
  if ((fc.not_forecastable || []).length) box.append(el("p", { class: "hint" }, `Not forecast: ${fc.not_forecastable.map((n) => `${n.issue} (${n.reason})`).join("; ")}.`));
}

function distText(d) {
  if (d.kind === "uniform") return `uniform [${fmt(d.lo)}, ${fmt(d.hi)}]`;
  if (d.kind === "normal") return `normal (${fmt(d.mean)}, sd ${fmt(d.sd)})`;
  if (d.kind === "triangular") return `triangular [${fmt(d.lo)}, ${fmt(d.mode)}, ${fmt(d.hi)}]`;
  return Object.entries(d).map(([k, v]) => `${k} ${fmt(v)}`).join(", ");
}

function renderSensitivity(sens) {
  const box = $("sensitivity");
  box.replaceChildren();
  const head = `${sens.runs_done} of ${sens.runs} Monte Carlo runs (seed ${sens.seed}) over ${sens.inputs.length} uncertain inputs${sens.cancelled ? " — stopped by the time budget, the figures cover the runs done" : ""}.`;
  box.append(el("p", {}, head));
  if (sens.deal) {
    box.append(el("p", { id: "zopa-probability" }, `A ZOPA exists in ${sens.deal.zopa_runs} of ${sens.deal.runs} deal-space runs (${(100 * sens.deal.zopa_probability).toFixed(1)}%).`));
  }
  const cor = sens.correlations || [];
  if (cor.length) {
    const canvas = el("canvas", { id: "drivers-chart", width: "720", height: String(Math.max(160, 26 * cor.length + 40)), "aria-label": "inputs that drive the results" });
    box.append(el("h4", {}, "Drivers: inputs that move the results most (Spearman ρ)"), el("div", { class: "chart" }, canvas));
    chartOn("drivers", canvas, {
      type: "bar",
      data: { labels: cor.map((c) => `${c.input} → ${c.output}`), datasets: [{ label: "ρ", data: cor.map((c) => c.rho), backgroundColor: cor.map((c) => (c.rho >= 0 ? "#3366cc" : "#d62728")) }] },
      options: { indexAxis: "y", scales: { x: { min: -1, max: 1 } }, plugins: { legend: { display: false } } },
    });
    canvas.dataset.points = String(cor.length);
  } else box.append(el("p", { class: "hint" }, "No input moves a result measurably."));
  box.append(el("h4", {}, "Uncertain inputs"), el("div", { class: "scroll" }, table(["input", "point value", "distribution"], sens.inputs.map((i) => el("tr", {}, el("td", {}, i.name), el("td", {}, fmt(i.value)), el("td", {}, distText(i.dist)))))));
}

async function loadForecasts(body) {
  const box = $("forecasts"), sbox = $("sensitivity");
  box.dataset.state = sbox.dataset.state = "loading";
  $("forecast-summary").textContent = "Running the forecasting models and the Monte Carlo runs…";
  const [fc, sens] = await Promise.all([api("POST", "/api/forecast", body), api("POST", "/api/sensitivity?runs=300&deal_runs=10", body)]);
  if (!fc.ok) { $("forecast-summary").textContent = `Forecasts unavailable: ${fc.data.error.split("\n")[0]}`; box.dataset.state = "error"; }
  else { $("forecast-summary").textContent = ""; renderForecasts(fc.data, sens.ok ? sens.data : null); box.dataset.state = "ready"; }
  if (!sens.ok) { sbox.replaceChildren(el("p", { class: "hint" }, `Sensitivity unavailable: ${sens.data.error.split("\n")[0]}`)); sbox.dataset.state = "error"; }
  else { renderSensitivity(sens.data); sbox.dataset.state = "ready"; }
}

// ---- what-if board ----
const whatif = { base: null, off: new Set(), reservations: new Map(), readings: new Map(), timer: null, ctl: null, scenario: null };

function reservationOf(p) { return typeof p.reservation === "number" ? p.reservation : (p.reservation && p.reservation.value); }

function buildWhatIf() {
  const sc = state.show && state.show.scenario;
  const box = $("whatif-switches");
  box.replaceChildren();
  whatif.off.clear(); whatif.reservations.clear(); whatif.readings.clear();
  $("whatif-diff").replaceChildren();
  if (!sc) return;
  // A red line read another way goes through the API's `reading` what-if
  // (the CLI's --reading); "absent" drops it like its switch does.
  const rl = (state.analysis && state.analysis.readings && state.analysis.readings.red_lines) || [];
  if (rl.length) {
    const ul = el("ul", { class: "switches" });
    for (const line of rl) {
      const [def, ...alts] = line.readings;
      const sel = el("select", { "data-reading": line.id, id: `rd-${line.id}` },
        el("option", { value: "" }, `as written (${def.name})`), ...alts.map((a) => el("option", { value: a.name }, `${a.name}: ${a.rule}`)), el("option", { value: "absent" }, "absent (the red line does not hold)"));
      sel.addEventListener("change", () => {
        const tag = `red_lines:${line.id}`;
        whatif.readings.delete(line.id);
        if (sel.value === "absent") whatif.off.add(tag);
        else {
          const cb = document.querySelector(`input[data-switch="${CSS.escape(tag)}"]`);
          if (!cb || cb.checked) whatif.off.delete(tag);
          if (sel.value) whatif.readings.set(line.id, sel.value);
        }
        scheduleWhatIf();
      });
      ul.append(el("li", {}, el("label", { for: `rd-${line.id}` }, `${line.actor}: ${line.id} (firmness ${fmt(line.firmness)}) `), sel));
    }
    box.append(el("fieldset", {}, el("legend", {}, "Readings of red lines"), ul));
  }
  const group = (title, key, items, describe) => {
    if (!items || !items.length) return;
    const ul = el("ul", { class: "switches" });
    for (const it of items) {
      const tag = `${key}:${it.id}`;
      const cb = el("input", { type: "checkbox", "data-switch": tag, id: `sw-${tag}` });
      cb.checked = true;
      cb.addEventListener("change", () => { if (cb.checked) whatif.off.delete(tag); else whatif.off.add(tag); scheduleWhatIf(); });
      ul.append(el("li", {}, cb, el("label", { for: `sw-${tag}` }, describe(it))));
    }
    box.append(el("fieldset", {}, el("legend", {}, title), ul));
  };
  group("Red lines (untick to drop)", "red_lines", sc.red_lines, (r) => `${r.actor}: ${r.id} — ${r.rule}`);
  group("Constraints", "constraints", sc.constraints, (c) => `${c.id} — ${c.rule}`);
  group("Ratifiers (untick: no vote needed)", "ratifiers", sc.ratifiers, (r) => `${r.actor}: ${r.name || r.id}`);
  group("Process preconditions", "preconditions", sc.preconditions, (p) => `${p.id} (${p.owner || "?"}): ${p.then} after ${p.before} — ${p.rule || ""}`);
  group("Deadlines", "deadlines", sc.deadlines, (d) => `${d.id} (${d.owner || "?"}): ${d.milestone} — ${d.rule || ""}`);
  const res = (sc.preferences || []).filter((p) => typeof reservationOf(p) === "number");
  if (res.length) {
    const ul = el("ul", { class: "switches" });
    for (const p of res) {
      const v0 = reservationOf(p);
      const out = el("output", {}, fmt(v0));
      const slider = el("input", { type: "range", min: "0", max: "1", step: "0.01", value: String(v0), "data-reservation": p.actor, "aria-label": `${p.actor} reservation` });
      slider.addEventListener("input", () => { const v = Number(slider.value); out.textContent = fmt(v); if (Math.abs(v - v0) < 1e-9) whatif.reservations.delete(p.actor); else whatif.reservations.set(p.actor, v); scheduleWhatIf(); });
      ul.append(el("li", {}, el("label", {}, `${p.actor} no-deal value `, slider, " ", out)));
    }
    box.append(el("fieldset", {}, el("legend", {}, "Reservations (utility of no deal)"), ul));
  }
}

function whatIfScenario() {
  const sc = JSON.parse(JSON.stringify(state.show.scenario));
  for (const key of ["red_lines", "constraints", "ratifiers", "preconditions", "deadlines"]) {
    if (Array.isArray(sc[key])) sc[key] = sc[key].filter((x) => !whatif.off.has(`${key}:${x.id}`));
  }
  // The chosen readings, written into the saved scenario as the server's
  // `--reading` does (accord_formats::readings::select_reading_raw): the
  // reading's rule and provenance change places with the red line's own.
  for (const [id, name] of whatif.readings) {
    const line = (sc.red_lines || []).find((r) => r.id === id);
    const alt = line && (line.readings || []).find((a) => a.name === name);
    if (!alt) continue;
    const own = line.default_reading || "default";
    for (const [k, ak] of [["rule", "rule"], ["source", "source"], ["quote", "quote"], ["assumption", "assumption"], ["default_weight", "weight"]]) {
      const a = alt[ak], b = line[k];
      if (a === undefined) delete line[k]; else line[k] = a;
      if (b === undefined) delete alt[ak]; else alt[ak] = b;
    }
    line.default_reading = name;
    alt.name = own;
    delete alt.grade;
  }
  for (const p of sc.preferences || []) {
    if (!whatif.reservations.has(p.actor)) continue;
    const v = whatif.reservations.get(p.actor);
    if (typeof p.reservation === "number") p.reservation = v;
    else p.reservation = Object.assign({}, p.reservation, { value: v, range: undefined });
  }
  return sc;
}

function scheduleWhatIf() {
  clearTimeout(whatif.timer);
  const changed = whatif.off.size + whatif.reservations.size + whatif.readings.size;
  $("whatif-save").disabled = changed === 0 || !state.id;
  if (!changed) { if (whatif.ctl) whatif.ctl.abort(); $("whatif-diff").replaceChildren(); $("whatif-status").textContent = "As saved."; $("whatif").dataset.state = "idle"; return; }
  $("whatif-status").textContent = "…";
  whatif.timer = setTimeout(runWhatIf, 400);
}

async function runWhatIf() {
  if (whatif.ctl) whatif.ctl.abort();
  const ctl = new AbortController();
  whatif.ctl = ctl;
  const sc = whatIfScenario();
  whatif.scenario = sc;
  $("whatif").dataset.state = "loading";
  $("whatif-status").textContent = "Re-running the analysis on the modified scenario…";
  let an, pr;
  try {
    const q = whatif.readings.size ? `?reading=${encodeURIComponent([...whatif.readings].map(([id, n]) => `${id}=${n}`).join(","))}` : "";
    [an, pr] = await Promise.all([api("POST", `/api/analyze${q}`, sc, ctl.signal), api("POST", `/api/process${q}`, sc, ctl.signal)]);
  } catch (e) {
    if (e.name === "AbortError") return; // a newer change superseded this one
    throw e;
  }
  if (ctl !== whatif.ctl) return;
  if (!an.ok || !pr.ok) {
    const bad = an.ok ? pr : an;
    $("whatif-status").textContent = `The modified scenario cannot be analysed: ${bad.data.error.split("\n")[0]}`;
    $("whatif").dataset.state = "error";
    return;
  }
  renderWhatIfDiff(state.analysis, state.process, an.data, pr.data);
  $("whatif-status").textContent = `What-if: ${[...whatif.off].map((t) => `without ${t.split(":")[1]}`).concat([...whatif.readings].map(([id, n]) => `${id} read as ${n}`), [...whatif.reservations].map(([a, v]) => `${a} reservation ${fmt(v)}`)).join(", ")}.`;
  $("whatif").dataset.state = "ready";
}

function summaryOf(an, pr) {
  const nash = an.solutions && an.solutions.nash;
  const best = (an.relaxations || [])[0];
  const rat = an.ratification ? (an.ratification.actors || []).map((a) => `${a.actor} ${fmt(a.with_all)}${a.decisive ? ` (${a.decisive} decisive)` : ""}`).join(", ") : "—";
  const rows = [
    ["ZOPA size", an.zopa.size],
    ["feasible outcomes", an.feasible],
    ["blocking sets", (an.blockers || []).length],
    ["Nash solution", nash ? outcomeText(nash) : "none (no ZOPA)"],
    ["best relaxation", best ? `drop ${best.drop.map((c) => c.id).join(" + ")} → ${best.zopa_size} deals` : "—"],
    ["win-sets with ratifiers", rat],
    ["process", pr.consistent ? "schedulable" : `${(pr.deadlocks || []).length} deadlock(s)`],
    ["exact", an.exact === false ? `bounds (gap ${fmt(an.gap, 3)})` : "exact"],
    ["P(deal) under readings", an.readings ? `${(100 * an.readings.p_deal).toFixed(1)}%` : "—"],
  ];
  // Figures other front ends add to the ZOPA (e.g. implementable deals) show up when present.
  for (const [k, v] of Object.entries(an.zopa || {})) if (k !== "size" && typeof v === "number") rows.push([`ZOPA ${k.replace(/_/g, " ")}`, v]);
  return rows;
}

function renderWhatIfDiff(baseAn, basePr, an, pr) {
  const a = summaryOf(baseAn, basePr), b = summaryOf(an, pr);
  const rows = a.map(([k, v], i) => {
    const w = b[i] ? b[i][1] : "—";
    const changed = String(v) !== String(w);
    return el("tr", { class: changed ? "changed" : "" }, el("th", {}, k), el("td", {}, fmt(v)), el("td", {}, fmt(w)));
  });
  const t = table(["", `saved (v${state.version || "—"})`, "what-if"], rows, { id: "whatif-table" });
  t.dataset.zopa = String(an.zopa.size);
  $("whatif-diff").replaceChildren(t);
}

async function saveWhatIf() {
  if (!state.id || !whatif.scenario) return;
  const note = $("whatif-note").value.trim() || "what-if";
  const body = { text: JSON.stringify(whatif.scenario, null, 2), syntax: "json", note };
  const r = await api("PUT", `/api/scenarios/${encodeURIComponent(state.id)}`, body);
  if (!r.ok) { setStatus(`save failed: ${r.data.error}`); return; }
  setStatus(`saved the what-if as ${state.id} v${r.data.version} (“${r.data.note}”)`);
  await loadList();
  await openScenario(state.id);
}

// ---- version compare ----
// Line diff by longest common subsequence: [kind, text] with kind " ", "-" or "+".
function lineDiff(a, b) {
  const n = a.length, m = b.length;
  const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out = [];
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { out.push([" ", a[i]]); i++; j++; } else if (L[i + 1][j] >= L[i][j + 1]) out.push(["-", a[i++]]); else out.push(["+", b[j++]]);
  }
  while (i < n) out.push(["-", a[i++]]);
  while (j < m) out.push(["+", b[j++]]);
  return out;
}

// The answer rows of one side of a diff document (`before` or `after`).
function diffSummary(x) {
  const rows = [
    ["ZOPA size", x.zopa_size],
    ["feasible outcomes", x.feasible],
    ["blocking sets", x.blockers.length],
    ["Nash solution", x.nash ? Object.entries(x.nash).map(([k, v]) => `${k}=${v}`).join(", ") : "none (no ZOPA)"],
    ["best relaxation", x.relaxations.length ? `drop ${x.relaxations[0].join(" + ")}` : "—"],
    ["votes on the reference deal", x.ratification.length ? x.ratification.map((v) => `${v.ratifier} ${v.outcome}`).join(", ") : "—"],
    ["process", x.process_consistent ? "schedulable" : `${x.deadlocks} deadlock(s)`],
    ["exact", x.exact ? "exact" : "bounds"],
  ];
  if (x.implementable_size !== undefined) rows.push(["ZOPA implementable", x.implementable_size]);
  return rows;
}

async function compareVersions() {
  const va = Number($("cmp-a").value), vb = Number($("cmp-b").value);
  const out = $("compare-out");
  out.dataset.state = "loading";
  out.replaceChildren(el("p", {}, `Comparing v${va} with v${vb}…`));
  const id = encodeURIComponent(state.id);
  const [ta, tb] = await Promise.all([api("GET", `/api/scenarios/${id}?version=${va}`), api("GET", `/api/scenarios/${id}?version=${vb}`)]);
  if (!ta.ok || !tb.ok) { out.replaceChildren(el("p", {}, (ta.ok ? tb : ta).data.error)); out.dataset.state = "error"; return; }
  const d = lineDiff(ta.data.text.split("\n"), tb.data.text.split("\n"));
  const changed = d.filter(([k]) => k !== " ").length;
  const pre = el("pre", { class: "diff", id: "compare-diff" });
  // Changed lines with two lines of context around each change.
  const keep = d.map(([k]) => k !== " ");
  d.forEach(([k, t], i) => {
    const near = keep.slice(Math.max(0, i - 2), i + 3).some(Boolean);
    if (near) pre.append(el("span", { class: k === "+" ? "add" : k === "-" ? "del" : "ctx" }, `${k} ${t}`));
    else if (i > 0 && keep.slice(Math.max(0, i - 3), i + 2).some(Boolean)) pre.append(el("span", { class: "ctx" }, "…"));
  });
  pre.dataset.changed = String(changed);
  // Inputs by id and answers come from the server's diff (the same as `accord diff --json`).
  const r = await api("GET", `/api/scenarios/${id}/diff?a=${va}&b=${vb}`);
  if (!r.ok) { out.replaceChildren(pre, el("p", {}, `cannot compare: ${r.data.error.split("\n")[0]}`)); out.dataset.state = "error"; return; }
  const doc = r.data;
  const sa = diffSummary(doc.before), sb = diffSummary(doc.after);
  const rows = sa.map(([k, v], i) => {
    const w = sb[i] ? sb[i][1] : "—";
    return el("tr", { class: String(v) !== String(w) ? "changed" : "" }, el("th", {}, k), el("td", {}, fmt(v)), el("td", {}, fmt(w)));
  });
  const show = (x) => x === undefined || x === null ? "—" : typeof x === "object" ? JSON.stringify(x) : String(x);
  const inputs = el("ul", { id: "compare-inputs" }, ...doc.inputs.map((c) => el("li", {}, `${c.section} ${c.id}: ${c.change}`,
    ...(c.fields || []).map((f) => el("div", { class: "ctx" }, `${f.field}: ${show(f.old)} → ${show(f.new)}`)))));
  out.replaceChildren(
    el("h4", {}, `Input: ${changed} line(s) differ`), pre,
    el("h4", {}, `Input changes by id: ${doc.inputs.length}`), inputs,
    el("h4", {}, "Answer"), table(["", `v${va}`, `v${vb}`], rows, { id: "compare-table" }));
  out.dataset.state = "ready";
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
  state.process = pr.data;
  renderPositions(show.data);
  renderDeal(an.data);
  fillPartySelects(an.data);
  renderChart();
  renderRatification(an.data);
  renderReadings(an.data);
  renderProcess(pr.data);
  buildWhatIf();
  applyRouteDrops();
  scheduleWhatIf();
  setStatus(`analysed ${state.id || "unsaved text"}${state.dirty ? " (unsaved edits)" : ` v${state.version}`}; loading the timeline and forecasts…`);
  document.body.dataset.state = "ready";
  // The slower analyses fill their sections one after the other: large
  // scenarios share one heavy lane on the server, and queueing them all at
  // once would spend their time budgets waiting.
  await loadExplain(body);
  await loadTimeline(body);
  await loadForecasts(body);
  await loadRuns();
  setStatus(`analysed ${state.id || "unsaved text"}${state.dirty ? " (unsaved edits)" : ` v${state.version}`}`);
  document.body.dataset.sections = "ready";
}

// `#/ID` opens a scenario; `#/ID?drop=red_lines:X,preconditions:Y` also
// opens the what-if board with those switches off, and `&reading=ID=NAME`
// with those readings picked (a shareable what-if).
function route() {
  const [path] = location.hash.replace(/^#\/?/, "").split("?");
  const id = decodeURIComponent(path);
  return id || null;
}

function routeDrops() {
  const q = location.hash.split("?")[1] || "";
  const m = new URLSearchParams(q).get("drop");
  return m ? m.split(",").filter(Boolean) : [];
}

function applyRouteDrops() {
  for (const tag of routeDrops()) {
    const cb = document.querySelector(`input[data-switch="${CSS.escape(tag)}"]`);
    if (cb) { cb.checked = false; whatif.off.add(tag); }
  }
  // `?reading=ID=NAME,…` picks readings of red lines, as the selects do.
  const q = new URLSearchParams(location.hash.split("?")[1] || "").get("reading");
  for (const spec of q ? q.split(",") : []) {
    const [id, name] = spec.split("=");
    const sel = document.querySelector(`select[data-reading="${CSS.escape(id || "")}"]`);
    if (!sel || ![...sel.options].some((o) => o.value === name)) continue;
    sel.value = name;
    if (name === "absent") whatif.off.add(`red_lines:${id}`); else whatif.readings.set(id, name);
  }
}

async function init() {
  $("text").addEventListener("input", onEdit);
  $("text").addEventListener("scroll", syncScroll);
  $("view-text").addEventListener("click", () => showEditorView("text"));
  $("view-form").addEventListener("click", () => showEditorView("form"));
  $("validate").addEventListener("click", validate);
  $("save").addEventListener("click", save);
  $("analyze").addEventListener("click", () => runAll(false));
  $("pareto-all").addEventListener("click", () => runAll(true));
  $("whatif-save").addEventListener("click", saveWhatIf);
  $("compare").addEventListener("click", compareVersions);
  $("whatif-reset").addEventListener("click", () => { buildWhatIf(); scheduleWhatIf(); });
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
