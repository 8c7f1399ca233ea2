//! End-to-end tests of what newsx gives other tools: the record schema,
//! the analyst tables, JSONL field mapping and WARC input.

use std::io::Write;
use std::path::Path;
mod common;
use common::{assert_exit, newsx, records};

/// A news-please style article, as other crawlers write them.
const NEWS_PLEASE: &str = r#"{"url": "https://example.com/a", "title": "Listed", "date_publish": "2021-01-14 09:30:00", "maintext": "The Pentagon added Xiaomi to its Section 1260H list on Monday. \"We disagree,\" said Xiaomi spokesman Wang Hua.", "language": "en", "authors": ["A. Writer"]}
{"url": "https://example.com/b", "date_publish": "sometime last week", "maintext": "Nothing happened."}
"#;

const MAPPING: [&str; 6] = [
    "--text-key",
    "maintext",
    "--date-key",
    "date_publish",
    "--id-key",
    "url",
];

/// A WARC file of four records: warcinfo, request, an HTML response, and a
/// PNG response; the HTML page carries no date of its own.
fn write_warc(path: &Path, gzip: bool) {
    let page = "<html><head><title>Entity List</title></head><body><article><p>The US Commerce Department added Huawei to its Entity List on Thursday, officials said.</p><p>\"We oppose this,\" Huawei said in a statement.</p></article></body></html>";
    let record = |kind: &str, uri: &str, block: String| {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}-{n}>\r\nWARC-Date: 2019-05-16T20:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {len}\r\n\r\n{block}\r\n\r\n",
            n = uri.len(),
            len = block.len()
        )
    };
    let records = [
        record("warcinfo", "", "software: test\r\n".to_string()),
        record(
            "request",
            "https://news.example/huawei",
            "GET /huawei HTTP/1.1\r\n\r\n".to_string(),
        ),
        record(
            "response",
            "https://news.example/huawei",
            format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n{page}"),
        ),
        record(
            "response",
            "https://news.example/logo.png",
            "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG".to_string(),
        ),
    ];
    let mut file = std::fs::File::create(path).unwrap();
    for r in records {
        if gzip {
            // One gzip member per record, as Common Crawl writes them.
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(r.as_bytes()).unwrap();
            file.write_all(&enc.finish().unwrap()).unwrap();
        } else {
            file.write_all(r.as_bytes()).unwrap();
        }
    }
}

