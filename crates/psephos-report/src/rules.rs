//! The rule catalogue as `psephos rules --json` prints it.

/// `[{"id", "aliases", "description"}]`, one object per rule of
/// [`psephos::CATALOGUE`].
pub fn catalogue_json() -> serde_json::Value {
    psephos::CATALOGUE
        .iter()
        .map(|r| serde_json::json!({"id": r.id, "aliases": r.aliases, "description": r.description}))
        .collect()
}
