//! What a ballot file declares that a count takes up (the BLT `[tie]` order
//! and `[droop]` options, and its `[undeclared]` write-ins), with the notes
//! that say so: the same for `tally`, `audit` and the web app.

use psephos::{CandidateId, Rule, TieBreak};
use psephos_io::BallotFile;

/// What a ballot file declares that the count takes up: a tie-break order
/// (BLT `[tie]`) and a rule (BLT `[droop rule=…]`).
#[derive(Debug, Default)]
pub struct Declared {
    /// The order of the `candidate-order` tie-break step.
    pub tie_order: Option<Vec<CandidateId>>,
    /// The rule to count under when none is given on the command line.
    pub rule: Option<Rule>,
    /// What is taken up and what cannot be honoured, one line each, starting
    /// `note:` or `warning:`, for the front end to show.
    pub notes: Vec<String>,
}

impl Declared {
    /// What `file` declares, with notes saying what is taken up and naming
    /// what psephos cannot honour; `rules_given` when the user chooses the
    /// rules, so the file's `[droop]` rule is not used.
    pub fn of(name: &str, file: &BallotFile, rules_given: bool) -> Declared {
        let o = &file.options;
        let mut notes = Vec::new();
        if o.tie_order.is_some() {
            notes.push(format!("note: {name}: ties that reach the candidate-order step follow the file's [tie] order"));
        }
        if !o.undeclared.is_empty() {
            let names: Vec<&str> = o.undeclared.iter().map(|&c| file.candidates.name(c)).collect();
            notes.push(format!(
                "warning: {name}: [undeclared] marks {} as undeclared write-ins; psephos counts them like any \
                 other candidate",
                names.join(", ")
            ));
        }
        let droop = psephos_io::blt::droop_counting(&o.droop);
        match &droop.rule {
            Some(r) if rules_given => notes.push(format!(
                "note: {name}: the file's [droop] options ask for {r}; the rules given here count instead"
            )),
            Some(r) => notes.push(format!(
                "note: {name}: counting under {r}, as the file's [droop {}] asks",
                droop.honoured.join(" ")
            )),
            None => {}
        }
        if droop.rule.is_none() || !rules_given {
            for (option, why) in &droop.not_honoured {
                notes.push(format!("warning: {name}: the [droop] option `{option}` is not honoured: {why}"));
            }
        }
        Declared { tie_order: o.tie_order.clone(), rule: droop.rule.filter(|_| !rules_given), notes }
    }

    /// The tie-break chain with the declared order, if any.
    pub fn tie_break(&self, chain: TieBreak) -> TieBreak {
        match &self.tie_order {
            Some(order) => chain.with_candidate_order(order.clone()),
            None => chain,
        }
    }
}
