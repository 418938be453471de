// The Audit page: heat map, Condorcet facts, winners by rule, spoilers,
// paradoxes with their witnesses, margins.
"use strict";

const $ = (id) => document.getElementById(id);
let upload = null;
let examples = [];

async function init() {
  examples = await ps.api("/api/examples");
  for (const e of examples) $("example").append(ps.el("option", { value: e.id, text: e.description }));
  const p = ps.params();
  $("example").value = p.get("example") || (upload ? "" : "burlington-2009");
  ps.addReadControls();
  ps.fillReadFields(p);
  $("file").addEventListener("change", async () => {
    const f = $("file").files[0];
    upload = f ? { name: f.name, bytes: await f.arrayBuffer() } : null;
    if (upload) $("example").value = "";
  });
  $("form").addEventListener("submit", (e) => { e.preventDefault(); run(); });
  if ($("example").value) run();
}

async function run() {
  const out = $("out");
  $("go").disabled = true;
  ps.status($("status"), "Auditing…");
  try {
    let body, name;
    if (upload) { body = upload.bytes; name = upload.name; } else {
      const e = examples.find((x) => x.id === $("example").value);
      if (!e) throw new Error("choose a ballot file or an example");
      body = await ps.api("/api/examples/" + e.id); name = e.name;
      const state = new URLSearchParams(); state.set("example", e.id); ps.setParams(state);
    }
    const q = new URLSearchParams({ name, charts: "1" });
    if ($("seats").value) q.set("seats", $("seats").value);
    if ($("thorough").checked) q.set("thorough", "1");
    ps.addReadFields(q);
    const v = await ps.api("/api/audit?" + q, { method: "POST", body });
    out.replaceChildren(render(v));
    ps.status($("status"), `Audited ${ps.fmt(v.ballots)} ballots.`);
  } catch (err) {
    ps.showError(out, err);
    ps.status($("status"), "");
  } finally {
    $("go").disabled = false;
  }
}

const list = (xs) => (xs && xs.length ? xs.join(", ") : "none");

function render(v) {
  const w = ps.el("div");
  w.append(ps.el("h2", { text: v.title }));
  w.append(ps.el("h3", { text: "Findings" }), ps.el("ul", { id: "summary" }, v.summary.map((s) => ps.el("li", { text: s }))));
  w.append(ps.el("h3", { text: "Head to head" }));
  w.append(ps.el("dl", {},
    ps.el("dt", { text: "Condorcet winner" }), ps.el("dd", { text: v.condorcet_winner || "none" }),
    ps.el("dt", { text: "Condorcet loser" }), ps.el("dd", { text: v.condorcet_loser || "none" }),
    ps.el("dt", { text: "Smith set" }), ps.el("dd", { text: list(v.smith_set) }),
    ps.el("dt", { text: "Cycle" }), ps.el("dd", { text: list(v.cycle) })));
  if (v.charts && v.charts.heatmap) w.append(ps.chart(v.charts.heatmap, "head-to-head.svg", "Each cell: ballots ranking the row's candidate above the column's."));
  w.append(ps.el("h3", { text: "Winners by rule" }));
  const t = ps.el("table", {}, ps.el("thead", {}, ps.el("tr", {}, ps.el("th", { scope: "col", text: "Rule" }), ps.el("th", { scope: "col", text: "Elected" }),
    ps.el("th", { scope: "col", text: "Spoilers" }), ps.el("th", { scope: "col", text: "Margin (ballots)" }))));
  const tb = ps.el("tbody");
  for (const [rule, winners] of Object.entries(v.winners)) {
    const spoilers = (v.spoilers[rule] || []).filter((s) => s.spoiler).map((s) => `${s.candidate} (helps ${s.helps}, hurts ${s.hurts})`);
    const m = v.margins[rule];
    tb.append(ps.el("tr", {}, ps.el("th", { scope: "row", text: rule }), ps.el("td", { text: winners.join(", ") }),
      ps.el("td", { text: spoilers.join("; ") || "—" }), ps.el("td", { text: m ? `${ps.fmt(m.ballots)}${m.exact ? "" : " (at most)"}` : "—" })));
  }
  for (const [rule, why] of Object.entries(v.failed || {})) tb.append(ps.el("tr", {}, ps.el("th", { scope: "row", text: rule }), ps.el("td", { colspan: 3, text: "not counted: " + why })));
  t.append(tb);
  w.append(ps.el("div", { class: "scroll" }, t));
  w.append(ps.el("h3", { text: "Paradoxes" }));
  if (!v.paradoxes.length) w.append(ps.el("p", { text: "None found by the search." }));
  for (const p of v.paradoxes) {
    const changes = p.witness.changes.map((c) => ps.el("li", { text: `${ps.fmt(c.count)} ballots: ${c.from.join(" > ") || "(blank)"} → ${c.to.join(" > ") || "(blank)"}` }));
    w.append(ps.el("details", {}, ps.el("summary", { text: `${p.rule}: ${p.kind} (${p.candidate})` }), ps.el("ul", {}, changes)));
  }
  w.append(ps.el("p", { class: "downloads" }, ps.downloadLink("Download the audit (JSON)", "audit.json", JSON.stringify(v, null, 2), "application/json")));
  return w;
}

init().catch((err) => ps.showError($("out"), err));
