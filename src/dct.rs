//! Document creation time (DCT): loose parsing of publication dates as
//! they appear in inputs, HTML metadata and text cues.
//!
//! Takes a date string; gives a calendar date. It does not guess: a string
//! that is not a full day-month-year date gives `None`. Relative dates are
//! the date extractor's business, not this module's.

use chrono::NaiveDate;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?:$|[T\s_])").unwrap());
static US_NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\b").unwrap());
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b").unwrap()
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b").unwrap()
});

/// Month names and abbreviations → month number, from the month word
/// list of the built-in `dates.toml`.
static MONTHS: LazyLock<HashMap<String, u32>> = LazyLock::new(|| {
    crate::extract::dates::builtin_lexicon("month")
        .into_iter()
        .filter_map(|(word, value)| Some((word, value.parse().ok()?)))
        .collect()
});

/// Month number for an English month name or abbreviation.
pub fn month_number(name: &str) -> Option<u32> {
    MONTHS.get(&name.to_ascii_lowercase()).copied()
}

/// Parses an ISO date or datetime, `MM/DD/YYYY`, "January 14, 2021",
/// "14 January 2021" or an RFC 2822 date into a calendar date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let ymd =
        |y: &str, m: u32, d: &str| NaiveDate::from_ymd_opt(y.parse().ok()?, m, d.parse().ok()?);
    if let Some(c) = ISO.captures(s) {
        return ymd(&c[1], c[2].parse().ok()?, &c[3]);
    }
    if let Some(c) = US_NUMERIC.captures(s) {
        return ymd(&c[3], c[1].parse().ok()?, &c[2]);
    }
    if let Some(c) = MONTH_FIRST.captures(s) {
        if let Some(m) = month_number(&c[1]) {
            return ymd(&c[3], m, &c[2]);
        }
    }
    if let Some(c) = DAY_FIRST.captures(s) {
        if let Some(m) = month_number(&c[2]) {
            return ymd(&c[3], m, &c[1]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_publication_formats() {
        let cases = [
            ("2021-01-14", Some((2021, 1, 14))),
            ("2021-01-14T07:06:00Z", Some((2021, 1, 14))),
            ("20210114", Some((2021, 1, 14))),
            ("01/14/2021 @ 7:06 AM ET", Some((2021, 1, 14))),
            ("January 14, 2021", Some((2021, 1, 14))),
            ("Jan. 14th 2021", Some((2021, 1, 14))),
            ("Thu, 14 Jan 2021 07:06:00 +0000", Some((2021, 1, 14))),
            ("Sept 3, 2020", Some((2020, 9, 3))),
            ("2021-02-30", None),
            ("yesterday", None),
            ("Mayday 5, 2020", None),
        ];
        let mut failures = Vec::new();
        for (input, want) in cases {
            let want = want.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
            if parse_date(input) != want {
                failures.push(format!(
                    "{input:?}: got {:?}, want {want:?}",
                    parse_date(input)
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn month_names_come_from_the_date_word_list() {
        let names = ["jan", "January", "FEB", "sept", "Sep", "september", "dec"];
        let got: Vec<Option<u32>> = names.iter().map(|n| month_number(n)).collect();
        let want = [1, 1, 2, 9, 9, 9, 12].map(Some);
        assert_eq!(got, want);
        for not_a_month in ["ja", "janu", "mayday", ""] {
            assert_eq!(month_number(not_a_month), None, "{not_a_month}");
        }
    }
}
