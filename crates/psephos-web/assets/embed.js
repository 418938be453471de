// Embeddable views, one chart and its source line, for a news page's iframe:
//   /embed/count?example=ID&rule=R[&withdraw=NAME]&chart=rounds|sankey
//   /embed/replay/ID
//   /embed/sweep?preset=ID[&share.NAME=…]   (the London sweep chart)
//   /embed/london?preset=ID[&share.NAME=…]   (the win probabilities)
"use strict";

async function embed() {
  const out = document.getElementById("out");
  const view = location.pathname.replace(/^\/embed\//, "");
  const p = ps.params();
  const credit = (text) => ps.el("p", { class: "muted" }, text + " — ", ps.el("a", { href: location.origin + "/", target: "_top", text: "psephos" }));
  try {
    if (view === "count") {
      const ex = (await ps.api("/api/examples")).find((e) => e.id === p.get("example"));
      if (!ex) throw new Error("give example=ID (uploads are never kept, so only the shipped examples can be embedded)");
      const body = await ps.api("/api/examples/" + ex.id);
      const q = new URLSearchParams({ name: ex.name, rule: p.get("rule") || "irv", charts: "1" });
      for (const w of p.getAll("withdraw")) q.append("withdraw", w);
      const v = await ps.api("/api/tally?" + q, { method: "POST", body });
      const r = v.results[0];
      const which = p.get("chart") === "sankey" ? "sankey" : "rounds";
      out.replaceChildren(ps.chart(r.charts[which], `${which}.svg`, ""), credit(`${v.title}, ${r.rule}${v.withdrawn.length ? " without " + v.withdrawn.join(", ") : ""}`));
    } else if (view.startsWith("replay/")) {
      const v = await ps.api("/api/replays/" + encodeURIComponent(view.slice(7)));
      out.replaceChildren(ps.chart(v.charts.rounds, `${v.id}.svg`, ""), credit(v.title));
    } else if (view === "sweep") {
      p.set("draws", p.get("draws") || "500");
      const v = await ps.api("/api/sweep?" + p, { method: "POST" });
      out.replaceChildren(ps.chart(v.svg, "sweep.svg", ""), credit("Simulated from the published poll"));
    } else if (view === "london") {
      const v = await ps.api("/api/simulate?" + p, { method: "POST" });
      const rows = v.results.map((r) => {
        const [who, pr] = Object.entries(r.win_probability).sort((a, b) => b[1] - a[1])[0];
        return ps.el("tr", {}, ps.el("th", { scope: "row", text: r.rule }), ps.el("td", { text: who }), ps.el("td", { text: ps.pct(pr) }));
      });
      out.replaceChildren(ps.el("table", {}, ps.el("caption", { text: v.title }),
        ps.el("thead", {}, ps.el("tr", {}, ps.el("th", { scope: "col", text: "Rule" }), ps.el("th", { scope: "col", text: "Most likely winner" }), ps.el("th", { scope: "col", text: "Chance" }))),
        ps.el("tbody", {}, rows)), ps.el("p", { text: v.verdict }), credit(`${ps.fmt(v.draws)} simulated elections`));
    } else {
      throw new Error("no such view; see the README for /embed/count, /embed/replay/ID, /embed/sweep and /embed/london");
    }
  } catch (err) {
    ps.showError(out, err);
  }
}

embed();
