//! End-to-end tests of the `newsx` binary: one record per input, bad input
//! isolated in its own record, exit codes, determinism across thread counts.

use std::io::Write;
use std::path::{Path, PathBuf};
mod common;
use common::{assert_exit, messages, newsx, records};

#[test]
fn corpus_gives_one_schema_record_per_article() {
    let out = newsx(&["extract", "corpus"], None);
    assert_exit(&out, 0);
    let recs = records(&out);
    let articles = std::fs::read_dir("corpus")
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "txt")
        })
        .count();
    assert_eq!(recs.len(), articles);
    for r in &recs {
        assert_eq!(r["schema"], "newsx/1");
        assert!(messages(r, "errors").is_empty(), "{}", r["id"]);
        let text = r["text"].as_str().unwrap();
        for d in r["dates"].as_array().unwrap() {
            let (s, e) = (
                d["span"][0].as_u64().unwrap() as usize,
                d["span"][1].as_u64().unwrap() as usize,
            );
            assert_eq!(
                &text[s..e],
                d["text"].as_str().unwrap(),
                "date span must index the text"
            );
        }
    }
}

#[test]
fn output_is_identical_at_any_thread_count() {
    let one = newsx(&["extract", "-j", "1", "corpus"], None);
    let two = newsx(&["extract", "-j", "2", "corpus"], None);
    let four = newsx(&["extract", "-j", "4", "corpus", "corpus"], None);
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
    // The second copy of each document differs only by its duplicate-id warning.
    let mut second_copy = records(&four);
    let first_copy = second_copy
        .drain(..second_copy.len() / 2)
        .collect::<Vec<_>>();
    for record in &mut second_copy {
        let warnings = record["warnings"].as_array_mut().unwrap();
        let before = warnings.len();
        warnings.retain(|w| !w["message"].as_str().unwrap().starts_with("duplicate id"));
        assert_eq!(warnings.len() + 1, before, "one duplicate-id warning");
        if warnings.is_empty() {
            record.as_object_mut().unwrap().remove("warnings");
        }
    }
    assert_eq!(records(&one), first_copy);
    assert_eq!(first_copy, second_copy);
}

fn bad_inputs(dir: &Path) -> Vec<PathBuf> {
    let files: Vec<(&str, &[u8])> = vec![
        ("a_empty.txt", b""),
        ("b_binary.txt", b"\x00\x01\x02\x03 ELF binary"),
        ("c_latin1.txt", b"Le minist\xe8re a d\xe9clar\xe9 mardi que Xiaomi \xe9tait vis\xe9e."),
        ("d_truncated.html", b"<html><head><title>Cut</title></head><body><article><p>Xiaomi said on Tuesday that it was not a military company. The Pentagon dis"),
        ("e_good.txt", b"Xiaomi said on Tuesday it was not a military company."),
    ];
    let mut paths = Vec::new();
    for (name, bytes) in files {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        paths.push(p);
    }
    #[cfg(unix)]
    {
        let p = dir.join("f_dangling.txt");
        std::os::unix::fs::symlink(dir.join("no-such-target"), &p).unwrap();
        paths.push(p);
    }
    paths
}

