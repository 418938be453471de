//! CSV output of counts: one row per candidate (or inactive reason) per
//! round, for spreadsheets.

use psephos::{Candidates, Tabulation};

use crate::tally::Outcome;

/// The column names, in order.
pub const HEADER: [&str; 8] = ["rule", "round", "kind", "name", "votes", "percent", "elected", "eliminated"];

/// Every counted rule's rounds as CSV rows: `kind` is `candidate` or
/// `inactive`; `votes` is in whole votes (with the count's decimals for
/// transferable-vote counts); `percent` is of the votes counted for
/// candidates in that round; `elected` and `eliminated` say what happened to
/// a candidate at the end of the round.
pub fn tally<W: std::io::Write>(out: W, c: &Candidates, outcomes: &[Outcome]) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER)?;
    for o in outcomes {
        if let Outcome::Counted(t) = o {
            rows(&mut w, c, t)?;
        }
    }
    w.flush()?;
    Ok(())
}

fn rows<W: std::io::Write>(w: &mut csv::Writer<W>, c: &Candidates, t: &Tabulation) -> csv::Result<()> {
    for r in &t.rounds {
        let round = r.number.to_string();
        let rule = t.rule.to_string();
        let counted = r.counted();
        for &(id, v) in &r.tally {
            let pct = if counted > 0 && r.kind.is_ballots() {
                format!("{:.2}", v as f64 * 100.0 / counted as f64)
            } else {
                String::new()
            };
            let yes = |b: bool| if b { "yes" } else { "" };
            w.write_record([
                &rule,
                &round,
                "candidate",
                c.name(id),
                &t.format_votes(v),
                &pct,
                yes(r.elected().any(|e| e == id)),
                yes(r.eliminated().any(|e| e == id)),
            ])?;
        }
        if r.kind.is_ballots() {
            for (reason, v) in r.inactive.iter() {
                w.write_record([&rule, &round, "inactive", reason.as_str(), &t.format_votes(v), "", "", ""])?;
            }
        }
    }
    Ok(())
}
