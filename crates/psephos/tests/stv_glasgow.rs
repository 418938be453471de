//! Golden test: Scottish STV on the fourteen Glasgow City Council wards of
//! the 2007 local elections (`testdata/blt/scotland-2007/`, real ballot data
//! published by Glasgow City Council). Each ward is checked against the
//! count sheet beside it (`*.droop-report.txt`, produced by the Droop STV
//! package under its Scottish STV rule): the quota, the elected candidates
//! in order, and every stage's totals — each candidate's votes, the
//! non-transferable votes and the loss to rounding — to 5 decimal places.

use std::path::{Path, PathBuf};

use psephos::{
    CandidateId, Candidates, CountOptions, Election, NormalisePolicy, RankedBallotsBuilder, RoundAction, Rule,
    Tabulation,
};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/blt/scotland-2007")
}

/// A minimal BLT reader for these files (weights, preferences, names).
fn read_blt(text: &str) -> Election {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let head: Vec<usize> = lines.next().unwrap().split_whitespace().map(|t| t.parse().unwrap()).collect();
    let (n, seats) = (head[0], head[1] as u32);
    let mut raw = RankedBallotsBuilder::new(n);
    for line in lines.by_ref() {
        if line == "0" {
            break;
        }
        let nums: Vec<u64> = line.split_whitespace().map(|t| t.parse().unwrap()).collect();
        for &c in &nums[1..nums.len() - 1] {
            raw.push(CandidateId((c - 1) as u16));
        }
        raw.finish(nums[0]).unwrap();
    }
    let names: Vec<String> = lines.take(n).map(|l| l.trim_matches('"').trim().to_owned()).collect();
    Election::from_raw(Candidates::from_names(names), seats, raw.build(), NormalisePolicy::default()).unwrap()
}

/// One stage's totals on the count sheet.
#[derive(Debug, Default, PartialEq)]
struct Stage {
    votes: Vec<(String, String)>,
    nontransferable: String,
    residual: String,
}

/// What the count sheet says: quota, elected in order, and the totals after
/// the first count and after every transfer.
struct Sheet {
    quota: String,
    elected: Vec<String>,
    stages: Vec<Stage>,
}

/// A name with runs of spaces closed up, as the count sheets print them.
fn tidy(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_sheet(text: &str) -> Sheet {
    let mut sheet = Sheet { quota: String::new(), elected: Vec::new(), stages: Vec::new() };
    let mut current: Option<Stage> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some(q) = t.strip_prefix("Quota: ") {
            sheet.quota = q.to_owned();
        } else if let Some(a) = t.strip_prefix("Action: ") {
            if let Some(s) = current.take() {
                sheet.stages.push(s);
            }
            if let Some((kind, name)) = a.split_once(": ") {
                if kind.starts_with("Elect") {
                    sheet.elected.push(tidy(name));
                }
            }
            if a == "Begin Count" || a.starts_with("Surplus transferred") || a.starts_with("Transfer defeated") {
                current = Some(Stage::default());
            }
        } else if let Some(s) = current.as_mut() {
            let field = |p: &str| t.strip_prefix(p).map(|v| v.trim().to_owned());
            if let Some(v) = field("Nontransferable votes:") {
                s.nontransferable = v;
            } else if let Some(v) = field("Residual:") {
                s.residual = v;
            } else {
                for p in ["Hopeful:", "Elected:", "Pending:"] {
                    if let Some(rest) = field(p) {
                        let (name, value) = rest.rsplit_once(" (").unwrap();
                        s.votes.push((tidy(name), value.trim_end_matches(')').to_owned()));
                    }
                }
            }
        }
    }
    if let Some(s) = current.take() {
        sheet.stages.push(s);
    }
    sheet
}

fn our_stages(e: &Election, t: &Tabulation) -> Vec<Stage> {
    t.rounds
        .iter()
        .map(|r| {
            let mut votes: Vec<(String, String)> =
                r.tally.iter().map(|&(c, v)| (tidy(e.candidates.name(c)), t.format_votes(v))).collect();
            votes.sort();
            Stage {
                votes,
                nontransferable: t.format_votes(r.inactive.total()),
                residual: t.format_votes(r.rounding_loss),
            }
        })
        .collect()
}

fn check_ward(stem: &str) {
    let dir = data_dir();
    let blt = std::fs::read_to_string(dir.join(format!("{stem}.blt"))).unwrap();
    let sheet = read_sheet(&std::fs::read_to_string(dir.join(format!("{stem}.droop-report.txt"))).unwrap());
    let e = read_blt(&blt);
    let rule: Rule = "scottish-stv".parse().unwrap();
    let t = rule.count(&e, &CountOptions::default()).unwrap();
    t.check_conservation().unwrap();
    assert!(t.ties.is_empty(), "{stem}: no ties expected");
    assert_eq!(t.format_votes(t.quota.unwrap()), sheet.quota, "{stem}: quota");
    let elected: Vec<String> = t.elected.iter().map(|&c| tidy(e.candidates.name(c))).collect();
    assert_eq!(elected, sheet.elected, "{stem}: elected in order");
    let ours = our_stages(&e, &t);
    assert_eq!(ours.len(), sheet.stages.len(), "{stem}: number of stages");
    for (i, (mut theirs, ours)) in sheet.stages.into_iter().zip(ours).enumerate() {
        theirs.votes.sort();
        assert_eq!(ours, theirs, "{stem}: stage {}", i + 1);
        let action = &t.rounds[i].action;
        assert_eq!(i == 0, matches!(action, Some(RoundAction::FirstPreferences)), "{stem}: stage {}", i + 1);
    }
}

macro_rules! wards {
    ($($test:ident => $stem:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_ward($stem);
            }
        )*
    };
}

wards! {
    anderston_city => "Anderston-City-2007",
    baillieston => "Baillieston-2007",
    canal => "Canal-2007",
    craigton => "Craigton-2007",
    drumchapel_anniesland => "Drumchapel-Anniesland-2007",
    east_centre => "East-Centre-2007",
    garscadden_scotstounhill => "Garscadden-Scotsounhill-2007",
    greater_pollok => "Greater-Pollock-2007",
    langside => "Langside-2007",
    maryhill_kelvin => "Maryhill-Kelvin-2007",
    newlands_auldburn => "Newlands-Auldburn-2007",
    north_east => "North-East-2007",
    partick_west => "Partick-West-2007",
    southside_central => "Southside-Central-2007",
}
