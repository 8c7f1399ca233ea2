//! Context cues of `entities_context.tsv`: words around a capitalised name
//! that say what it names when nothing else does.
//!
//! Takes the [`RuleFiles`]; gives [`ContextCues`]: cue words by position
//! (before the name, after it, before or after a town name that is then a
//! club, and club suffixes after a place name). Validates every row (`origin:line`).
//! Does not look at text itself (see `candidates`).

use super::lexicon::WordMap;
use crate::error::RuleError;
use crate::record::EntityType;
use crate::rules::{catalog, RuleFiles};

/// The longest cue accepted: two-word cues are looked up in a buffer of
/// this size (see `candidates::pair_cue`).
pub(crate) const MAX_CUE_BYTES: usize = 64;

/// Cue words by position, each with the type it gives.
#[derive(Debug, Default)]
pub(crate) struct ContextCues {
    /// One or two lower-case words right before a name ("comedy", "shares in").
    pub before: WordMap<EntityType>,
    /// A lower-case word right after a name ("game", "manager").
    pub after: WordMap<EntityType>,
    /// A word after a one-word town name that makes it a club ("striker").
    pub club_after: WordMap<EntityType>,
    /// One or two words before a one-word town name that make it a club
    /// ("beat", "drew with").
    pub club_before: WordMap<EntityType>,
    /// Like `club_before`, but for a gazetteer town only ("defeat at
    /// Shrewsbury"): after these an unknown name is as often a ground
    /// ("at Twickenham").
    pub club_before_town: WordMap<EntityType>,
    /// The last word of a club named after a place ("United").
    pub club_suffix: WordMap<EntityType>,
    /// A word after a one-word town name's possessive that makes it a club
    /// ("Portsmouth's new boss").
    pub club_owned: WordMap<EntityType>,
    /// A word before a one-word town name that makes it a club ("Real").
    pub club_prefix: WordMap<EntityType>,
    /// A word after a one-word town name that makes it a product ("crude").
    pub product_after: WordMap<EntityType>,
}

impl ContextCues {
    pub fn load(rules: &RuleFiles) -> Result<Self, RuleError> {
        let mut cues = ContextCues::default();
        for src in rules.load(&catalog::ENTITIES_CONTEXT)? {
            for (line, cols) in src.tsv_rows() {
                let [cue, kind, place] = cols[..] else {
                    return Err(src.error(line, "expected: cue<TAB>TYPE<TAB>where"));
                };
                let kind = EntityType::from_name(kind)
                    .ok_or_else(|| src.error(line, format!("unknown entity type {kind:?}")))?;
                let map = match place {
                    "before" => &mut cues.before,
                    "after" => &mut cues.after,
                    "club_after" => &mut cues.club_after,
                    "club_before" => &mut cues.club_before,
                    "club_before_town" => &mut cues.club_before_town,
                    "club_suffix" => &mut cues.club_suffix,
                    "club_owned" => &mut cues.club_owned,
                    "club_prefix" => &mut cues.club_prefix,
                    "product_after" => &mut cues.product_after,
                    _ => return Err(src.error(line, format!("unknown position {place:?}"))),
                };
                if cue.is_empty() || cue.split(' ').count() > 2 {
                    return Err(src.error(line, "a cue is one or two words"));
                }
                if cue.len() > MAX_CUE_BYTES {
                    return Err(src.error(line, format!("a cue has at most {MAX_CUE_BYTES} bytes")));
                }
                map.insert(cue.to_string(), kind);
            }
        }
        Ok(cues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_cues_load_and_bad_rows_are_named() {
        let cues = ContextCues::load(&RuleFiles::builtin()).unwrap();
        assert_eq!(cues.before.get("shares in"), Some(&EntityType::Org));
        assert_eq!(cues.club_suffix.get("United"), Some(&EntityType::Org));
        assert_eq!(cues.club_before.get("drew with"), Some(&EntityType::Org));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("entities_context.tsv"),
            "film\tMISC\tabove\n",
        )
        .unwrap();
        let err = ContextCues::load(&RuleFiles::with_dir(dir.path()))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("entities_context.tsv:1:1: unknown position \"above\""),
            "{err}"
        );
    }

    #[test]
    fn overlong_cues_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let long = format!("{} in\tORG\tbefore\n", "x".repeat(MAX_CUE_BYTES));
        std::fs::write(dir.path().join("entities_context.tsv"), long).unwrap();
        let err = ContextCues::load(&RuleFiles::with_dir(dir.path()))
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains(":1:1: a cue has at most 64 bytes"), "{err}");
    }
}
