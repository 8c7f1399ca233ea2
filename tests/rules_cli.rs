//! End-to-end tests of `newsx rules` and of `--rules DIR` validation: a
//! failing user example is reported with file:line and exit 1; a misnamed
//! file or a missing directory is exit 2 with a did-you-mean.

use std::path::Path;
mod common;
use common::text;

fn newsx(args: &[&str]) -> std::process::Output {
    common::newsx(args, None)
}

/// A user `dates.toml` with one rule: one example passes, one fails, one
/// negative example passes.
fn user_dates(dir: &Path) {
    let rules = r#"# user date rules
[[rule]]
id = "user.dawn"
type = "TIME"
pattern = '\bat dawn\b'
value = "rel D 0"
examples = [
  { text = "They left at dawn.", dct = "2021-03-20", match = "at dawn", value = "2021-03-20" },
  { text = "We met at dawn.", dct = "2021-03-20", match = "at dawn", value = "2021-03-21" },
  { text = "Dawn broke.", match = "" },
]
"#;
    std::fs::write(dir.join("dates.toml"), rules).unwrap();
}

#[test]
fn builtin_rule_examples_all_pass() {
    let out = newsx(&["rules", "test"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.starts_with("0 of "), "{stdout}");
}

#[test]
fn a_failing_user_example_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    user_dates(dir.path());
    let out = newsx(&["rules", "test", "--rules", dir.path().to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    let place = format!(
        "{}:3: rule user.dawn",
        dir.path().join("dates.toml").display()
    );
    assert!(stdout.contains(&place), "{stdout}");
    assert!(stdout.contains("We met at dawn."), "{stdout}");
    assert!(
        stdout.contains("want \"at dawn\" 2021-03-21 (dct 2021-03-20)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("got  \"at dawn\" TIME 2021-03-20 [user.dawn]"),
        "{stdout}"
    );
    assert!(!stdout.contains("They left at dawn."), "{stdout}");
    assert!(stdout.contains("\n1 of "), "{stdout}");
}

#[test]
fn misnamed_files_and_missing_dirs_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("list.toml"), "").unwrap();
    let path = dir.path().to_str().unwrap();
    for args in [
        vec!["rules", "test", "--rules", path],
        vec!["rules", "list", "--rules", path],
        vec!["extract", "--rules", path, "corpus"],
    ] {
        let out = newsx(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("list.toml: not a rule file name"),
            "{stderr}"
        );
        assert!(stderr.contains("did you mean lists.toml?"), "{stderr}");
    }
    let out = newsx(&["extract", "--rules", "/no/such/dir", "corpus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("does not exist"));
}

/// `newsx rules list --rules DIR`: asserts exit 0 and that `file` is
/// listed as the built-in one plus the user's copy in `dir`; gives stdout.
fn listed_with_user_copy(dir: &Path, file: &str) -> String {
    let out = newsx(&["rules", "list", "--rules", dir.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    let user = format!("builtin:{file} + {}", dir.join(file).display());
    assert!(stdout.contains(&user), "{stdout}");
    stdout
}

#[test]
fn rules_list_names_each_file_and_its_sources() {
    let dir = tempfile::tempdir().unwrap();
    user_dates(dir.path());
    let stdout = listed_with_user_copy(dir.path(), "dates.toml");
    assert!(stdout.contains("builtin:lists.toml\n"), "{stdout}");
}

#[test]
fn clause_rule_files_load_from_a_subfolder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("clauses")).unwrap();
    std::fs::write(
        dir.path().join("clauses/pos_context.tsv"),
        "NN\tVB\tPREVTAG\tTO\n",
    )
    .unwrap();
    let stdout = listed_with_user_copy(dir.path(), "clauses/pos_context.tsv");
    assert!(
        stdout.contains("builtin:clauses/brill_lexicon.txt\n"),
        "{stdout}"
    );
    std::fs::write(dir.path().join("clauses/pos_contxt.tsv"), "").unwrap();
    let out = newsx(&["rules", "list", "--rules", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean clauses/pos_context.tsv?"),
        "{}",
        text(&out.stderr)
    );
}
