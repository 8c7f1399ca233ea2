//! The one merge policy of rule files: a later file's entries extend the
//! earlier ones; an entry whose id is already defined by an earlier file
//! replaces it in place. The same id twice in one file is an error.

use super::RuleSource;
use crate::error::RuleError;
use std::collections::HashMap;

/// Entries with ids, merged across the sources of one rule file.
pub struct Merged<T> {
    entries: Vec<T>,
    /// id → (index in `entries`, index of the source that defined it).
    index: HashMap<String, (usize, usize)>,
}

impl<T> Default for Merged<T> {
    fn default() -> Self {
        Merged {
            entries: Vec::new(),
            index: HashMap::new(),
        }
    }
}

impl<T> Merged<T> {
    /// Adds `entry` from source number `source_no`: new ids extend, ids of
    /// an earlier source are overridden.
    pub fn add(
        &mut self,
        source: &RuleSource,
        source_no: usize,
        id: &str,
        entry: T,
    ) -> Result<(), RuleError> {
        match self.index.get(id) {
            Some(&(_, defined_in)) if defined_in == source_no => {
                Err(source.error_at_id(id, format!("duplicate id {id:?}")))
            }
            Some(&(i, _)) => {
                self.entries[i] = entry;
                self.index.insert(id.to_string(), (i, source_no));
                Ok(())
            }
            None => {
                self.index
                    .insert(id.to_string(), (self.entries.len(), source_no));
                self.entries.push(entry);
                Ok(())
            }
        }
    }

    pub fn into_vec(self) -> Vec<T> {
        self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(user: bool) -> RuleSource {
        RuleSource {
            origin: "x.toml".into(),
            text: "id = \"a\"\n".into(),
            user,
        }
    }

    #[test]
    fn later_sources_extend_and_override_in_place() {
        let mut m = Merged::default();
        m.add(&source(false), 0, "a", 1).unwrap();
        m.add(&source(false), 0, "b", 2).unwrap();
        m.add(&source(true), 1, "a", 10).unwrap();
        m.add(&source(true), 1, "c", 3).unwrap();
        assert_eq!(m.into_vec(), vec![10, 2, 3]);
    }

    #[test]
    fn the_same_id_twice_in_one_file_is_an_error() {
        let mut m = Merged::default();
        m.add(&source(false), 0, "a", 1).unwrap();
        let err = m.add(&source(false), 0, "a", 2).unwrap_err();
        assert!(err.to_string().contains("x.toml:1:6"), "{err}");
    }
}
