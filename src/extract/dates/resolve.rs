//! Value operations: turn the captured parts of a match into a TimeML
//! TIMEX3 value, anchored on the document creation time (DCT) when there
//! is one. Without a DCT, relative values stay unresolved (`XXXX-...`),
//! never anchored on the clock of the machine.

use chrono::{Datelike, Duration, NaiveDate};
use std::collections::HashMap;

/// Where a relative shift or unit comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    Fixed(i64),
    /// The `num` group, negated when `negate`.
    FromNum {
        negate: bool,
    },
}

/// A duration's unit (None: from the `unit` group), whether its count is
/// vague, and whether half a unit comes on top ("two and a half years").
#[derive(Clone, Debug, PartialEq)]
pub struct Period {
    pub unit: Option<String>,
    pub vague: bool,
    pub half: bool,
}

/// Which occurrence a year-less month (or day) refers to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Direction {
    Nearest,
    /// "last March": strictly before the DCT's month.
    Past,
    /// A past-tense clause ("fell in March"): the DCT's month or before.
    OnOrBefore,
    Future,
    ThisYear,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ValueOp {
    Lit(String),
    Date(Direction),
    Year,
    Decade,
    /// Group century (an ordinal) -> "19" for the 20th.
    Century,
    Rel {
        unit: Option<String>,
        by: Amount,
    },
    /// Group weekday; `dir` Nearest follows the clause's tense, Past is
    /// strictly before the DCT ("last Friday"), Future strictly after.
    Weekday {
        dir: Direction,
    },
    /// Group weekday, the last one strictly before the date the text
    /// narrates ("the previous Friday"); evaluates before the DCT until
    /// the extractor knows the text's last date.
    PreviousWeekday,
    /// Group ordinal (1-4) with group year, or the DCT year shifted by N
    /// ("last year's third quarter": -1).
    Quarter(i32),
    /// Group half (1, 2) with group year or the DCT year: 1989-H2.
    Half,
    Season(i32),
    /// Group season, the latest one under way before the DCT ("this past
    /// spring": this year's in October, last year's in April).
    SeasonPast,
    Time,
    Duration(Period),
    Set(Period),
    /// The date named last in the text, at a grain (Y, M, D), shifted:
    /// "that year", "the following month". Evaluates from the DCT until
    /// the extractor knows the text's last date.
    Ref(RefShift),
    /// A holiday (group holiday: "MM-DD" or "MM/N/W", the Nth weekday W,
    /// N = L for the last) in group year or the year nearest the DCT.
    Holiday(Direction),
    /// A recurring weekday or month, never anchored ("each July" → XXXX-07).
    Recurring,
    /// The ISO week holding the date of groups year / month / day ("the
    /// week of March 6" → 2000-W10).
    WeekOf,
    /// A year spelled out: group hi (its century, "19") and group lo (its
    /// last two digits, "96"; none for "the year two thousand").
    SpelledYear,
}

impl ValueOp {
    /// True when the value depends on the tense of the clause (a weekday,
    /// a year-less date, quarter or holiday, a clock time on one of them).
    pub fn uses_tense(&self) -> bool {
        matches!(
            self,
            ValueOp::Date(Direction::Nearest)
                | ValueOp::Weekday {
                    dir: Direction::Nearest
                }
                | ValueOp::Holiday(Direction::Nearest)
                | ValueOp::Time
                | ValueOp::Quarter(0)
        )
    }

