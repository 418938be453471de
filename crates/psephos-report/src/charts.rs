//! SVG charts of a count and of an audit, written by hand: the round-by-round
//! bar chart with the majority or quota line, the Sankey diagram of
//! transfers, and the heat map of the pairwise matrix. Every chart is a
//! standalone SVG document with a `<title>`, a `<desc>` text alternative, an
//! `aria-label`, axis labels and a legend where one is needed, drawn in the
//! colour-blind-safe Okabe–Ito palette.
//!
//! The Sankey diagram draws what the count recorded, never more: each
//! round's `transfers` (a surplus at its transfer value, or the ballots of
//! every candidate eliminated together in one batch, moved in the same step),
//! and the votes each candidate kept.

use std::fmt::Write;

use psephos::{CandidateId, Candidates, PairwiseMatrix, Round, Tabulation, TransferTarget};

use crate::svg::{esc, COLOURS};

/// The grey of inactive ballots.
const INACTIVE: &str = "#999999";

/// A candidate's colour: by position in the candidate list.
fn colour(id: CandidateId) -> &'static str {
    COLOURS[id.index() % COLOURS.len()]
}

/// The opening of a chart: the `<svg>` element, its title and description.
fn open(out: &mut String, width: f64, height: f64, title: &str, desc: &str) {
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#,
        esc(title)
    );
    let _ = writeln!(out, "<title>{}</title>\n<desc>{}</desc>", esc(title), esc(desc));
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
}

/// The threshold a round's leader must pass: the quota when the count has
/// one, else a majority of the votes counted for candidates.
fn threshold(t: &Tabulation, r: &Round) -> Option<(u64, &'static str)> {
    if !r.kind.is_ballots() {
        return None;
    }
    match t.quota {
        Some(q) => Some((q, "quota")),
        None => Some((r.counted() / 2 + 1, "majority")),
    }
}

