//! Every published ballot file in `testdata/blt/` reads without error, with
//! the candidates, seats and ballot totals its source reports.

use std::path::{Path, PathBuf};

use psephos_io::{read_path, write_blt, BallotFile, Format, ReadOptions};

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/blt").join(rel)
}

fn read(rel: &str) -> BallotFile {
    let file = read_path(&testdata(rel), &ReadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(file.format, Format::Blt);
    file
}

fn names(file: &BallotFile) -> Vec<&str> {
    file.candidates.iter().map(|(_, c)| c.name.as_str()).collect()
}

/// Writing a file back as BLT and reading it again gives the same file.
fn round_trips(file: &BallotFile) {
    let mut out = Vec::new();
    write_blt(&mut out, file).unwrap();
    let again = psephos_io::blt::read("again.blt", &out).unwrap();
    assert_eq!(&again, file);
}

#[test]
fn burlington_2006() {
    let f = read("us/2006-Burlington-Mayor.blt");
    assert_eq!(f.seats, Some(1));
    assert_eq!(f.title.as_deref(), Some("2006 Burlington mayoral election"));
    assert_eq!(
        names(&f),
        ["Louie The Cowman Beaudin", "Kevin J. Curley", "Bob Kiss", "Hinda Miller", "Loyal Ploof", "Write-ins"]
    );
    // One line per physical ballot.
    let src = std::fs::read_to_string(testdata("us/2006-Burlington-Mayor.blt")).unwrap();
    let ballot_lines = src.lines().skip(2).take_while(|l| l.trim() != "0").count() as u64;
    assert_eq!(f.ballots.total_weight(), ballot_lines);
    // The file holds equal rankings: some level has two candidates.
    assert!(f.ballots.iter().any(|b| b.levels().any(|l| l.len() > 1)));
    round_trips(&f);
}

#[test]
fn aspen_2009() {
    let f = read("us/2009-Aspen-Mayor.blt");
    assert_eq!(f.seats, Some(1));
    assert_eq!(names(&f)[3], "Michael C. 'Mick' Ireland");
    // Skipped ranks (`-`) are kept as empty levels.
    assert!(f.ballots.iter().any(|b| b.levels().any(|l| l.is_skipped())));
    assert!(f.ballots.total_weight() > 2000);
    round_trips(&f);
}

/// The three files of the US corpus that mark overvotes of unnamed
/// candidates with `-=-`: file, candidates, ballots (one line each), and
/// ballots holding such a rank.
const UNNAMED_OVERVOTES: [(&str, &[&str], u64, u64); 3] = [
    ("us/2010-Berkeley-Auditor.blt", &["ANN-MARIE HOGAN", "Write-In"], 45_986, 40),
    (
        "us/2010-San_Leandro-Mayor.blt",
        &[
            "STEPHEN H. CASSIDY",
            "JOYCE RUTLEDGE STAROSCIAK",
            "ANTHONY B. ''TONY'' SANTOS",
            "JOHN R. PALAU",
            "SARA M. MESTAS",
            "Write-In",
            "LOU FILIPOVICH",
        ],
        23_494,
        179,
    ),
    (
        "us/2008-Pierce_County-County_Executive.blt",
        &["Mike Lonergan", "Pat McCarthy", "Calvin Goings", "Shawn Bunney", "Write-In"],
        312_771,
        1_226,
    ),
];

#[test]
fn us_files_with_unnamed_overvotes() {
    for (rel, candidates, ballots, with_unnamed) in UNNAMED_OVERVOTES {
        let f = read(rel);
        assert_eq!(f.seats, Some(1), "{rel}");
        assert_eq!(names(&f), candidates, "{rel}");
        assert_eq!(f.ballots.total_weight(), ballots, "{rel}");
        let marked: u64 =
            f.ballots.iter().filter(|b| b.levels().any(|l| l.is_unnamed_overvote())).map(|b| b.weight).sum();
        assert_eq!(marked, with_unnamed, "{rel}");
        round_trips(&f);
    }
}

/// Ward, seats, candidates and ballots as the Droop report for the ward
/// states them (`testdata/blt/scotland-2007/*.droop-report.txt`).
const GLASGOW: [(&str, u32, usize, u64); 14] = [
    ("Anderston-City-2007", 4, 0, 6900),
    ("Baillieston-2007", 4, 0, 10376),
    ("Canal-2007", 4, 11, 8624),
    ("Craigton-2007", 4, 0, 11052),
    ("Drumchapel-Anniesland-2007", 4, 0, 8680),
    ("East-Centre-2007", 4, 0, 9078),
    ("Garscadden-Scotsounhill-2007", 4, 0, 10160),
    ("Greater-Pollock-2007", 4, 0, 8682),
    ("Langside-2007", 3, 0, 9334),
    ("Maryhill-Kelvin-2007", 4, 0, 9901),
    ("Newlands-Auldburn-2007", 3, 0, 8654),
    ("North-East-2007", 4, 0, 8363),
    ("Partick-West-2007", 4, 0, 12744),
    ("Southside-Central-2007", 4, 0, 8738),
];

#[test]
fn glasgow_2007_wards() {
    for (ward, seats, ncand, ballots) in GLASGOW {
        let f = read(&format!("scotland-2007/{ward}.blt"));
        assert_eq!(f.seats, Some(seats), "{ward}");
        assert_eq!(f.ballots.total_weight(), ballots, "{ward}");
        if ncand > 0 {
            assert_eq!(f.candidates.len(), ncand, "{ward}");
        }
        // Every name the Droop report lists as elected is a candidate (Droop
        // collapses runs of spaces inside names).
        let report = std::fs::read_to_string(testdata(&format!("scotland-2007/{ward}.droop-report.txt"))).unwrap();
        let tail = report.split("Action: Count Complete").nth(1).unwrap();
        let elected: Vec<&str> =
            tail.lines().filter_map(|l| l.trim().strip_prefix("Elected:")).map(|l| l.trim()).collect();
        assert_eq!(elected.len(), seats as usize, "{ward}");
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let listed: Vec<String> = names(&f).iter().map(|n| squash(n)).collect();
        for e in elected {
            let name = squash(e.rsplit_once(" (").unwrap().0);
            assert!(listed.contains(&name), "{ward}: {name} not among {listed:?}");
        }
        round_trips(&f);
    }
}
