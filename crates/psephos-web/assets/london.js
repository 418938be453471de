// The London page: sliders for the poll, win probabilities under four rules
// updated as they move, the base race beside them, the sweep chart, the
// assumptions, and the official replays. The settings live in the URL.
"use strict";

const $ = (id) => document.getElementById(id);
let presets = [];
let scenario = null; // the chosen preset's inputs
let pending = null;

async function init() {
  presets = await ps.api("/api/scenarios");
  const p = ps.params();
  for (const x of presets.filter((x) => x.kind === "scenario")) $("preset").append(ps.el("option", { value: x.id, text: x.description }));
  for (const x of presets.filter((x) => x.kind === "replay")) $("replay").append(ps.el("option", { value: x.id, text: x.description }));
  $("preset").value = p.get("preset") || presets.find((x) => x.default).id;
  $("replay").value = p.get("replay") || "london-2024";
  build(p);
  $("preset").addEventListener("change", () => { build(new URLSearchParams()); update(); });
  $("reset").addEventListener("click", () => { build(new URLSearchParams()); update(); });
  $("draws").addEventListener("change", update);
  $("sweep-go").addEventListener("click", sweep);
  $("replay").addEventListener("change", replay);
  update();
  replay();
}

// The sliders of the chosen scenario, set from `p` where it says.
function build(p) {
  scenario = presets.find((x) => x.id === $("preset").value).scenario;
  $("scenario-title").textContent = scenario.title;
  const entrant = scenario.entrant;
  $("question").textContent = entrant ? `Would ${entrant.name} hand London to the Conservatives?` : scenario.title;
  const sliders = $("sliders");
  sliders.replaceChildren();
  const slider = (id, label, value, max, step) => {
    const out = ps.el("output", { id: id + "-out", for: id });
    const input = ps.el("input", { type: "range", id, min: 0, max, step, value, "aria-label": label });
    const show = () => { out.textContent = Number(input.value).toFixed(step < 1 ? (step < 0.1 ? 2 : 1) : 0); };
    input.addEventListener("input", () => { show(); update(); });
    show();
    return ps.el("label", {}, label + " ", out, input);
  };
  for (const c of scenario.candidates) {
    const v = p.get("share." + c.name) ?? c.share;
    sliders.append(slider("share." + c.name, `${c.name}${c.party ? " (" + c.party + ")" : ""} %`, v, 60, 0.5));
  }
  if (entrant) sliders.append(slider("entrant_share", `${entrant.name} (entrant) %`, p.get("entrant_share") ?? entrant.share, 40, 0.5));
  const drawn = $("drawn");
  drawn.replaceChildren();
  if (entrant) {
    drawn.append(ps.el("p", { class: "muted", text: `Of every point ${entrant.name} wins, the share taken from each candidate (they are scaled to add up to 1).` }));
    for (const [name, f] of Object.entries(entrant.drawn_from)) drawn.append(slider("drawn." + name, `from ${name}`, p.get("drawn." + name) ?? f, 1, 0.01));
  }
  $("error").value = p.get("systematic_error") ?? scenario.systematic_error;
  $("error-out").textContent = Number($("error").value).toFixed(1);
  $("error").oninput = () => { $("error-out").textContent = Number($("error").value).toFixed(1); update(); };
  if (p.get("draws")) $("draws").value = p.get("draws");
  assumptions();
}

// A slider's value when the reader has moved it away from `original`
// (further than the slider's rounding), else null.
function moved(id, original) {
  const input = $(id);
  const v = Number(input.value);
  return Math.abs(v - original) > Number(input.step) / 2 ? v : null;
}

// The what-if as a query: only what differs from the published poll. Poll
// shares that no longer add up to 100 are scaled so that they do, and the
// page says so.
function query() {
  const q = new URLSearchParams();
  q.set("preset", $("preset").value);
  const e = scenario.entrant;
  const changed = scenario.candidates.some((c) => moved("share." + c.name, c.share) !== null);
  if (changed) {
    const shares = scenario.candidates.map((c) => [c.name, Number($("share." + c.name).value)]);
    const sum = shares.reduce((a, [, v]) => a + v, 0);
    const scale = sum > 0 ? 100 / sum : 1;
    for (const [n, v] of shares) q.set("share." + n, (v * scale).toFixed(2));
    $("scaled").textContent = Math.abs(sum - 100) > 0.01
      ? `The poll shares you set add up to ${sum.toFixed(1)}; they are scaled to add up to 100.` : "";
  } else {
    $("scaled").textContent = "";
  }
  if (e) {
    const v = moved("entrant_share", e.share);
    if (v !== null) q.set("entrant_share", v);
    if (Object.entries(e.drawn_from).some(([n, f]) => moved("drawn." + n, f) !== null)) {
      const raw = Object.keys(e.drawn_from).map((n) => [n, Number($("drawn." + n).value)]);
      const sum = raw.reduce((a, [, f]) => a + f, 0) || 1;
      for (const [n, f] of raw) q.set("drawn." + n, (f / sum).toFixed(4));
    }
  }
  const err = moved("error", scenario.systematic_error);
  if (err !== null) q.set("systematic_error", err);
  q.set("draws", $("draws").value);
  return q;
}

