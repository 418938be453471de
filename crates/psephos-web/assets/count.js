// The Count page: upload or example, one rule or two side by side, or the
// same rule with a candidate withdrawn.
"use strict";

const $ = (id) => document.getElementById(id);
let upload = null; // { name, bytes } of the chosen file
let lastCandidates = [];

async function init() {
  const [rules, examples] = await Promise.all([ps.api("/api/rules"), ps.api("/api/examples")]);
  for (const r of rules) {
    $("rule").append(ps.el("option", { value: r.id, title: r.description, text: r.id }));
    $("rule2").append(ps.el("option", { value: r.id, title: r.description, text: r.id }));
  }
  for (const e of examples) $("example").append(ps.el("option", { value: e.id, text: e.description }));
  const p = ps.params();
  $("example").value = p.get("example") || (p.has("rule") ? "" : "burlington-2006");
  $("rule").value = p.get("rule") || "irv";
  $("rule2").value = p.get("rule2") || "plurality";
  $("compare").value = p.get("compare") || "";
  for (const k of ["seats", "policy", "tie_break", "kind", "scores"]) if (p.has(k)) $(k).value = p.get(k);
  ps.addReadControls();
  ps.fillReadFields(p);
  showCompare();
  if (p.get("withdraw")) { lastCandidates = [p.get("withdraw")]; fillWithdraw(p.get("withdraw")); }
  $("file").addEventListener("change", async () => {
    const f = $("file").files[0];
    upload = f ? { name: f.name, bytes: await f.arrayBuffer() } : null;
    if (upload) $("example").value = "";
    $("file").dataset.loaded = upload ? upload.name : "";
  });
  $("compare").addEventListener("change", showCompare);
  $("form").addEventListener("submit", (e) => { e.preventDefault(); run(); });
  if ($("example").value) run();
}

function showCompare() {
  $("rule2-label").hidden = $("compare").value !== "rule";
  $("withdraw-label").hidden = $("compare").value !== "withdraw";
}

function fillWithdraw(selected) {
  const s = $("withdraw");
  const keep = selected || s.value;
  s.replaceChildren(...lastCandidates.map((c) => ps.el("option", { value: c, text: c })));
  if (keep && lastCandidates.includes(keep)) s.value = keep;
}

// The query for a count: the options of the form and `extra`.
function query(extra) {
  const q = new URLSearchParams();
  q.set("name", upload ? upload.name : exampleName[$("example").value] || "upload");
  if ($("kind").value === "approval") q.set("approval", "1");
  if ($("kind").value === "scores") q.set("scores", $("scores").value);
  if ($("seats").value) q.set("seats", $("seats").value);
  if ($("kind").value === "ranked") q.set("policy", $("policy").value);
  if ($("tie_break").value && $("tie_break").value !== "previous-rounds,candidate-order") q.set("tie_break", $("tie_break").value);
  ps.addReadFields(q);
  for (const [k, v] of Object.entries(extra)) q.append(k, v);
  return q;
}
const exampleName = {};

async function ballots() {
  if (upload) return upload.bytes;
  const id = $("example").value;
  if (!id) throw new Error("choose a ballot file or an example");
  const list = await ps.api("/api/examples");
  for (const e of list) exampleName[e.id] = e.name;
  return ps.api("/api/examples/" + id);
}

async function count(body, extra) {
  return ps.api("/api/tally?" + query(extra), { method: "POST", body });
}

async function run() {
  const out = $("out");
  $("go").disabled = true;
  ps.status($("status"), "Counting…");
  try {
    const body = await ballots();
    const rule = $("rule").value;
    const first = await count(body, { rule, charts: "1" });
    lastCandidates = first.candidates.filter((c) => !first.withdrawn.includes(c));
    fillWithdraw();
    let second = null;
    const mode = $("compare").value;
    if (mode === "rule") second = await count(body, { rule: $("rule2").value, charts: "1" });
    if (mode === "withdraw" && $("withdraw").value) second = await count(body, { rule, withdraw: $("withdraw").value, charts: "1" });
    const state = new URLSearchParams();
    if ($("example").value) state.set("example", $("example").value);
    state.set("rule", rule);
    if (mode) state.set("compare", mode);
    if (mode === "rule") state.set("rule2", $("rule2").value);
    if (mode === "withdraw") state.set("withdraw", $("withdraw").value);
    ps.setParams(state);
    out.replaceChildren(render(first, second, body, mode));
    ps.status($("status"), `Counted ${ps.fmt(first.ballots)} ballots.`);
  } catch (err) {
    ps.showError(out, err);
    ps.status($("status"), "");
  } finally {
    $("go").disabled = false;
  }
}

