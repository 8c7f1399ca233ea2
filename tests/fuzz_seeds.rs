//! The fuzz targets of `fuzz/` (in `newsx::fuzz`) over their seed corpus
//! and a bounded number of deterministic mutations of it: the fuzzing a
//! machine without a nightly toolchain still gets. Every failing input is
//! reported, not only the first.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Mutations per seed: enough to cover the edit kinds, few enough to keep
/// the test short.
const MUTATIONS: usize = 40;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// One random edit: flip a byte, delete, duplicate or insert a run, or
/// splice in a byte sequence that often breaks parsers.
fn mutate(rng: &mut Rng, data: &[u8]) -> Vec<u8> {
    const SPLICES: &[&[u8]] = &[
        b"\xff\xfe",
        b"\x00",
        b"\xe2\x80",
        b"<div>",
        b"</p>",
        b"\\ud800",
        b"...",
        b"\"",
        b"\n\n",
        b"Mr.",
        b"U.S. ",
        b"<!--",
        b"&#xD800;",
    ];
    let mut out = data.to_vec();
    let at = rng.below(out.len() + 1);
    match rng.below(4) {
        0 if !out.is_empty() => {
            let i = at.min(out.len() - 1);
            out[i] ^= 1 << rng.below(8);
        }
        1 => {
            let end = (at + rng.below(16)).min(out.len());
            out.drain(at..end);
        }
        2 => {
            let end = (at + rng.below(64)).min(out.len());
            let run = out[at..end].repeat(1 + rng.below(8));
            out.splice(at..at, run);
        }
        _ => {
            let splice = SPLICES[rng.below(SPLICES.len())];
            out.splice(at..at, splice.iter().copied());
        }
    }
    out
}

/// A fuzz target: panics on a broken invariant.
type Target = fn(&[u8]);

#[test]
fn fuzz_targets_hold_on_seeds_and_their_mutations() {
    let targets: [(&str, Target); 4] = [
        ("ingest", newsx::fuzz::ingest),
        ("clean_html", newsx::fuzz::clean_html),
        ("segment", newsx::fuzz::segment),
        ("pipeline", newsx::fuzz::pipeline_text_and_html),
    ];
    let seeds_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds");
    let mut failures = Vec::new();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for (name, target) in targets {
        let mut seeds: Vec<_> = std::fs::read_dir(seeds_root.join(name))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        seeds.sort();
        assert!(!seeds.is_empty(), "no seeds for {name}");
        for seed in seeds {
            let data = std::fs::read(&seed).unwrap();
            let mut input = data.clone();
            for round in 0..=MUTATIONS {
                if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
                    failures.push(format!(
                        "{name} {} round {round}: {input:?}",
                        seed.display()
                    ));
                }
                input = mutate(&mut rng, if round % 4 == 3 { &data } else { &input });
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