const update = ps.debounce(async () => {
  const q = query();
  const state = new URLSearchParams(q);
  state.set("replay", $("replay").value);
  ps.setParams(state);
  if (pending) pending.abort();
  pending = new AbortController();
  ps.status($("status"), "Simulating…");
  const started = performance.now();
  try {
    const v = await ps.api("/api/simulate?" + q, { method: "POST", signal: pending.signal });
    $("error-box").replaceChildren();
    show(v);
    ps.status($("status"), `${ps.fmt(v.draws)} simulated elections in ${Math.round(performance.now() - started)} ms.`);
  } catch (err) {
    if (err.name === "AbortError") return;
    ps.showError($("error-box"), err);
    ps.status($("status"), "");
  }
}, 250);

// A table of win probabilities: candidates by rule, with bars.
function probTable(caption, race, id) {
  const rules = race.results.map((r) => r.rule);
  const names = Object.keys(race.first_round_share).sort((a, b) => race.first_round_share[b].median - race.first_round_share[a].median);
  const t = ps.el("table", { class: "prob", id });
  t.append(ps.el("caption", { text: caption }));
  t.append(ps.el("thead", {}, ps.el("tr", {}, ps.el("th", { scope: "col", text: "Candidate" }), ps.el("th", { scope: "col", text: "First round (median, 80%)" }), rules.map((r) => ps.el("th", { scope: "col", text: short(r) })))));
  const tb = ps.el("tbody");
  for (const n of names) {
    const s = race.first_round_share[n];
    tb.append(ps.el("tr", {}, ps.el("th", { scope: "row", text: n }),
      ps.el("td", { text: `${s.median.toFixed(1)} (${s.p10.toFixed(1)}–${s.p90.toFixed(1)})` }),
      race.results.map((r) => {
        const p = r.win_probability[n];
        const lead = Math.max(...Object.values(r.win_probability)) === p && p > 0;
        return ps.el("td", { class: lead ? "lead" : null, "data-rule": r.rule, "data-candidate": n },
          ps.el("span", { class: "bar", style: `width:${Math.round(p * 60)}px`, "aria-hidden": "true" }), ps.pct(p));
      })));
  }
  t.append(tb);
  return t;
}

function short(rule) {
  return { plurality: "First past the post", "supplementary-vote": "Supplementary Vote", irv: "Instant runoff", "two-round": "Two-round" }[rule] || rule;
}

function show(v) {
  $("verdict").textContent = v.verdict;
  const e = v.entrant;
  $("with").replaceChildren(probTable(e ? `With ${e}: chance of winning` : "Chance of winning", v, "probabilities"));
  $("base").replaceChildren(v.base ? probTable(`Without ${e} (base race, same draws)`, v.base, "base-probabilities") : "");
  $("track").textContent = v.track_record ? v.track_record.sentence : "";
}

async function sweep() {
  const q = query();
  q.set("draws", "500");
  ps.status($("sweep-status"), "Simulating 9 shares × 500 draws…");
  try {
    const v = await ps.api("/api/sweep?" + q, { method: "POST" });
    $("sweep").replaceChildren(ps.chart(v.svg, "sweep.svg", "Each line is one candidate under one rule (colour: candidate; dashes: rule)."));
    ps.status($("sweep-status"), "");
  } catch (err) {
    ps.showError($("sweep"), err);
    ps.status($("sweep-status"), "");
  }
}

function assumptions() {
  const body = $("assume-body");
  body.replaceChildren(
    ps.el("p", { text: scenario.source }),
    ps.el("pre", { style: "white-space:pre-wrap", text: scenario.notes || "" }),
    ps.el("p", { text: `Poll sample ${ps.fmt(scenario.sample_size)}; systematic error ${scenario.systematic_error} points at 50% (the size of past London polling misses).` }),
    ps.el("ul", {}, scenario.sources.map((s) => ps.el("li", {}, /^https?:/.test(s) ? ps.el("a", { href: s, rel: "noopener", text: s }) : s))));
}

async function replay() {
  const out = $("replay-out");
  const state = ps.params();
  state.set("replay", $("replay").value);
  ps.setParams(state);
  try {
    const v = await ps.api("/api/replays/" + $("replay").value);
    out.replaceChildren(
      ps.el("p", { class: "verdict" }, `${v.title}: `, ps.el("strong", { text: v.winners.join(", ") }), " elected. ",
        v.matches_official ? "Every first-round total and the winner equal the official figures." : "Differs from the official count: " + v.difference),
      ps.chart(v.charts.rounds, `${v.id}.svg`, ""),
      ps.el("ol", { class: "narrative" }, v.narrative.map((n) => ps.el("li", { text: n }))),
      ps.el("p", { class: "muted", text: "Sources: " + v.sources.join("; ") }));
  } catch (err) {
    ps.showError(out, err);
  }
}

init().catch((err) => ps.showError($("error-box"), err));
