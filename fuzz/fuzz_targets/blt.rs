//! Any bytes read as BLT: the reader returns a value or an error, never
//! panics; what it reads, written back and read again, is unchanged (the
//! option lines `[nick]`, `[tie]`, `[withdrawn]`, `[undeclared]`, `[droop]`,
//! `-=-` overvotes and the text after the title included). A file that reads
//! is also counted under both STV rules with its equal rankings shared out
//! (`--equal-ranks split`), and its `[droop]` options are interpreted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos::{EqualRanksPolicy, Election, NormalisePolicy, Rule};
use psephos_io::{blt, read_bytes, write_blt, Format, ReadOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(file) = read_bytes("fuzz.blt", data, &ReadOptions::with_format(Format::Blt)) {
        let mut out = Vec::new();
        write_blt(&mut out, &file).expect("a file that was read can be written");
        let again = blt::read("again.blt", &out).expect("a written file reads back");
        assert_eq!(again, file);
        let _ = blt::droop_counting(&file.options.droop);
        let policy = NormalisePolicy { equal_ranks: EqualRanksPolicy::Split, ..NormalisePolicy::default() };
        let seats = file.seats.unwrap_or(1);
        if let Ok(e) = Election::from_raw(file.candidates, seats, file.ballots, policy) {
            let mut options = psephos::CountOptions::default();
            if let Some(order) = file.options.tie_order {
                options.tie_break = options.tie_break.with_candidate_order(order);
            }
            for rule in ["stv", "meek"] {
                let rule: Rule = rule.parse().expect("a rule");
                if let Ok(t) = rule.count(&e, &options) {
                    assert!(t.check_conservation().is_ok(), "{rule}: votes not conserved");
                }
            }
        }
    }
});