    /// Parses the `value` field of a rule.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let parts: Vec<&str> = spec.split_whitespace().collect();
        let unit_arg = |s: Option<&&str>| match s {
            None | Some(&"{unit}") => Ok(None),
            Some(u) if UNITS.contains(u) => Ok(Some(u.to_string())),
            Some(u) => Err(format!("unknown unit {u:?} (known: {})", UNITS.join(" "))),
        };
        let op = match parts.as_slice() {
            ["lit", v] => ValueOp::Lit(v.to_string()),
            ["date"] => ValueOp::Date(Direction::Nearest),
            ["date", "past"] => ValueOp::Date(Direction::Past),
            ["date", "future"] => ValueOp::Date(Direction::Future),
            ["date", "this"] => ValueOp::Date(Direction::ThisYear),
            ["year"] => ValueOp::Year,
            ["decade"] => ValueOp::Decade,
            ["century"] => ValueOp::Century,
            ["weekday"] => ValueOp::Weekday {
                dir: Direction::Nearest,
            },
            ["weekday", "next"] => ValueOp::Weekday {
                dir: Direction::Future,
            },
            ["weekday", "last"] => ValueOp::Weekday {
                dir: Direction::Past,
            },
            ["weekday", "previous"] => ValueOp::PreviousWeekday,
            ["quarter"] => ValueOp::Quarter(0),
            ["quarter", n] => ValueOp::Quarter(n.parse().map_err(|_| format!("bad offset {n:?}"))?),
            ["half"] => ValueOp::Half,
            ["season", "past"] => ValueOp::SeasonPast,
            ["season", n] => ValueOp::Season(n.parse().map_err(|_| format!("bad offset {n:?}"))?),
            ["time"] => ValueOp::Time,
            ["recurring"] => ValueOp::Recurring,
            ["week_of"] => ValueOp::WeekOf,
            ["spelled_year"] => ValueOp::SpelledYear,
            ["holiday"] => ValueOp::Holiday(Direction::Nearest),
            ["holiday", "past"] => ValueOp::Holiday(Direction::Past),
            ["holiday", "future"] => ValueOp::Holiday(Direction::Future),
            ["ref", "{ref}"] => ValueOp::Ref(RefShift::FromGroup),
            ["ref", g] => ValueOp::Ref(RefShift::parse(&format!("{g} 0"))?),
            ["ref", g, n] => ValueOp::Ref(RefShift::parse(&format!("{g} {n}"))?),
            ["dur", rest @ ..] => ValueOp::Duration(period_args(rest, unit_arg)?),
            ["set", rest @ ..] => ValueOp::Set(period_args(rest, unit_arg)?),
            ["rel", unit, by] => ValueOp::Rel {
                unit: unit_arg(Some(unit))?,
                by: match *by {
                    "-{num}" => Amount::FromNum { negate: true },
                    "+{num}" | "{num}" => Amount::FromNum { negate: false },
                    n => Amount::Fixed(n.parse().map_err(|_| format!("bad offset {n:?}"))?),
                },
            },
            _ => return Err(format!("unknown value operation {spec:?}")),
        };
        Ok(op)
    }
}

/// The shift of a `ref` operation: fixed by the rule ("ref Y 1"), or
/// read from group `ref`, whose lexicon gives each phrase its grain and
/// shift ("the following month" → "M 1"), so that one rule covers them all.
#[derive(Clone, Debug, PartialEq)]
pub enum RefShift {
    Fixed(String, i64),
    FromGroup,
}

impl RefShift {
    /// "G N": a grain (Y, M, D) and a shift in that grain.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let mut parts = spec.split_whitespace();
        let (Some(grain @ ("Y" | "M" | "D")), Some(n), None) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!(
                "bad reference {spec:?} (want a grain Y, M or D and a shift)"
            ));
        };
        let by = n.parse().map_err(|_| format!("bad offset {n:?}"))?;
        Ok(RefShift::Fixed(grain.to_string(), by))
    }

    /// The grain and shift for one match.
    pub fn resolve(&self, s: &Slots) -> Option<(String, i64)> {
        match self {
            RefShift::Fixed(grain, by) => Some((grain.clone(), *by)),
            RefShift::FromGroup => match RefShift::parse(s.get("ref")?).ok()? {
                RefShift::Fixed(grain, by) => Some((grain, by)),
                RefShift::FromGroup => None,
            },
        }
    }
}

