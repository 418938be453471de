//! Cast-vote records read from bytes in memory are the records read from
//! the file holding those bytes, for every single-file format; errors name
//! the name given for the bytes.

use std::path::{Path, PathBuf};

use psephos_io::cvr::{read_ballot_file_from_bytes, read_records, read_records_from_bytes, SourceOptions};
use psephos_io::Format;

fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/rctab").join(rel)
}

fn options(contest: &str) -> SourceOptions {
    SourceOptions { contest_id: Some(contest.into()), ..SourceOptions::default() }
}

/// Reads `rel` from its file and from its bytes (named by the same path) and
/// checks that both give the same, non-empty, records.
fn same_from_bytes(rel: &str, format: Format, options: &SourceOptions) {
    let path = testdata(rel);
    let from_file = read_records(&path, format, options).unwrap_or_else(|e| panic!("{e}"));
    let bytes = std::fs::read(&path).unwrap();
    let from_bytes =
        read_records_from_bytes(&bytes, path.to_str().unwrap(), format, options).unwrap_or_else(|e| panic!("{e}"));
    assert!(!from_file.is_empty(), "{rel} holds records");
    assert_eq!(from_bytes, from_file, "{rel}");
}

#[test]
fn ess_workbook() {
    let options = SourceOptions { first_vote_row: 2, first_vote_column: 4, precinct_column: Some(2), ..options("") };
    same_from_bytes("_shared/2013_minneapolis_park_cvr.xlsx", Format::Ess, &options);
}

#[test]
fn cdf_json() {
    same_from_bytes("_shared/cdf_json/cdf_json_file1_cvr.json", Format::Cdf, &options("aliases file 1"));
    same_from_bytes(
        "test_set_4_skipped_choice_next/test_set_4_skipped_choice_next_cvr.json",
        Format::Cdf,
        &options("test set 4"),
    );
}

#[test]
fn cdf_xml_is_told_by_the_name() {
    let rel = "nist_xml_cdf_2/nist_xml_cdf_2.xml";
    let contest = options("For Governor and Lieutenant Governor");
    same_from_bytes(rel, Format::Cdf, &contest);
    // The same bytes under a JSON name are read as JSON, and fail.
    let bytes = std::fs::read(testdata(rel)).unwrap();
    let err = read_records_from_bytes(&bytes, "report.json", Format::Cdf, &contest).unwrap_err();
    assert!(err.to_string().starts_with("report.json: not a valid CDF JSON file"), "{err}");
}

#[test]
fn hart_ballot() {
    same_from_bytes(
        "_shared/hart_cvr_archive/1_0e4cb797-392c-4e64-9034-94694bf97419.xml",
        Format::Hart,
        &options("e9ca8235-893e-43df-93eb-3cc61eeb133c"),
    );
}

#[test]
fn clear_ballot_csv() {
    same_from_bytes(
        "clear_ballot_kansas_primary/clear_ballot_kansas_primary.cvr.csv",
        Format::ClearBallot,
        &options("Democratic Primary"),
    );
}

#[test]
fn generic_csv() {
    let options = SourceOptions { first_vote_column: 2, ..SourceOptions::default() };
    same_from_bytes("max_ranking_enforcement/max_ranking_enforcement_cvr.csv", Format::RctabCsv, &options);
}

#[test]
fn computed_ids_use_the_last_part_of_the_name() {
    let bytes = b"id,A,B\n1,1,2\n";
    let options = SourceOptions { first_vote_column: 2, ..SourceOptions::default() };
    let records = read_records_from_bytes(bytes, "some/folder/ballots.csv", Format::RctabCsv, &options).unwrap();
    assert_eq!(records[0].computed_id, "ballots.csv-1");
}

#[test]
fn errors_name_the_given_name() {
    let garbage = b"\x00\x01 not a CVR \xff";
    for (name, format) in [
        ("in-memory.xlsx", Format::Ess),
        ("in-memory.json", Format::Cdf),
        ("in-memory.xml", Format::Cdf),
        ("in-memory.xml", Format::Hart),
        ("in-memory.csv", Format::ClearBallot),
    ] {
        let err = read_records_from_bytes(garbage, name, format, &options("Mayor")).unwrap_err();
        assert_eq!(err.file, Path::new(name), "{format}");
        assert!(err.to_string().starts_with(name), "{err}");
        let err = read_ballot_file_from_bytes(garbage, name, format, &options("Mayor")).unwrap_err();
        assert_eq!(err.file, Path::new(name), "{format}");
    }
    let err = read_records_from_bytes(b"id,A\n1,x\n", "in-memory.csv", Format::RctabCsv, &options("")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "in-memory.csv: record row 2: column 2 must hold a rank (a whole number from 1), found \"x\""
    );
}

#[test]
fn folder_formats_are_refused() {
    let err = read_records_from_bytes(b"{}", "CvrExport.json", Format::Dominion, &options("1")).unwrap_err();
    assert!(err.to_string().contains("folder"), "{err}");
    let err = read_records_from_bytes(b"", "x.blt", Format::Blt, &options("1")).unwrap_err();
    assert!(err.to_string().contains("not a cast-vote record format"), "{err}");
}

#[test]
fn bytes_become_a_ballot_file() {
    let bytes = b"id,A,B\n1,1,2\n2,2,1\n3,1,2\n";
    let options = SourceOptions { first_vote_column: 2, ..SourceOptions::default() };
    let file = read_ballot_file_from_bytes(bytes, "b.csv", Format::RctabCsv, &options).unwrap();
    assert_eq!(file.ballots.total_weight(), 3);
    assert_eq!(file.ballots.unique_len(), 2);
}
