//! The report page in a real browser: `newsx view` renders in headless
//! Chromium (Debian's `chromium`), and the screenshot and the DOM after
//! the page's script has run show the seed articles' highlights, the
//! timeline in date order and working pagination.
//!
//! Without Chromium the test says so and passes, except under CI
//! (`CI` set), where a missing browser is a failure.

use std::io::Read;
use std::path::Path;
use std::process::Command;

fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

fn headless(browser: &str, profile: &Path) -> Command {
    let mut cmd = Command::new(browser);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

#[test]
fn report_renders_in_chromium_with_highlights_and_timeline() {
    let Some(browser) = chromium() else {
        assert!(std::env::var_os("CI").is_none(), "CI must install chromium");
        eprintln!("skipped: no chromium (apt-get install chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let out = Command::new(env!("CARGO_BIN_EXE_newsx"))
        .args(["view", "corpus", "-o"])
        .arg(&page)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        !html.contains("http://") && !html.contains("src="),
        "no network assets"
    );

    let profile = dir.path().join("profile");
    let dom = headless(browser, &profile)
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    // The seeds' highlights, as the browser parsed them.
    let article = |n: usize| {
        let start = dom.find(&format!("<article id=\"d{n}\"")).expect("article");
        let end = dom[start..].find("</article>").unwrap() + start;
        &dom[start..end]
    };
    let huawei = (0..12)
        .map(article)
        .find(|a| a.contains("101_huawei_entity_list_2019"))
        .expect("the Huawei seed");
    assert!(
        huawei.contains("<mark class=\"ent ORG\" data-entity=\"d5-e"),
        "{huawei}"
    );
    assert!(huawei.contains(">Huawei</mark>"));
    assert!(huawei.contains("<mark class=\"list\" data-list=\"us-bis-el\""));
    assert!(huawei.contains("<mark class=\"date\""));
    assert!(huawei.contains("<span class=\"quote "));
    assert!(huawei.contains("<li class=\"event\""));
    assert!(huawei.contains("<span class=\"ev\" data-ev=\"d5-v1\">"));
    // The timeline, in date order.
    let dates: Vec<&str> = dom
        .match_indices("class=\"tl-entry\" data-date=\"")
        .map(|(i, m)| {
            let rest = &dom[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .filter(|d| d.len() >= 4 && d[..4].bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert!(dates.len() >= 3, "{dates:?}");
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");

    // The screenshot shows the highlight colours.
    let shot = dir.path().join("shot.png");
    let status = headless(browser, &profile)
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1200,2400")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(shot.exists(), "{}", String::from_utf8_lossy(&status.stderr));
    let (width, height, pixels) = decode_png(&std::fs::read(&shot).unwrap());
    assert_eq!((width, height), (1200, 2400));
    let count = |rgb: [u8; 3]| pixels.iter().filter(|p| **p == rgb).count();
    for (what, rgb) in [
        ("ORG highlight", [0xcf, 0xe3, 0xff]),
        ("date highlight", [0xff, 0xe7, 0xb8]),
        ("list highlight", [0xb8, 0xf0, 0xec]),
    ] {
        assert!(count(rgb) > 200, "{what} not visible in the screenshot");
    }
}

/// Decodes an 8-bit RGB or RGBA, non-interlaced PNG into RGB pixels.
fn decode_png(png: &[u8]) -> (usize, usize, Vec<[u8; 3]>) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let (mut at, mut idat) = (8, Vec::new());
    let (mut width, mut height, mut channels) = (0, 0, 0);
    while at + 8 <= png.len() {
        let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
        let kind = &png[at + 4..at + 8];
        let data = &png[at + 8..at + 8 + len];
        match kind {
            b"IHDR" => {
                width = u32::from_be_bytes(data[0..4].try_into().unwrap()) as usize;
                height = u32::from_be_bytes(data[4..8].try_into().unwrap()) as usize;
                assert_eq!(data[8], 8, "bit depth");
                channels = match data[9] {
                    2 => 3,
                    6 => 4,
                    other => panic!("colour type {other}"),
                };
                assert_eq!(data[12], 0, "interlace");
            }
            b"IDAT" => idat.extend_from_slice(data),
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let stride = width * channels;
    let mut prev = vec![0u8; stride];
    let mut pixels = Vec::with_capacity(width * height);
    for row in raw.chunks(stride + 1).take(height) {
        let (filter, line) = (row[0], &row[1..]);
        let mut cur = vec![0u8; stride];
        for i in 0..stride {
            let a = if i >= channels { cur[i - channels] } else { 0 };
            let b = prev[i];
            let c = if i >= channels { prev[i - channels] } else { 0 };
            let predictor = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((a as u16 + b as u16) / 2) as u8,
                4 => paeth(a, b, c),
                f => panic!("filter {f}"),
            };
            cur[i] = line[i].wrapping_add(predictor);
        }
        pixels.extend(cur.chunks(channels).map(|p| [p[0], p[1], p[2]]));
        prev = cur;
    }
    (width, height, pixels)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = (
        (p - a as i16).abs(),
        (p - b as i16).abs(),
        (p - c as i16).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}
