//! Reading the dates articles and users write: `2024-03-01`, `2024/03/01`,
//! `2024-03-01 09:30:00`, `2024-03-01T09:30:00` (UTC), RFC 3339 (`2024-03-01T09:30:00Z`,
//! `2024-03-01 09:30:00+02:00`, fractions of a second), RFC 2822 (`Fri, 01 Mar 2024 09:30:00
//! +0000`, as in e-mail and RSS) and written-out days (`Mar 1, 2024`, `March 1, 2024`,
//! `1 March 2024`, `Friday, March 1, 2024`). A date without a time is midnight UTC. Used by the
//! indexer (article dates) and by search (`--since`/`--until`).
//!
//! The index stores a date as nanoseconds since 1970 in 64 bits, so it holds 1677-09-22 to
//! 2262-04-11; `index_date` refuses a date outside that range instead of letting it be
//! clamped to the nearest end (0001-01-01 would have been stored as 1677-09-21).

use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::macros::format_description;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime};

/// Parses a date as articles and users write it; `None` when it is none of the known forms.
pub fn parse_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if let Ok(moment) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(moment);
    }
    // RFC 3339 allows a space instead of the `T`, and a lower-case `t`/`z`.
    if text.len() > 11 && text.is_char_boundary(10) && text.is_char_boundary(11) {
        let joined = format!("{}T{}", &text[..10], &text[11..]).to_ascii_uppercase();
        if let Ok(moment) = OffsetDateTime::parse(&joined, &Rfc3339) {
            return Some(moment);
        }
    }
    if let Ok(moment) = OffsetDateTime::parse(text, &Rfc2822) {
        return Some(moment);
    }
    let local_times = [
        format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day] [hour]:[minute]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    ];
    for format in local_times {
        if let Ok(moment) = PrimitiveDateTime::parse(text, format) {
            return Some(moment.assume_utc());
        }
    }
    if let Some(date) = written_out(text) {
        return Some(date.midnight().assume_utc());
    }
    // A day, optionally followed by a time in a form not listed above.
    let day = text.get(..10).unwrap_or(text).replace('/', "-");
    let rest = text.get(10..).unwrap_or("");
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    Date::parse(&day, format_description!("[year]-[month]-[day]"))
        .ok()
        .map(|date| date.midnight().assume_utc())
}

/// Why an article's date cannot be indexed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateProblem {
    #[error(
        "date {0:?} is not a date graf reads (such as 2025-01-05, Jan 5, 2025 or RFC 3339/2822)"
    )]
    Unreadable(String),
    #[error("date {0:?} is outside the range the index can hold (1677-09-22 to 2262-04-11)")]
    OutOfRange(String),
}

/// The moment an article's date names, if the index can hold it exactly.
pub(crate) fn index_date(text: &str) -> Result<OffsetDateTime, DateProblem> {
    let moment = parse_date(text).ok_or_else(|| DateProblem::Unreadable(text.trim().into()))?;
    if i64::try_from(moment.unix_timestamp_nanos()).is_err() {
        return Err(DateProblem::OutOfRange(text.trim().into()));
    }
    Ok(moment)
}

/// `Jan 5, 2025`, `January 5 2025`, `Jan. 5, 2025`, `5 January 2025`, each optionally after
/// a weekday (`Sunday, January 5, 2025`).
fn written_out(text: &str) -> Option<Date> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|word| word.trim_end_matches('.'))
        .filter(|word| !word.is_empty())
        .collect();
    let words = match words.as_slice() {
        [weekday, rest @ ..] if rest.len() == 3 && is_weekday(weekday) => rest,
        all => all,
    };
    let [first, second, year] = words else {
        return None;
    };
    let (month, day) = match month_named(first) {
        Some(month) => (month, second),
        None => (month_named(second)?, first),
    };
    let day: u8 = day
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse()
        .ok()?;
    let year: i32 = year
        .parse()
        .ok()
        .filter(|y: &i32| (1000..=9999).contains(y))?;
    Date::from_calendar_date(year, month, day).ok()
}

const MONTHS: [(&str, Month); 12] = [
    ("january", Month::January),
    ("february", Month::February),
    ("march", Month::March),
    ("april", Month::April),
    ("may", Month::May),
    ("june", Month::June),
    ("july", Month::July),
    ("august", Month::August),
    ("september", Month::September),
    ("october", Month::October),
    ("november", Month::November),
    ("december", Month::December),
];

/// A month's full English name or its first three (`Sept` too) letters, any case.
fn month_named(word: &str) -> Option<Month> {
    let lower = word.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .find(|(name, _)| *name == lower || (name.starts_with(&lower) && lower.len() <= 4))
        .map(|(_, month)| *month)
}

fn is_weekday(word: &str) -> bool {
    let lower = word.to_lowercase();
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
    .iter()
    .any(|day| *day == lower || (lower.len() == 3 && day.starts_with(&lower)))
}

/// Formats a moment as the calendar day users write: `2024-03-01`.
pub fn format_day(moment: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]");
    moment.format(format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<String> {
        parse_date(text).map(format_day)
    }

    #[test]
    fn reads_plain_days_slashes_times_and_rfc3339() {
        assert_eq!(day("2024-03-01").as_deref(), Some("2024-03-01"));
        assert_eq!(day("2024/03/01").as_deref(), Some("2024-03-01"));
        assert_eq!(day("2024-03-01 23:10:00").as_deref(), Some("2024-03-01"));
        assert_eq!(
            day("2024-03-01T09:30:00+02:00").as_deref(),
            Some("2024-03-01")
        );
        assert_eq!(day("'2025-12-31'").as_deref(), Some("2025-12-31"));
    }

    #[test]
    fn reads_rfc3339_variants_rfc2822_and_written_out_days() {
        for text in [
            "2025-01-05T10:00:00Z",
            "2025-01-05T10:00:00.123456Z",
            "2025-01-05 10:00:00+01:00",
            "2025-01-05t10:00:00z",
            "2025-01-05T10:00",
            "Sun, 05 Jan 2025 10:00:00 +0000",
            "Jan 5, 2025",
            "January 5, 2025",
            "Jan. 5 2025",
            "5 January 2025",
            "5th Jan 2025",
            "Sunday, January 5, 2025",
        ] {
            assert_eq!(day(text).as_deref(), Some("2025-01-05"), "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in [
            "last Tuesday",
            "2024-13-01",
            "",
            "Feb 30, 2025",
            "2024-03-01garbage",
            "May be soon",
        ] {
            assert!(parse_date(text).is_none(), "{text}");
        }
    }

    #[test]
    fn index_dates_refuse_what_the_index_would_clamp() {
        assert!(index_date("2025-01-05").is_ok());
        assert_eq!(
            index_date("0001-01-01"),
            Err(DateProblem::OutOfRange("0001-01-01".into()))
        );
        assert!(matches!(
            index_date("9999-12-31"),
            Err(DateProblem::OutOfRange(_))
        ));
        assert!(matches!(
            index_date("someday"),
            Err(DateProblem::Unreadable(_))
        ));
    }
}