#[test]
fn bad_files_each_yield_one_record_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let paths = bad_inputs(dir.path());
    // --follow: the dangling link is read (and fails) rather than skipped.
    let out = newsx(&["extract", "--follow", dir.path().to_str().unwrap()], None);
    assert_exit(&out, 1);
    let recs = records(&out);
    assert_eq!(recs.len(), paths.len(), "one record per input file");
    let by_name = |n: &str| {
        recs.iter()
            .find(|r| r["id"].as_str().unwrap().ends_with(n))
            .unwrap()
    };
    assert!(
        messages(by_name("a_empty.txt"), "errors").is_empty(),
        "empty text is not an error"
    );
    assert!(messages(by_name("b_binary.txt"), "errors")[0].contains("binary"));
    let latin = by_name("c_latin1.txt");
    assert!(messages(latin, "errors").is_empty());
    assert!(latin["text"].as_str().unwrap().contains("ministère"));
    assert!(latin["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("windows-1252"));
    let html = by_name("d_truncated.html");
    assert_eq!(html["source"]["format"], "html");
    assert!(html["text"]
        .as_str()
        .unwrap()
        .contains("Xiaomi said on Tuesday"));
    assert!(messages(by_name("e_good.txt"), "errors").is_empty());
    #[cfg(unix)]
    assert!(messages(by_name("f_dangling.txt"), "errors")[0].contains("cannot read"));
}

#[test]
fn malformed_jsonl_line_does_not_affect_its_neighbours() {
    let input = concat!(
        "{\"id\":\"one\",\"text\":\"Xiaomi said on Tuesday it was not a military company.\",\"published\":\"2025-12-23\"}\n",
        "{\"id\":\"two\",\"text\": unterminated\n",
        "\n",
        "{\"id\":\"three\",\"html\":\"<html><body><article><p>The Pentagon added Xiaomi to its list on Monday.</p></article></body></html>\"}\n",
        "{\"id\":\"four\"}\n",
    );
    let out = newsx(&["extract", "-"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["one", "-:2", "three", "four"]);
    assert!(messages(&recs[0], "errors").is_empty());
    assert_eq!(recs[0]["published"]["value"], "2025-12-23");
    assert_eq!(recs[0]["published"]["origin"], "input");
    assert!(messages(&recs[1], "errors")[0].contains("malformed JSON"));
    assert!(messages(&recs[2], "errors").is_empty());
    assert!(!messages(&recs[3], "errors").is_empty());
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        newsx(&["extract", "--no-such-flag"], None).status.code(),
        Some(2)
    );
    assert_eq!(
        newsx(&["extract", "--dct", "yesterday", "corpus"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(newsx(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(
        newsx(&["eval", "nonsense", "corpus"], None).status.code(),
        Some(2)
    );
}

#[test]
fn dct_flag_is_the_fallback_publication_date() {
    let input = "{\"id\":\"x\",\"text\":\"Nothing dated here.\"}\n";
    let out = newsx(
        &["extract", "--dct", "2021-01-14", "-"],
        Some(input.as_bytes()),
    );
    let recs = records(&out);
    assert_eq!(recs[0]["published"]["value"], "2021-01-14");
    assert_eq!(recs[0]["published"]["origin"], "flag");
}

#[test]
fn events_csv_has_header_and_one_row_per_event() {
    let jsonl = newsx(&["events", "corpus"], None);
    let csv = newsx(&["events", "--csv", "corpus"], None);
    assert_eq!(csv.status.code(), Some(0));
    let csv_text = String::from_utf8(csv.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(reader.headers().unwrap().get(2), Some("type"));
    let rows = reader.records().count();
    assert_eq!(
        rows,
        String::from_utf8(jsonl.stdout).unwrap().lines().count()
    );
}

#[test]
fn corpus_matches_golden_fixtures() {
    let out = newsx(&["check", "corpus", "--fixtures", "fixtures"], None);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "fixtures differ (review, then `newsx check corpus --fixtures fixtures --bless`):\n{report}");
}

#[test]
fn gzipped_text_and_jsonl_are_read() {
    use flate2::{write::GzEncoder, Compression};
    let dir = tempfile::tempdir().unwrap();
    let gz = |name: &str, body: &[u8]| {
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(body).unwrap();
        std::fs::write(dir.path().join(name), enc.finish().unwrap()).unwrap();
    };
    gz(
        "a.txt.gz",
        "The Pentagon added Xiaomi to its Section 1260H list on Monday.".as_bytes(),
    );
    gz(
        "b.jsonl.gz",
        b"{\"id\":\"j1\",\"text\":\"Xiaomi said on Tuesday it was not a military company.\"}\n{\"id\":\"j2\",\"html\":\"<p>Hello.</p>\"}\n",
    );
    let out = newsx(&["extract", dir.path().to_str().unwrap()], None);
    assert_exit(&out, 0);
    let recs = records(&out);
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    assert!(ids[0].ends_with("a.txt.gz"));
    assert_eq!(&ids[1..], ["j1", "j2"]);
    assert_eq!(recs[0]["lists"][0]["id"], "us-dod-1260h");
}

/// `-o /dev/null` (or any device or pipe) is written in place: the atomic
/// replace of a regular output file must never rename a file over it.
#[cfg(unix)]
#[test]
fn output_to_a_device_leaves_the_device_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let null = Path::new("/dev/null");
    let is_device = || std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device());
    if !is_device() {
        eprintln!("/dev/null is no character device here: nothing to check");
        return;
    }
    let out = newsx(&["extract", "corpus", "-o", "/dev/null"], None);
    assert_exit(&out, 0);
    assert!(is_device(), "/dev/null was replaced by the output file");
}