/// `dur [UNIT] [X|HALF]`: X marks a vague count ("weeks", "the past
/// days"), HALF half a unit more than the count ("two and a half years";
/// no count: "half an hour").
fn period_args(
    args: &[&str],
    unit_arg: impl Fn(Option<&&str>) -> Result<Option<String>, String>,
) -> Result<Period, String> {
    let vague = args.last() == Some(&"X");
    let half = args.last() == Some(&"HALF");
    let rest = if vague || half {
        &args[..args.len() - 1]
    } else {
        args
    };
    if rest.len() > 1 {
        return Err(format!("too many arguments: {args:?}"));
    }
    Ok(Period {
        unit: unit_arg(rest.first())?,
        vague,
        half,
    })
}

const UNITS: &[&str] = &["S", "MIN", "H", "D", "W", "M", "Q", "Y", "DE", "CE"];

/// What the value operations read: captured groups and the anchor.
pub struct Slots<'a> {
    pub groups: &'a HashMap<&'a str, String>,
    pub dct: Option<NaiveDate>,
    /// The tense that anchors bare weekdays, year-less dates and holidays.
    pub tense: Tense,
}

/// The tense of the clause an expression sits in, as far as it is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    /// A past verb governs it ("said Friday"): on or before the DCT.
    Past,
    /// A future form governs it ("will meet Friday"): on or after the DCT.
    Future,
    /// A present verb governs it through "on" ("ministers meet on
    /// Monday"): news speaks of the coming week so, and a weekday lies on
    /// or after the DCT; other expressions take the nearest occurrence,
    /// as with no cue.
    Present,
    /// No cue: the occurrence nearest the DCT.
    Unknown,
}

impl Slots<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.groups.get(name).map(String::as_str)
    }
    fn num(&self, name: &str) -> Option<u32> {
        self.get(name)?.parse().ok()
    }
}

/// The TimeML value, or `None` when the parts are not a valid date.
pub fn evaluate(op: &ValueOp, s: &Slots) -> Option<String> {
    match op {
        ValueOp::Lit(v) => Some(v.clone()),
        ValueOp::Date(dir) => date(s, *dir),
        ValueOp::Year => year(s).map(|y| format!("{y:04}")),
        ValueOp::Decade => decade(s),
        ValueOp::Century => century(s),
        ValueOp::Rel { unit, by } => relative(s, unit.as_deref(), by),
        ValueOp::Weekday { dir } => weekday(s, *dir),
        ValueOp::PreviousWeekday => weekday(s, Direction::Past),
        ValueOp::Quarter(offset) => quarter(s, *offset),
        ValueOp::Half => half(s),
        ValueOp::Season(offset) => season(s, *offset),
        ValueOp::SeasonPast => season_past(s),
        ValueOp::Time => time(s),
        ValueOp::Duration(p) | ValueOp::Set(p) => period(s, p),
        ValueOp::Recurring => recurring(s),
        ValueOp::Holiday(dir) => holiday(s, *dir),
        ValueOp::Ref(shift) => {
            let (grain, by) = shift.resolve(s)?;
            relative(s, Some(grain.as_str()), &Amount::Fixed(by))
        }
        ValueOp::WeekOf => week_of(s),
        ValueOp::SpelledYear => spelled_year(s),
    }
}

fn week_of(s: &Slots) -> Option<String> {
    let day = date(s, Direction::Nearest)?;
    Some(match NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
        Ok(d) => {
            let w = d.iso_week();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        // No year to place the day in: an unknown week.
        Err(_) => "XXXX-WXX".to_string(),
    })
}

fn spelled_year(s: &Slots) -> Option<String> {
    let hi = s.num("hi").filter(|h| (10..=20).contains(h))?;
    let lo = match s.get("lo") {
        Some(_) => s.num("lo").filter(|l| *l < 100)?,
        None => 0,
    };
    Some(format!("{:04}", hi * 100 + lo))
}

/// The number of years a `rel` operation shifts by, when its unit is years.
pub fn year_shift(op: &ValueOp, s: &Slots) -> Option<i64> {
    let ValueOp::Rel { unit, by } = op else {
        return None;
    };
    if unit.as_deref().or(s.get("unit")) != Some("Y") {
        return None;
    }
    match by {
        Amount::Fixed(n) => Some(*n),
        Amount::FromNum { negate } => {
            let n = s.num("num")? as i64;
            Some(if *negate { -n } else { n })
        }
    }
}