function render(first, second, body, mode) {
  const wrap = ps.el("div");
  wrap.append(ps.el("h2", { text: first.title }));
  if (first.notes && first.notes.length) wrap.append(ps.el("ul", { class: "muted" }, first.notes.map((n) => ps.el("li", { text: n }))));
  if (second) {
    const a = first.results[0], b = second.results[0];
    const label = mode === "withdraw" ? `${a.rule} without ${second.withdrawn.join(", ")}` : b.rule;
    const same = a.winners.join() === b.winners.join();
    wrap.append(ps.el("p", { class: "verdict", id: "comparison" },
      `Under ${a.rule}: ${a.winners.join(", ") || "nobody"} elected. Under ${label}: ${b.winners.join(", ") || "nobody"} elected. `,
      ps.el("strong", { text: same ? "The same result." : "A different result." })));
  }
  const grid = ps.el("div", { class: second ? "grid2" : "" });
  grid.append(panel(first, first.results[0], "", body));
  if (second) grid.append(panel(second, second.results[0], mode === "withdraw" ? ` without ${second.withdrawn.join(", ")}` : "", body));
  wrap.append(grid);
  return wrap;
}

// One count: verdict, narrative, charts, the round table and downloads.
function panel(v, r, suffix, body) {
  const sec = ps.el("section", { class: "result", "aria-label": r.rule + suffix });
  sec.append(ps.el("h3", { text: r.rule + suffix }));
  sec.append(ps.el("p", { class: "muted", text: r.description }));
  sec.append(ps.el("p", { class: "verdict" }, "Elected: ", ps.el("strong", { text: r.winners.join(", ") || "nobody" })));
  const slug = (r.rule + suffix).replace(/[^A-Za-z0-9]+/g, "-");
  if (r.charts) {
    sec.append(ps.chart(r.charts.rounds, `rounds-${slug}.svg`, "Votes in each round; the dashed line is the majority or quota."));
    if (r.rounds.length > 1) sec.append(ps.chart(r.charts.sankey, `transfers-${slug}.svg`, "Where the votes went between rounds."));
  }
  sec.append(table(r));
  if (r.narrative) sec.append(ps.el("h4", { text: "Round by round" }), ps.el("ol", { class: "narrative" }, r.narrative.map((n) => ps.el("li", { text: n }))));
  const dl = ps.el("p", { class: "downloads" });
  dl.append(ps.downloadLink("JSON", `count-${slug}.json`, JSON.stringify(v, null, 2), "application/json"));
  for (const [label, output, type, ext] of [["CSV", "csv", "text/csv", "csv"], ["RCTab JSON", "rctab", "application/json", "json"]]) {
    const b = ps.el("button", { type: "button", class: "secondary", text: label });
    b.addEventListener("click", async () => {
      try {
        const extra = { rule: r.rule, output };
        for (const w of v.withdrawn || []) extra.withdraw = w;
        const text = await ps.api("/api/tally?" + query(extra), { method: "POST", body });
        const content = typeof text === "string" ? text : JSON.stringify(text, null, 2);
        ps.downloadLink(label, `count-${slug}-${output}.${ext}`, content, type).click();
      } catch (err) { alert(err.message); }
    });
    dl.append(b);
  }
  sec.append(dl);
  return sec;
}

// The round table: candidates (and inactive ballots by reason) by round,
// votes and percentages of the votes counted for candidates.
function table(r) {
  const unit = Math.pow(10, r.decimals || 0);
  const show = (x) => (r.decimals ? (x / unit).toLocaleString("en-GB", { minimumFractionDigits: 0, maximumFractionDigits: r.decimals }) : ps.fmt(x));
  const names = [];
  for (const round of r.rounds) for (const n of Object.keys(round.tally)) if (!names.includes(n)) names.push(n);
  const reasons = [];
  for (const round of r.rounds) for (const [k, x] of Object.entries(round.inactive)) if (x > 0 && !reasons.includes(k)) reasons.push(k);
  const t = ps.el("table", { class: "rounds" });
  t.append(ps.el("caption", { text: "Votes by round (% of votes counted for candidates)" }));
  t.append(ps.el("thead", {}, ps.el("tr", {}, ps.el("th", { scope: "col", text: "Candidate" }), r.rounds.map((x) => ps.el("th", { scope: "col", text: "Round " + x.round })))));
  const tb = ps.el("tbody");
  for (const n of names) {
    tb.append(ps.el("tr", {}, ps.el("th", { scope: "row", text: n }), r.rounds.map((x) => {
      if (!(n in x.tally)) return ps.el("td", { text: "" });
      const v = x.tally[n];
      const pc = x.kind === "ballots" && x.counted > 0 ? ` (${(v * 100 / x.counted).toFixed(1)}%)` : "";
      const mark = x.elected.includes(n) ? " ✓ elected" : x.eliminated.includes(n) ? " ✗ out" : "";
      return ps.el("td", { text: show(v) + pc + mark });
    })));
  }
  for (const k of reasons) {
    tb.append(ps.el("tr", { class: "muted" }, ps.el("th", { scope: "row", text: "Inactive: " + k }), r.rounds.map((x) => ps.el("td", { text: show(x.inactive[k] || 0) }))));
  }
  tb.append(ps.el("tr", {}, ps.el("th", { scope: "row", text: "Counted for candidates" }), r.rounds.map((x) => ps.el("td", { text: show(x.counted) }))));
  t.append(tb);
  return ps.el("div", { class: "scroll" }, t);
}

init().catch((err) => ps.showError($("out"), err));