/// One block of horizontal bars per round: each candidate's votes, the
/// ballots inactive so far, and a dashed line at the majority or quota.
pub fn rounds(t: &Tabulation, c: &Candidates, title: &str) -> String {
    let longest = c.iter().map(|(_, x)| x.name.chars().count()).max().unwrap_or(8).max(8);
    // About 6.6 pixels a character at 12 px Helvetica.
    let left = 16.0 + 6.6 * longest as f64;
    let (right, bar, gap, head) = (150.0, 18.0, 4.0, 34.0);
    let width = left + right + 460.0;
    let plot = width - left - right;
    let ballots = t.rounds.iter().all(|r| r.kind.is_ballots());
    let max = t
        .rounds
        .iter()
        .flat_map(|r| r.tally.iter().map(|&(_, v)| v).chain(threshold(t, r).map(|(q, _)| q)))
        .chain(t.rounds.iter().filter(|r| r.kind.is_ballots()).map(|r| r.inactive.total()))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let rows = |r: &Round| r.tally.len() + usize::from(r.kind.is_ballots());
    let height = 60.0 + t.rounds.iter().map(|r| head + rows(r) as f64 * (bar + gap) + 16.0).sum::<f64>() + 30.0;
    let winners: Vec<&str> = t.elected.iter().map(|&id| c.name(id)).collect();
    let desc = format!(
        "{} rounds of the count under {}; elected: {}. Each bar is a candidate's {} in that round{}.",
        t.rounds.len(),
        t.rule,
        if winners.is_empty() { "nobody".to_owned() } else { winners.join(", ") },
        if ballots { "votes" } else { "score" },
        if ballots { "; the dashed line is the majority or quota" } else { "" }
    );
    let mut s = String::new();
    open(&mut s, width, height, title, &desc);
    let _ = writeln!(s, r#"<text x="10" y="24" font-size="16" font-weight="bold">{}</text>"#, esc(title));
    let _ = writeln!(s, r##"<text x="10" y="44" fill="#555">{}</text>"##, esc(&t.rule.to_string()));
    let x = |v: u64| left + v as f64 / max * plot;
    let mut y = 60.0;
    for r in &t.rounds {
        let counted = r.counted();
        let _ = writeln!(s, r#"<g aria-label="Round {}">"#, r.number);
        let _ = writeln!(s, r#"<text x="10" y="{:.1}" font-weight="bold">Round {}</text>"#, y + 18.0, r.number);
        let top = y + head;
        let mut row = top;
        for &(id, v) in &r.tally {
            let status = if r.elected().any(|e| e == id) {
                " — elected"
            } else if r.eliminated().any(|e| e == id) {
                " — eliminated"
            } else {
                ""
            };
            let share = if ballots && counted > 0 {
                format!(" ({:.1}%)", v as f64 * 100.0 / counted as f64)
            } else {
                String::new()
            };
            let label = format!("{}{share}{status}", t.format_votes(v));
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
                left - 6.0,
                row + 13.0,
                esc(c.name(id))
            );
            let _ = writeln!(
                s,
                r#"<rect x="{left}" y="{row:.1}" width="{:.1}" height="{bar}" fill="{}"><title>{}: {}</title></rect>"#,
                x(v) - left,
                colour(id),
                esc(c.name(id)),
                esc(&label)
            );
            let _ = writeln!(s, r#"<text x="{:.1}" y="{:.1}">{}</text>"#, x(v) + 4.0, row + 13.0, esc(&label));
            row += bar + gap;
        }
        if r.kind.is_ballots() {
            let v = r.inactive.total();
            let _ = writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">Inactive</text>"##,
                left - 6.0,
                row + 13.0
            );
            let _ = writeln!(
                s,
                r#"<rect x="{left}" y="{row:.1}" width="{:.1}" height="{bar}" fill="{INACTIVE}"><title>Inactive: {}</title></rect>"#,
                x(v) - left,
                t.format_votes(v)
            );
            let _ = writeln!(s, r#"<text x="{:.1}" y="{:.1}">{}</text>"#, x(v) + 4.0, row + 13.0, t.format_votes(v));
            row += bar + gap;
        }
        if let Some((q, what)) = threshold(t, r) {
            let qx = x(q);
            let _ = writeln!(
                s,
                r##"<line x1="{qx:.1}" x2="{qx:.1}" y1="{:.1}" y2="{row:.1}" stroke="#000" stroke-dasharray="4 3"><title>{what}: {}</title></line>"##,
                top - 4.0,
                t.format_votes(q)
            );
            let _ = writeln!(
                s,
                r#"<text x="{qx:.1}" y="{:.1}" text-anchor="middle" font-size="11">{what} {}</text>"#,
                top - 7.0,
                t.format_votes(q)
            );
        }
        let _ = writeln!(s, "</g>");
        y = row + 16.0;
    }
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        left + plot / 2.0,
        height - 10.0,
        if ballots { "Votes" } else { "Score (the rule's own units)" }
    );
    s.push_str("</svg>\n");
    s
}

/// One node of the Sankey diagram: a candidate (or the inactive ballots) in
/// a round, and how much of its height links have used on each side.
struct Node {
    who: Option<CandidateId>,
    value: u64,
    y: f64,
    used_in: f64,
    used_out: f64,
}

/// The Sankey diagram of a count counted in ballots: one column per round,
/// one node per candidate (and one for the inactive ballots), and between
/// columns the votes each candidate kept and the transfers the count
/// recorded. Empty for a count with a single round or scored rounds.
pub fn sankey(t: &Tabulation, c: &Candidates, title: &str) -> String {
    let rounds: Vec<&Round> = t.rounds.iter().filter(|r| r.kind.is_ballots()).collect();
    let columns = rounds.len().max(1);
    let (left, right, top, plot_h, node_w, gap) = (10.0, 150.0, 80.0, 420.0, 14.0, 8.0);
    let col_w = if columns > 1 { (820.0f64).max(150.0 * columns as f64) / columns as f64 } else { 200.0 };
    let width = left + right + col_w * (columns as f64 - 1.0) + node_w + 10.0;
    let total = rounds.iter().map(|r| r.counted() + r.inactive.total()).max().unwrap_or(1).max(1) as f64;
    let max_nodes = rounds.iter().map(|r| r.tally.len() + 1).max().unwrap_or(1) as f64;
    let scale = (plot_h - gap * max_nodes) / total;
    let height = top + plot_h + 50.0;
    let mut columns_nodes: Vec<Vec<Node>> = Vec::new();
    for r in &rounds {
        let mut y = top;
        let mut nodes = Vec::new();
        for &(id, v) in r.tally.iter().filter(|&&(_, v)| v > 0) {
            nodes.push(Node { who: Some(id), value: v, y, used_in: 0.0, used_out: 0.0 });
            y += v as f64 * scale + gap;
        }
        let inactive = r.inactive.total();
        if inactive > 0 {
            nodes.push(Node { who: None, value: inactive, y, used_in: 0.0, used_out: 0.0 });
        }
        columns_nodes.push(nodes);
    }
    let transfers: usize = rounds.iter().map(|r| r.transfers.len()).sum();
    let desc = format!(
        "How votes moved between the {} rounds of the count under {}: {} recorded transfers; each band's width is \
         proportional to the votes it carries; grey is ballots that became inactive.",
        rounds.len(),
        t.rule,
        transfers
    );
    let mut s = String::new();
    open(&mut s, width, height, title, &desc);
    let _ = writeln!(s, r#"<text x="10" y="24" font-size="16" font-weight="bold">{}</text>"#, esc(title));
    let _ = writeln!(
        s,
        r##"<text x="10" y="44" fill="#555">{} — votes kept and transferred, round by round</text>"##,
        esc(&t.rule.to_string())
    );
    let col_x = |k: usize| left + col_w * k as f64;
    let name = |who: Option<CandidateId>| who.map_or("Inactive", |id| c.name(id));
    for k in 0..rounds.len().saturating_sub(1) {
        let next = rounds[k + 1];
        // Kept votes: a candidate's votes less what the next round moved away from them.
        let (here, there) = {
            let (a, b) = columns_nodes.split_at_mut(k + 1);
            (&mut a[k], &mut b[0])
        };
        let mut bands: Vec<(Option<CandidateId>, Option<CandidateId>, u64, &'static str)> = Vec::new();
        for n in here.iter() {
            let moved: u64 = next.transfers.iter().filter(|tr| Some(tr.from) == n.who).map(|tr| tr.votes).sum();
            let stays = match n.who {
                Some(id) => next.tally.iter().any(|&(x, v)| x == id && v > 0),
                None => true,
            };
            if stays && n.value > moved {
                bands.push((n.who, n.who, n.value - moved, "kept"));
            }
        }
        for tr in &next.transfers {
            let to = match tr.to {
                TransferTarget::Candidate(id) => Some(id),
                TransferTarget::Inactive(_) => None,
            };
            bands.push((Some(tr.from), to, tr.votes, "transfer"));
        }
        // A surplus moves at its transfer value: say so on its bands.
        let at = match &next.action {
            Some(psephos::tabulation::RoundAction::Surplus { transfer_value, .. }) => {
                format!(" (surplus at transfer value {})", t.format_votes(*transfer_value))
            }
            Some(psephos::tabulation::RoundAction::Exclusion { candidates }) if candidates.len() > 1 => {
                format!(" ({} candidates excluded together)", candidates.len())
            }
            _ => String::new(),
        };
        let x0 = col_x(k) + node_w;
        let x1 = col_x(k + 1);
        for (from, to, v, kind) in bands {
            let (Some(a), Some(b)) = (here.iter_mut().find(|n| n.who == from), there.iter_mut().find(|n| n.who == to))
            else {
                continue;
            };
            let h = v as f64 * scale;
            let (ya, yb) = (a.y + a.used_out, b.y + b.used_in);
            a.used_out += h;
            b.used_in += h;
            let mid = (x0 + x1) / 2.0;
            let fill = from.map_or(INACTIVE, colour);
            let opacity = if kind == "kept" { 0.25 } else { 0.55 };
            let what = if kind == "kept" {
                format!("{} keeps {}", name(from), t.format_votes(v))
            } else {
                format!("{} → {}: {}{at}", name(from), name(to), t.format_votes(v))
            };
            let _ = writeln!(
                s,
                r#"<path d="M{x0:.1},{ya:.1} C{mid:.1},{ya:.1} {mid:.1},{yb:.1} {x1:.1},{yb:.1} L{x1:.1},{:.1} C{mid:.1},{:.1} {mid:.1},{:.1} {x0:.1},{:.1} Z" fill="{fill}" fill-opacity="{opacity}"><title>{}</title></path>"#,
                yb + h,
                yb + h,
                ya + h,
                ya + h,
                esc(&what)
            );
        }
    }
    for (k, (r, nodes)) in rounds.iter().zip(&columns_nodes).enumerate() {
        let x = col_x(k);
        let _ = writeln!(s, r#"<text x="{x:.1}" y="{:.1}" font-weight="bold">Round {}</text>"#, top - 8.0, r.number);
        for n in nodes {
            let h = (n.value as f64 * scale).max(1.0);
            let fill = n.who.map_or(INACTIVE, colour);
            let _ = writeln!(
                s,
                r#"<rect x="{x:.1}" y="{:.1}" width="{node_w}" height="{h:.1}" fill="{fill}"><title>Round {}: {} {}</title></rect>"#,
                n.y,
                r.number,
                esc(name(n.who)),
                t.format_votes(n.value)
            );
            if k + 1 == rounds.len() || h >= 12.0 {
                let _ = writeln!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}" font-size="11">{} {}</text>"#,
                    x + node_w + 3.0,
                    n.y + h.min(20.0) / 2.0 + 4.0,
                    esc(name(n.who)),
                    t.format_votes(n.value)
                );
            }
        }
    }
    s.push_str("</svg>\n");
    s
}

/// The pairwise matrix as a heat map: cell (row A, column B) holds the
/// ballots preferring A to B, blue where A wins the pair, vermilion where A
/// loses, the stronger the colour the wider the margin.
pub fn heatmap(m: &PairwiseMatrix, c: &Candidates, title: &str) -> String {
    let ids: Vec<CandidateId> = c.standing().filter(|id| id.index() < m.num_candidates()).collect();
    let n = ids.len();
    let cell = if n > 12 { 40.0 } else { 64.0 };
    let (left, top) = (150.0, 150.0);
    let width = (left + cell * n as f64 + 20.0).max(left + 500.0);
    let height = top + cell * n as f64 + 60.0;
    let desc = match m.condorcet_winner(&ids) {
        Some(w) => format!(
            "Head-to-head contests among {n} candidates; {} beats every other candidate. Each cell holds the \
             ballots ranking the row's candidate above the column's.",
            c.name(w)
        ),
        None => format!(
            "Head-to-head contests among {n} candidates; no candidate beats every other. Each cell holds the \
             ballots ranking the row's candidate above the column's."
        ),
    };
    let mut s = String::new();
    open(&mut s, width, height, title, &desc);
    let _ = writeln!(s, r#"<text x="10" y="24" font-size="16" font-weight="bold">{}</text>"#, esc(title));
    let _ =
        writeln!(s, r##"<text x="10" y="44" fill="#555">Row's candidate preferred to column's, in ballots</text>"##);
    for (j, &b) in ids.iter().enumerate() {
        let x = left + cell * j as f64 + cell / 2.0;
        let _ = writeln!(
            s,
            r#"<text transform="translate({x:.1} {:.1}) rotate(-45)" text-anchor="start">{}</text>"#,
            top - 8.0,
            esc(c.name(b))
        );
    }
    for (i, &a) in ids.iter().enumerate() {
        let y = top + cell * i as f64;
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + cell / 2.0 + 4.0,
            esc(c.name(a))
        );
        for (j, &b) in ids.iter().enumerate() {
            let x = left + cell * j as f64;
            if a == b {
                let _ = writeln!(
                    s,
                    r##"<rect x="{x:.1}" y="{y:.1}" width="{cell}" height="{cell}" fill="#eee" stroke="white"/>"##
                );
                continue;
            }
            let (ab, ba) = (m.get(a, b), m.get(b, a));
            let margin = if ab + ba > 0 { (ab as f64 - ba as f64) / (ab + ba) as f64 } else { 0.0 };
            let (fill, verdict) = match ab.cmp(&ba) {
                std::cmp::Ordering::Greater => ("#0072B2", "beats"),
                std::cmp::Ordering::Less => ("#D55E00", "loses to"),
                std::cmp::Ordering::Equal => ("#999999", "ties"),
            };
            let opacity = 0.15 + 0.85 * margin.abs().min(1.0);
            let ink = if opacity > 0.55 { "white" } else { "black" };
            let _ = writeln!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{cell}" height="{cell}" fill="{fill}" fill-opacity="{opacity:.2}" stroke="white"><title>{} {verdict} {}: {ab} to {ba}</title></rect>"#,
                esc(c.name(a)),
                esc(c.name(b))
            );
            let _ = writeln!(
                s,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="11" fill="{ink}">{ab}</text>"#,
                x + cell / 2.0,
                y + cell / 2.0 + 4.0
            );
        }
    }
    let ly = top + cell * n as f64 + 24.0;
    let _ = writeln!(s, r##"<rect x="{left}" y="{:.1}" width="14" height="14" fill="#0072B2"/>"##, ly - 11.0);
    let _ = writeln!(s, r#"<text x="{:.1}" y="{ly:.1}">row wins the pair</text>"#, left + 18.0);
    let _ =
        writeln!(s, r##"<rect x="{:.1}" y="{:.1}" width="14" height="14" fill="#D55E00"/>"##, left + 150.0, ly - 11.0);
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{ly:.1}">row loses the pair (stronger colour: wider margin)</text>"#,
        left + 168.0
    );
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use psephos::{CountOptions, Election, NormalisePolicy, RankedBallots, Rule};

    /// A, B, C: C is eliminated and its ballots move to B, who wins.
    fn count(rule: &str) -> (Election, Tabulation) {
        let text = "3 1\n4 1 0\n3 2 0\n2 3 2 0\n0\n\"A\"\n\"B\"\n\"C\"\n\"t\"\n";
        let file = psephos_io::read_bytes("t.blt", text.as_bytes(), &psephos_io::ReadOptions::default()).unwrap();
        let raw: RankedBallots = file.ballots;
        let election = Election::from_raw(file.candidates, 1, raw, NormalisePolicy::default()).unwrap();
        let rule: Rule = rule.parse().unwrap();
        let t = rule.count(&election, &CountOptions::default()).unwrap();
        (election, t)
    }

    #[test]
    fn rounds_chart_has_every_round_the_majority_line_and_a_text_alternative() {
        let (e, t) = count("irv");
        let svg = rounds(&t, &e.candidates, "Test & count");
        assert!(svg.contains("<title>Test &amp; count</title>"));
        assert!(svg.contains(r#"aria-label="Round 2""#));
        assert!(svg.contains("majority 5"), "{svg}");
        assert!(svg.contains("eliminated"));
    }

    #[test]
    fn sankey_draws_the_recorded_transfer_and_the_votes_kept() {
        let (e, t) = count("irv");
        let svg = sankey(&t, &e.candidates, "t");
        assert!(svg.contains("C → B: 2"), "{svg}");
        assert!(svg.contains("A keeps 4"), "{svg}");
        assert!(!svg.contains("C keeps"), "an eliminated candidate keeps nothing: {svg}");
    }

    #[test]
    fn narrative_tells_each_round_with_its_transfers() {
        let (e, t) = count("irv");
        let n = crate::text::narrative(&t, &e.candidates);
        assert_eq!(n.len(), 2);
        assert!(n[0].contains("A leads with 4 of 9 votes counted (44.4%)"), "{n:?}");
        assert!(n[0].contains("Eliminated: C"), "{n:?}");
        assert!(n[1].contains("C's ballots moved: 2 to B"), "{n:?}");
        assert!(n[1].contains("Elected: B"), "{n:?}");
    }

    #[test]
    fn heatmap_colours_wins_and_losses() {
        let (e, _) = count("irv");
        let m = PairwiseMatrix::from_ballots(e.ranked().unwrap());
        let svg = heatmap(&m, &e.candidates, "t");
        assert!(svg.contains("B beats A: 5 to 4"), "{svg}");
        assert!(svg.contains("A loses to B"), "{svg}");
    }
}
