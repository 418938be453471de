//! Rebuilding an official count from its published figures.
//!
//! A replay file lists each candidate's first choices and, for the two
//! finalists of a Supplementary Vote count, the second choices transferred
//! to them and their final totals. The replay builds ballots that reproduce
//! those figures exactly (first choices as published; each finalist's
//! transfer carried by the eliminated candidates' ballots in proportion to
//! their first choices, rounded by largest remainder; the rest of those
//! ballots give no usable second choice), counts them with the year's rule,
//! and [`Replay::check`] compares the count with the official totals.
//!
//! ```
//! use psephos::CountOptions;
//! use psephos_sim::{presets, Replay};
//! let r = Replay::from_toml(presets::find("london-2021").unwrap().text, "london-2021").unwrap();
//! let e = r.election().unwrap();
//! let t = r.rule.count(&e, &CountOptions::default()).unwrap();
//! r.check(&e, &t).unwrap();
//! assert_eq!(e.candidates.name(t.winner().unwrap()), "Sadiq Khan");
//! ```

use psephos::{Candidate, CandidateId, Candidates, Election, ElectionError, RankedBallotsBuilder, Rule, Tabulation};
use serde::Deserialize;

use crate::model::largest_remainder;
use crate::scenario::{parse_error, ScenarioError};

/// One candidate's published figures.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayCandidate {
    /// Name.
    pub name: String,
    /// Party.
    pub party: Option<String>,
    /// First choices (or votes, under first past the post).
    pub first: u64,
    /// Second choices transferred to this finalist.
    pub transfer: Option<u64>,
    /// This finalist's final total.
    #[serde(rename = "final")]
    pub final_total: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReplay {
    title: String,
    year: u32,
    rule: String,
    winner: String,
    sources: Vec<String>,
    notes: Option<String>,
    candidates: Vec<ReplayCandidate>,
}

/// A published official count.
#[derive(Clone, Debug, PartialEq)]
pub struct Replay {
    /// A line about it.
    pub title: String,
    /// The year.
    pub year: u32,
    /// The rule it was held under.
    pub rule: Rule,
    /// The declared winner.
    pub winner: String,
    /// Sources.
    pub sources: Vec<String>,
    /// Caveats.
    pub notes: Option<String>,
    /// The candidates as published.
    pub candidates: Vec<ReplayCandidate>,
}

/// A replayed count that differs from the official one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{candidate}, {stage}: counted {counted}, official {official}")]
pub struct Mismatch {
    /// Whose total differs.
    pub candidate: String,
    /// `first round` or `final round`, or `winner`.
    pub stage: &'static str,
    /// What the replay counted.
    pub counted: u64,
    /// What was declared.
    pub official: u64,
}

impl Replay {
    /// Parses a replay file.
    pub fn from_toml(text: &str, origin: &str) -> Result<Replay, ScenarioError> {
        let raw: RawReplay = toml::from_str(text).map_err(|e| parse_error(text, origin, &e))?;
        let invalid = |field: &str, message: String| ScenarioError::Invalid {
            origin: origin.to_owned(),
            field: field.to_owned(),
            message,
        };
        let rule = raw.rule.parse::<Rule>().map_err(|e| invalid("rule", e.to_string()))?;
        if !raw.candidates.iter().any(|c| c.name == raw.winner) {
            return Err(invalid("winner", format!("`{}` is not a candidate", raw.winner)));
        }
        for (i, c) in raw.candidates.iter().enumerate() {
            if let (Some(t), Some(f)) = (c.transfer, c.final_total) {
                if c.first + t != f {
                    return Err(invalid(&format!("candidates[{i}].final"), format!("{} + {t} is not {f}", c.first)));
                }
            }
        }
        let transfers: u64 = raw.candidates.iter().filter_map(|c| c.transfer).sum();
        let eliminated: u64 = raw.candidates.iter().filter(|c| c.transfer.is_none()).map(|c| c.first).sum();
        if transfers > eliminated {
            return Err(invalid(
                "candidates",
                format!("transfers ({transfers}) exceed eliminated ballots ({eliminated})"),
            ));
        }
        Ok(Replay {
            title: raw.title,
            year: raw.year,
            rule,
            winner: raw.winner,
            sources: raw.sources,
            notes: raw.notes,
            candidates: raw.candidates,
        })
    }

    /// Ballots that reproduce the published figures.
    pub fn election(&self) -> Result<Election, ElectionError> {
        let mut candidates = Candidates::new();
        for c in &self.candidates {
            candidates.push(Candidate { name: c.name.clone(), party: c.party.clone(), withdrawn: false });
        }
        let n = self.candidates.len();
        let finalists: Vec<usize> = (0..n).filter(|&i| self.candidates[i].transfer.is_some()).collect();
        let out: Vec<usize> = (0..n).filter(|&i| self.candidates[i].transfer.is_none()).collect();
        // left[k]: ballots of eliminated candidate out[k] not yet given a second choice.
        let mut left: Vec<u64> = out.iter().map(|&i| self.candidates[i].first).collect();
        let mut seconds: Vec<Vec<u64>> = Vec::new();
        let (mut weights, mut order) = (Vec::new(), Vec::new());
        for &f in &finalists {
            let probs: Vec<f64> = left.iter().map(|&x| x as f64).collect();
            largest_remainder(&probs, self.candidates[f].transfer.unwrap_or(0), &mut weights, &mut order);
            weights.resize(out.len(), 0);
            for (l, &w) in left.iter_mut().zip(&weights) {
                *l -= w.min(*l);
            }
            seconds.push(weights.clone());
        }
        let mut raw = RankedBallotsBuilder::new(n);
        for (i, c) in self.candidates.iter().enumerate() {
            if let Some(k) = out.iter().position(|&o| o == i) {
                for (fi, &f) in finalists.iter().enumerate() {
                    raw.push(CandidateId::from_index(i));
                    raw.push(CandidateId::from_index(f));
                    raw.finish(seconds[fi][k])?;
                }
                raw.push(CandidateId::from_index(i));
                raw.finish(left[k])?;
            } else {
                raw.push(CandidateId::from_index(i));
                raw.finish(c.first)?;
            }
        }
        Election::from_ranked(candidates, 1, raw.build())
    }

    /// Checks a count of [`election`](Self::election) against the official
    /// first-round figures, final totals and winner.
    pub fn check(&self, election: &Election, t: &Tabulation) -> Result<(), Mismatch> {
        let first = t.rounds.first();
        let last = t.rounds.last();
        for (i, c) in self.candidates.iter().enumerate() {
            let id = CandidateId::from_index(i);
            let got = first.and_then(|r| r.votes(id)).unwrap_or(0);
            if got != c.first {
                return Err(Mismatch {
                    candidate: c.name.clone(),
                    stage: "first round",
                    counted: got,
                    official: c.first,
                });
            }
            if let Some(f) = c.final_total {
                let got = last.and_then(|r| r.votes(id)).unwrap_or(0);
                if got != f {
                    return Err(Mismatch {
                        candidate: c.name.clone(),
                        stage: "final round",
                        counted: got,
                        official: f,
                    });
                }
            }
        }
        let winner = t.winner().map(|w| election.candidates.name(w).to_owned()).unwrap_or_default();
        if winner != self.winner {
            return Err(Mismatch { candidate: winner, stage: "winner", counted: 0, official: 0 });
        }
        Ok(())
    }
}
