//! Scenarios and replays built into the binary, each citing its sources.
//!
//! ```
//! let p = psephos_sim::presets::find("london-2024-corbyn-rw").unwrap();
//! assert!(p.text.contains("Redfield"));
//! assert!(psephos_sim::presets::find("no-such-preset").is_none());
//! ```

/// What a preset holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresetKind {
    /// A poll scenario for `simulate`, `sweep` (with an entrant) and `backtest` (with a result).
    Scenario,
    /// An official result for `replay`.
    Replay,
}

/// A preset: an id, a line about it and its TOML text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// The id users type.
    pub id: &'static str,
    /// What it holds.
    pub kind: PresetKind,
    /// One line.
    pub description: &'static str,
    /// The TOML text.
    pub text: &'static str,
}

/// The preset `psephos simulate` runs when given none.
pub const DEFAULT: &str = "london-2024-corbyn-rw";

macro_rules! preset {
    ($id:literal, $kind:ident, $desc:literal) => {
        Preset {
            id: $id,
            kind: PresetKind::$kind,
            description: $desc,
            text: include_str!(concat!("../presets/", $id, ".toml")),
        }
    };
}

/// Every preset, scenarios first.
pub const PRESETS: &[Preset] = &[
    preset!(
        "london-2024-corbyn-rw",
        Scenario,
        "Redfield & Wilton, Sep 2023: Hall 30, Khan 25, Corbyn 15; base = the same poll without Corbyn"
    ),
    preset!(
        "london-2024-corbyn-fon",
        Scenario,
        "Find Out Now, Nov 2023: Khan 39, Hall 24, Corbyn 14; base = Corbyn voters reallocated"
    ),
    preset!("london-2024-final-polls", Scenario, "Final-week polls of 2024 (YouGov, Savanta), with the result"),
    preset!("london-2021-final-polls", Scenario, "Final-week polls of 2021 (Opinium, YouGov), with the result"),
    preset!(
        "london-2016-final-polls",
        Scenario,
        "Final-week polls of 2016 (YouGov, Opinium, ComRes, TNS), with the result"
    ),
    preset!(
        "london-2012-final-polls",
        Scenario,
        "Final-week polls of 2012 (YouGov, Opinium, Populus, ComRes, Survation), with the result"
    ),
    preset!(
        "london-2008-final-polls",
        Scenario,
        "Final-week polls of 2008 (YouGov, Ipsos MORI, MRUK), with the result"
    ),
    preset!("london-2004-final-polls", Scenario, "Final-week poll of 2004 (YouGov), with the result"),
    preset!("london-2000", Replay, "Official count, 2000 (Supplementary Vote)"),
    preset!("london-2004", Replay, "Official count, 2004 (Supplementary Vote; top four candidates only)"),
    preset!("london-2008", Replay, "Official count, 2008 (Supplementary Vote)"),
    preset!("london-2012", Replay, "Official count, 2012 (Supplementary Vote)"),
    preset!("london-2016", Replay, "Official count, 2016 (Supplementary Vote)"),
    preset!("london-2021", Replay, "Official count, 2021 (Supplementary Vote)"),
    preset!("london-2024", Replay, "Official count, 2024 (first past the post)"),
];

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
