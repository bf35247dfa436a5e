//! Reading the dates articles and users write: `2024-03-01`, `2024/03/01`,
//! `2024-03-01 09:30:00`, `2024-03-01T09:30:00Z` and other RFC 3339 forms. A date without a time
//! is midnight UTC. Used by the indexer (article dates) and by search (`--since`/`--until`).

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Parses a date as articles and users write it; `None` when it is none of the known forms.
pub fn parse_date(text: &str) -> Option<OffsetDateTime> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'');
    if let Ok(moment) = OffsetDateTime::parse(text, &Rfc3339) {
        return Some(moment);
    }
    let with_time = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    if let Ok(moment) = PrimitiveDateTime::parse(text, with_time) {
        return Some(moment.assume_utc());
    }
    let day = text.get(..10).unwrap_or(text).replace('/', "-");
    Date::parse(&day, format_description!("[year]-[month]-[day]"))
        .ok()
        .map(|date| date.midnight().assume_utc())
}

/// Formats a moment as the calendar day users write: `2024-03-01`.
pub fn format_day(moment: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]");
    moment.format(format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_days_slashes_times_and_rfc3339() {
        let day = |text| parse_date(text).map(format_day);
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
    fn rejects_what_is_not_a_date() {
        assert!(parse_date("last Tuesday").is_none());
        assert!(parse_date("2024-13-01").is_none());
        assert!(parse_date("").is_none());
    }
}