#[test]
fn every_record_validates_against_the_printed_schema() {
    let schema: serde_json::Value =
        serde_json::from_slice(&newsx(&["schema"], None).stdout).expect("schema is JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let validator = jsonschema::draft202012::new(&schema).expect("a valid draft 2020-12 schema");
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("news.warc.gz");
    write_warc(&warc, true);
    let mut all = records(&newsx(&["extract", "corpus"], None));
    all.extend(records(&newsx(&["extract", warc.to_str().unwrap()], None)));
    let mut mapped = vec!["extract", "-"];
    mapped.extend(MAPPING);
    all.extend(records(&newsx(&mapped, Some(NEWS_PLEASE.as_bytes()))));
    all.extend(records(&newsx(&["extract", "-"], Some(b"not json\n"))));
    assert!(all.len() >= 12, "{}", all.len());
    let mut failures = Vec::new();
    for record in &all {
        for error in validator.iter_errors(record) {
            failures.push(format!(
                "{}: {error} at {}",
                record["id"],
                error.instance_path()
            ));
        }
        assert_eq!(record["producer"]["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(record["producer"]["rules"].as_str().unwrap().len(), 12);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The schema is strict enough to catch a malformed record.
    let mut broken = all[0].clone();
    broken["entities"][0]["mentions"][0]["span"] = serde_json::json!("0-5");
    assert!(!validator.is_valid(&broken));
    let mut broken = all[0].clone();
    broken["published"]["origin"] = serde_json::json!("guess");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn rules_hash_changes_with_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("entities_aliases.tsv"),
        "Acme Widgets\tORG\tAcme\n",
    )
    .unwrap();
    let input = br#"{"id": "a", "text": "Hello."}"#;
    let builtin = records(&newsx(&["extract"], Some(input)));
    let extended = records(&newsx(
        &["extract", "--rules", dir.path().to_str().unwrap()],
        Some(input),
    ));
    assert_ne!(
        builtin[0]["producer"]["rules"],
        extended[0]["producer"]["rules"]
    );
    let again = records(&newsx(&["extract"], Some(input)));
    assert_eq!(builtin[0]["producer"], again[0]["producer"]);
}

#[test]
fn tables_are_rfc4180_csv_with_names_text_dates_and_urls() {
    let mut args = vec!["quotes", "--csv", "--bom", "-"];
    args.extend(MAPPING);
    let out = newsx(&args, Some(NEWS_PLEASE.as_bytes()));
    assert_exit(&out, 0);
    let bytes = out.stdout;
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.starts_with("\"doc\",\"quote\",\"kind\""), "{text}");
    let line_ends = text.matches('\n').count();
    assert_eq!(
        text.matches("\r\n").count(),
        line_ends,
        "every line ends in CRLF"
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // "added Xiaomi to its list" is not reported speech: one quote only.
    assert_eq!(rows.len(), 1, "{text}");
    let get = |name: &str| {
        rows[0]
            .get(header.iter().position(|h| h == name).unwrap())
            .unwrap()
    };
    assert_eq!(get("doc"), "https://example.com/a");
    assert_eq!(get("text"), "We disagree");
    assert_eq!(get("speaker_name"), "Wang Hua");
    assert_eq!(get("speaker_type"), "PERSON");
    assert_eq!(get("published"), "2021-01-14");
    assert_eq!(get("url"), "https://example.com/a");

    let out = newsx(
        &["events", "--csv", "corpus/101_huawei_entity_list_2019.txt"],
        None,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().expect("one event").unwrap();
    let get = |name: &str| {
        row.get(header.iter().position(|h| h == name).unwrap())
            .unwrap()
    };
    assert_eq!(get("type"), "list.add");
    assert!(get("target_names").contains("Huawei"), "{text}");
    assert_eq!(get("list"), "us-bis-el");
    assert!(get("list_name").contains("Entity List"), "{text}");
    assert!(get("evidence").contains("Huawei"), "{text}");
    assert_eq!(get("published"), "2019-05-16");
}

#[test]
fn offsets_in_chars_and_utf16_index_the_text_as_python_and_javascript_do() {
    // "Zoë" and the emoji make bytes, chars and UTF-16 units differ.
    let input = "{\"id\":\"u\",\"text\":\"😀 Zoë said: \\\"Beijing will respond,\\\" a spokesman for Huawei Technologies said on Monday.\"}\n";
    let table = |unit: &str| {
        let out = newsx(&["entities", "--offsets", unit], Some(input.as_bytes()));
        records(&out)
            .into_iter()
            .find(|row| row["name"].as_str().unwrap().contains("Huawei"))
            .expect("the Huawei entity")
    };
    let text: String = records(&newsx(&["extract"], Some(input.as_bytes())))[0]["text"]
        .as_str()
        .unwrap()
        .to_string();
    let bytes = table("bytes");
    let byte_start = bytes["first_start"].as_u64().unwrap() as usize;
    assert!(text[byte_start..].starts_with("Huawei"));
    let chars = table("chars");
    assert_eq!(
        chars["first_start"].as_u64().unwrap() as usize,
        text[..byte_start].chars().count()
    );
    let utf16 = table("utf16");
    assert_eq!(
        utf16["first_start"].as_u64().unwrap() as usize,
        text[..byte_start].encode_utf16().count()
    );
    assert_ne!(chars["first_start"], utf16["first_start"]);
}

#[test]
fn mapped_keys_are_read_and_other_fields_pass_through_under_meta() {
    let mut args = vec!["extract", "-"];
    args.extend(MAPPING);
    let out = newsx(&args, Some(NEWS_PLEASE.as_bytes()));
    assert_exit(&out, 0);
    let recs = records(&out);
    assert_eq!(recs[0]["id"], "https://example.com/a");
    assert_eq!(recs[0]["title"], "Listed");
    assert_eq!(recs[0]["published"]["value"], "2021-01-14");
    assert_eq!(recs[0]["published"]["origin"], "input");
    assert!(recs[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("The Pentagon"));
    assert_eq!(recs[0]["meta"]["language"], "en");
    assert_eq!(recs[0]["meta"]["authors"][0], "A. Writer");
    assert!(recs[0]["meta"].get("maintext").is_none());
    let warnings = recs[1]["warnings"].to_string();
    assert!(
        warnings.contains("sometime last week") && warnings.contains("not understood"),
        "{warnings}"
    );
    // Unmapped, the same input is an error per line, not a silent misreading.
    let out = newsx(&["extract", "-"], Some(NEWS_PLEASE.as_bytes()));
    assert_eq!(out.status.code(), Some(1));
    assert!(records(&out)[0]["errors"].to_string().contains("neither"));
}

#[test]
fn warc_html_responses_become_articles_dated_by_the_capture() {
    let dir = tempfile::tempdir().unwrap();
    for (name, gzip) in [("plain.warc", false), ("news.warc.gz", true)] {
        let path = dir.path().join(name);
        write_warc(&path, gzip);
        let out = newsx(&["extract", path.to_str().unwrap()], None);
        assert_exit(&out, 0);
        let recs = records(&out);
        assert_eq!(recs.len(), 1, "{name}");
        let r = &recs[0];
        assert_eq!(r["source"]["format"], "warc");
        assert_eq!(r["source"]["url"], "https://news.example/huawei");
        assert_eq!(r["published"]["value"], "2019-05-16");
        assert_eq!(r["published"]["origin"], "crawl");
        assert!(r["text"]
            .as_str()
            .unwrap()
            .contains("added Huawei to its Entity List"));
        assert_eq!(r["events"][0]["type"], "list.add");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("1 articles; skipped: 1 non-HTML, 1 request, 1 warcinfo"),
            "{stderr}"
        );
    }
}
