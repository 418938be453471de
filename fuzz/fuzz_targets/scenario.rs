//! Any text read as a simulation scenario: the parser returns a scenario or
//! an error naming the field, never panics, and a scenario it accepts builds
//! a model and runs a few draws.
#![no_main]

use libfuzzer_sys::fuzz_target;
use psephos_sim::{Model, Noise, Scenario, SimOptions};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(scenario) = Scenario::from_toml(text, "fuzz.toml") {
        let model = Model::new(&scenario, Noise::FULL);
        let options = SimOptions { draws: 3, seed: 1, rules: scenario.rules.clone() };
        let _ = psephos_sim::run(&model, &options, None);
    }
});