fn year(s: &Slots) -> Option<i32> {
    let Some(raw) = s.get("year") else {
        // A year spelled out ("the winter of nineteen ninety-four").
        return s.get("hi").and(spelled_year(s))?.parse().ok();
    };
    let raw = raw.trim_start_matches('\'');
    let y: i32 = raw.parse().ok()?;
    Some(match raw.len() {
        // Two-digit years: '98 is 1998, '05 is 2005.
        2 if y < 30 => 2000 + y,
        2 => 1900 + y,
        _ => y,
    })
}

fn date(s: &Slots, dir: Direction) -> Option<String> {
    let month = s.num("month").filter(|m| (1..=12).contains(m));
    let day = s.num("day");
    if s.get("month").is_some() && month.is_none() {
        return None;
    }
    if let (Some(m), Some(d)) = (month, day) {
        if d == 0 || d > 31 || NaiveDate::from_ymd_opt(2000, m, d).is_none() {
            return None;
        }
    }
    let y = match year(s) {
        Some(y) => Some(y),
        // "Saturday, April 25": the year in which that day is a Saturday.
        None if s.get("weekday").is_some() && day.is_some() => s
            .dct
            .and_then(|dct| year_of_weekday(dct, month?, day?, s.num("weekday")?)),
        None => s.dct.map(|dct| {
            let dir = match dir {
                Direction::Nearest if s.tense == Tense::Future => Direction::Future,
                Direction::Nearest if s.tense == Tense::Past => Direction::OnOrBefore,
                other => other,
            };
            infer_year(dct, month.unwrap_or(1), day, dir)
        }),
    };
    let y = y.map_or("XXXX".to_string(), |y| format!("{y:04}"));
    Some(match (month, day) {
        (Some(m), Some(d)) => format!("{y}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{y}-{m:02}"),
        _ => y,
    })
}

/// The year nearest the DCT (of the one before, its own and the next) in
/// which `month`-`day` falls on `weekday` (1 = Monday).
fn year_of_weekday(dct: NaiveDate, month: u32, day: u32, weekday: u32) -> Option<i32> {
    let dy = dct.year();
    [dy, dy - 1, dy + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .filter(|d| d.weekday().number_from_monday() == weekday)
        .min_by_key(|d| (*d - dct).num_days().abs())
        .map(|d| d.year())
}

/// How much farther a coming occurrence of a year-less date counts than a
/// past one when no tense says which is meant.
const FUTURE_DISTANCE_FACTOR: i64 = 2;

/// How far ahead of the DCT a date in a past-tense clause may lie.
const PAST_TENSE_SLACK_DAYS: i64 = 31;

/// The year of a year-less month (and day) as seen from the DCT.
fn infer_year(dct: NaiveDate, month: u32, day: Option<u32>, dir: Direction) -> i32 {
    let dy = dct.year();
    // Position in days within a year, comparable across candidate years.
    let key = |y: i32| {
        let d = day.unwrap_or(15).min(28);
        NaiveDate::from_ymd_opt(y, month, d).map(|date| (date - dct).num_days())
    };
    let offset = |y: i32| key(y).unwrap_or(0);
    match dir {
        Direction::ThisYear => dy,
        // A month named after "last": its latest occurrence before the DCT's month.
        Direction::Past if day.is_none() => {
            if month < dct.month() {
                dy
            } else {
                dy - 1
            }
        }
        // A past clause may still name a date just ahead ("set Nov. 10 as
        // the deadline", "extended to Nov. 16"): within a month ahead,
        // the coming one.
        Direction::OnOrBefore if (0..=PAST_TENSE_SLACK_DAYS).contains(&offset(dy)) => dy,
        Direction::OnOrBefore if day.is_none() => {
            if month <= dct.month() {
                dy
            } else {
                dy - 1
            }
        }
        Direction::Past | Direction::OnOrBefore => {
            if offset(dy) <= 0 {
                dy
            } else {
                dy - 1
            }
        }
        // Future-tense context: this year unless that is over (a week of
        // slack for schedules reported a little late).
        Direction::Future => {
            if offset(dy) >= -7 {
                dy
            } else {
                dy + 1
            }
        }
        // No tense cue: the occurrence closest to the DCT, a coming one
        // counting twice as far: news tells of what happened more than of
        // what will ("rose to a high in June from $29 in March").
        Direction::Nearest => [dy, dy - 1, dy + 1]
            .into_iter()
            .min_by_key(|y| {
                key(*y).map_or(i64::MAX, |d| {
                    if d > 0 {
                        d * FUTURE_DISTANCE_FACTOR
                    } else {
                        -d
                    }
                })
            })
            .unwrap_or(dy),
    }
}

fn decade(s: &Slots) -> Option<String> {
    let raw = s.get("decade")?.trim_start_matches('\'');
    Some(match raw.len() {
        4 => raw[..3].to_string(),
        2 => {
            let century = if raw.starts_with(['0', '1', '2']) {
                "20"
            } else {
                "19"
            };
            format!("{century}{}", &raw[..1])
        }
        _ => return None,
    })
}

/// Group century (its ordinal, "20" for the 20th) as TimeML writes it: "19".
fn century(s: &Slots) -> Option<String> {
    let ordinal = s.num("century").filter(|c| (1..=99).contains(c))?;
    Some(format!("{:02}", ordinal - 1))
}

fn relative(s: &Slots, unit: Option<&str>, by: &Amount) -> Option<String> {
    let unit = match unit {
        Some(u) => u,
        None => s.get("unit")?,
    };
    let counted = matches!(by, Amount::FromNum { .. });
    let by = match by {
        Amount::Fixed(n) => Some(*n),
        Amount::FromNum { negate } => {
            s.num("num")
                .map(|n| if *negate { -(n as i64) } else { n as i64 })
        }
    };
    let (Some(dct), Some(by)) = (s.dct, by) else {
        return Some(unresolved(unit, by));
    };
    let value = match unit {
        "S" | "MIN" | "H" => return Some(dct.format("%Y-%m-%d").to_string()),
        "D" => (dct + Duration::days(by)).format("%Y-%m-%d").to_string(),
        "W" => {
            let w = (dct + Duration::weeks(by)).iso_week();
            format!("{:04}-W{:02}", w.year(), w.week())
        }
        "M" => {
            let (y, m) = shift_months(dct, by);
            format!("{y:04}-{m:02}")
        }
        "Q" => {
            let (y, m) = shift_months(dct, by * 3);
            format!("{y:04}-Q{}", (m - 1) / 3 + 1)
        }
        "Y" => {
            let y = dct.year() as i64 + by;
            match s.num("month").filter(|m| (1..=12).contains(m)) {
                Some(m) => format!("{y:04}-{m:02}"),
                None => format!("{y:04}"),
            }
        }
        // "two decades ago" counts years back from the DCT: a year, not
        // the calendar decade ("last decade" is one).
        "DE" if counted => format!("{:04}", dct.year() as i64 + 10 * by),
        "CE" if counted => format!("{:04}", dct.year() as i64 + 100 * by),
        "DE" => format!("{:03}", (dct.year() as i64 + 10 * by) / 10),
        "CE" => format!("{:02}", (dct.year() as i64 + 100 * by) / 100),
        _ => return None,
    };
    Some(value)
}

/// A relative value with no anchor, at the unit's grain.
fn unresolved(unit: &str, by: Option<i64>) -> String {
    match (unit, by) {
        (_, None) => "PAST_REF".to_string(),
        ("W", _) => "XXXX-WXX".to_string(),
        ("M", _) => "XXXX-XX".to_string(),
        ("Q", _) => "XXXX-QX".to_string(),
        ("Y" | "DE" | "CE", _) => "XXXX".to_string(),
        _ => "XXXX-XX-XX".to_string(),
    }
}

fn shift_months(d: NaiveDate, by: i64) -> (i64, u32) {
    let total = d.year() as i64 * 12 + d.month0() as i64 + by;
    (total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

fn weekday(s: &Slots, dir: Direction) -> Option<String> {
    let wd = s.num("weekday").filter(|d| (1..=7).contains(d))?;
    let Some(dct) = s.dct else {
        return Some(format!("XXXX-WXX-{wd}"));
    };
    let today = dct.weekday().number_from_monday() as i64;
    let wd = wd as i64;
    let back = (today - wd).rem_euclid(7);
    let ahead = (wd - today).rem_euclid(7);
    let future_tense =
        dir == Direction::Nearest && matches!(s.tense, Tense::Future | Tense::Present);
    let shift = if dir == Direction::Future {
        // "next Friday": strictly after the DCT.
        if ahead == 0 {
            7
        } else {
            ahead
        }
    } else if future_tense {
        // "will meet Friday": the DCT itself or the next such day.
        ahead
    } else if dir == Direction::Past && back == 0 {
        // "last Friday" on a Friday is a week ago.
        -7
    } else {
        // The last such day on or before the DCT.
        -back
    };
    Some((dct + Duration::days(shift)).format("%Y-%m-%d").to_string())
}

fn holiday(s: &Slots, dir: Direction) -> Option<String> {
    let spec = s.get("holiday")?;
    if let Some(y) = year(s) {
        return holiday_in(spec, y).map(|d| d.format("%Y-%m-%d").to_string());
    }
    let Some(dct) = s.dct else {
        let fixed = (spec.contains('-') && !spec.starts_with('E')).then_some(spec);
        return Some(fixed.map_or("XXXX-XX-XX".to_string(), |f| format!("XXXX-{f}")));
    };
    let dir = match dir {
        Direction::Nearest if s.tense == Tense::Future => Direction::Future,
        Direction::Nearest if s.tense == Tense::Past => Direction::Past,
        other => other,
    };
    let dy = dct.year();
    let candidates = [dy - 1, dy, dy + 1].map(|y| holiday_in(spec, y));
    let dates = candidates.iter().flatten();
    let chosen = match dir {
        Direction::Past => dates.filter(|d| **d <= dct).max(),
        Direction::Future => dates.filter(|d| **d >= dct).min(),
        _ => dates.min_by_key(|d| (**d - dct).num_days().abs()),
    };
    chosen.map(|d| d.format("%Y-%m-%d").to_string())
}

/// The date of a holiday spec in year `y`.
fn holiday_in(spec: &str, y: i32) -> Option<NaiveDate> {
    if let Some(offset) = spec.strip_prefix('E') {
        // Easter-based: "E-2" is Good Friday.
        return Some(easter(y)? + Duration::days(offset.parse().ok()?));
    }
    if let Some((rule, offset)) = spec.split_once('+') {
        // "11/1/1+1": a day after the first Monday of November.
        return Some(holiday_in(rule, y)? + Duration::days(offset.parse().ok()?));
    }
    if let Some((m, d)) = spec.split_once('-') {
        return NaiveDate::from_ymd_opt(y, m.parse().ok()?, d.parse().ok()?);
    }
    let mut parts = spec.split('/');
    let (m, n, w): (u32, &str, u32) = (
        parts.next()?.parse().ok()?,
        parts.next()?,
        parts.next()?.parse().ok()?,
    );
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let first_wd = first.weekday().number_from_monday();
    let first_match = first + Duration::days(((w + 7 - first_wd) % 7) as i64);
    if n == "L" {
        let mut d = first_match;
        while (d + Duration::weeks(1)).month() == m {
            d += Duration::weeks(1);
        }
        return Some(d);
    }
    let n: i64 = n.parse().ok()?;
    let d = first_match + Duration::weeks(n - 1);
    (d.month() == m).then_some(d)
}

/// A date value ("1995-05-22") cut to `grain` and shifted by `by` units of it.
pub fn shift_value(value: &str, grain: &str, by: i64) -> Option<String> {
    let cut = at_grain(value, grain)?;
    let y: i64 = cut[..4].parse().ok()?;
    Some(match grain {
        "Y" => format!("{:04}", y + by),
        "M" => {
            let d = NaiveDate::from_ymd_opt(y as i32, cut[5..7].parse().ok()?, 1)?;
            let (y, m) = shift_months(d, by);
            format!("{y:04}-{m:02}")
        }
        _ => {
            let d = NaiveDate::parse_from_str(&cut, "%Y-%m-%d").ok()?;
            (d + Duration::days(by)).format("%Y-%m-%d").to_string()
        }
    })
}

/// The same weekday as `day` (a date value) last before `anchor` (a date
/// value at day grain): "the previous Friday" seen from the narrated day.
pub fn weekday_before(day: &str, anchor: &str) -> Option<String> {
    let day = NaiveDate::parse_from_str(day.get(..10)?, "%Y-%m-%d").ok()?;
    let anchor = NaiveDate::parse_from_str(&at_grain(anchor, "D")?, "%Y-%m-%d").ok()?;
    let wd = day.weekday().num_days_from_monday() as i64;
    let from = anchor.weekday().num_days_from_monday() as i64;
    let back = (from - wd - 1).rem_euclid(7) + 1;
    Some(
        (anchor - Duration::days(back))
            .format("%Y-%m-%d")
            .to_string(),
    )
}

/// `value` cut to `grain` (Y, M, D) when it is that precise.
pub fn at_grain(value: &str, grain: &str) -> Option<String> {
    let len = match grain {
        "Y" => 4,
        "M" => 7,
        _ => 10,
    };
    let b = value.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let ok = digits(0..4)
        && (len < 7 || (b.get(4) == Some(&b'-') && digits(5..7)))
        && (len < 10 || (b.get(7) == Some(&b'-') && digits(8..10)));
    ok.then(|| value[..len].to_string())
}

fn recurring(s: &Slots) -> Option<String> {
    if let Some(wd) = s.num("weekday").filter(|d| (1..=7).contains(d)) {
        return Some(format!("XXXX-WXX-{wd}"));
    }
    let m = s.num("month").filter(|m| (1..=12).contains(m))?;
    Some(format!("XXXX-{m:02}"))
}

fn quarter(s: &Slots, offset: i32) -> Option<String> {
    let q = s.num("ordinal").filter(|q| (1..=4).contains(q))?;
    let dct_year = |d: NaiveDate| match offset {
        0 => year_of_quarter(d, q, s.tense),
        _ => d.year() + offset,
    };
    let y = year(s)
        .or(s.dct.map(dct_year))
        .map_or("XXXX".to_string(), |y| format!("{y:04}"));
    Some(format!("{y}-Q{q}"))
}

/// The year of quarter `q` named without one. A quarter that has not
/// begun by the DCT is last year's in a past clause ("profits fell in the
/// fourth quarter", said in January), and with no tense when it ended
/// nearer the DCT than it begins, a coming quarter counting twice as far
/// as for year-less months (results are told after a quarter ends).
fn year_of_quarter(dct: NaiveDate, q: u32, tense: Tense) -> i32 {
    let dy = dct.year();
    let month = dct.month0() as i64;
    let (first_month, last_month) = (3 * (q as i64 - 1), 3 * q as i64 - 1);
    if first_month <= month {
        return dy;
    }
    let ended_ago = month + 12 - last_month;
    let begins_in = first_month - month;
    match tense {
        Tense::Past => dy - 1,
        Tense::Unknown if begins_in * FUTURE_DISTANCE_FACTOR > ended_ago => dy - 1,
        _ => dy,
    }
}

fn half(s: &Slots) -> Option<String> {
    let h = s.num("half").filter(|h| (1..=2).contains(h))?;
    let y = year(s)
        .or(s.dct.map(|d| d.year()))
        .map_or("XXXX".to_string(), |y| format!("{y:04}"));
    Some(format!("{y}-H{h}"))
}

fn season(s: &Slots, offset: i32) -> Option<String> {
    let code = s.get("season")?;
    let y = year(s)
        .or(s.dct.map(|d| d.year() + offset))
        .map_or("XXXX".to_string(), |y| format!("{y:04}"));
    Some(format!("{y}-{code}"))
}

/// The latest season named by group season that began in a month before
/// the DCT's (spring in March, summer in June, fall in September, winter
/// in December); unanchored without a DCT.
fn season_past(s: &Slots) -> Option<String> {
    let code = s.get("season")?;
    let start = match code {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    };
    let y = s.dct.map_or("XXXX".to_string(), |d| {
        let year = if d.month() > start {
            d.year()
        } else {
            d.year() - 1
        };
        format!("{year:04}")
    });
    Some(format!("{y}-{code}"))
}

fn time(s: &Slots) -> Option<String> {
    let mut hour = s.num("hour")?;
    let minute = s.num("minute").unwrap_or(0);
    if let Some(ampm) = s.get("ampm") {
        if hour == 0 || hour > 12 {
            return None;
        }
        let pm = ampm.to_ascii_lowercase().starts_with('p');
        hour = match (pm, hour) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    if hour > 24 || minute > 59 {
        return None;
    }
    // "9 a.m. Tuesday": the time of that weekday, else of the DCT.
    let day = match s.get("weekday") {
        Some(_) => weekday(s, Direction::Nearest)?,
        None if s.get("day").is_some() => date(s, Direction::Nearest)?,
        None => s.dct.map_or("XXXX-XX-XX".to_string(), |d| {
            d.format("%Y-%m-%d").to_string()
        }),
    };
    Some(format!("{day}T{hour:02}:{minute:02}"))
}

/// P{n}{unit}; hours, minutes and seconds take the "T" time designator.
fn period(s: &Slots, p: &Period) -> Option<String> {
    let unit = match &p.unit {
        Some(u) => u.as_str(),
        None => s.get("unit").unwrap_or("X"),
    };
    let n = match s.get("num") {
        Some(n) => n,
        None if p.vague => "X",
        None if p.half => "0",
        None => "1",
    };
    if p.half {
        return half_period(n.parse().ok()?, unit);
    }
    let numeric: Option<f64> = n.parse().ok();
    let scaled = |factor: f64| match numeric {
        Some(v) => trim_number(v * factor),
        None => "X".to_string(),
    };
    Some(match unit {
        "H" => format!("PT{n}H"),
        "MIN" => format!("PT{n}M"),
        "S" => format!("PT{n}S"),
        "DE" => format!("P{}Y", scaled(10.0)),
        "CE" => format!("P{}Y", scaled(100.0)),
        u => format!("P{n}{u}"),
    })
}

/// `n` and a half units, in the next smaller unit for the half:
/// P2Y6M, PT5H30M, P1DT12H; half a decade is five years.
fn half_period(n: u32, unit: &str) -> Option<String> {
    let whole = |designator: &str| {
        if n == 0 {
            String::new()
        } else {
            format!("{n}{designator}")
        }
    };
    Some(match unit {
        "Y" => format!("P{}6M", whole("Y")),
        "M" => format!("P{}15D", whole("M")),
        "W" => format!("P{}D", 7 * n + 3),
        "D" => format!("P{}T12H", whole("D")),
        "H" => format!("PT{}30M", whole("H")),
        "MIN" => format!("PT{}30S", whole("M")),
        "DE" => format!("P{}Y", 10 * n + 5),
        "CE" => format!("P{}Y", 100 * n + 50),
        _ => return None,
    })
}

fn trim_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Easter Sunday of year `y` (Gregorian calendar, anonymous algorithm).
fn easter(y: i32) -> Option<NaiveDate> {
    let a = y % 19;
    let (b, c) = (y / 100, y % 100);
    let (d, e) = (b / 4, b % 4);
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    NaiveDate::from_ymd_opt(y, (n / 31) as u32, (n % 31 + 1) as u32)
}
