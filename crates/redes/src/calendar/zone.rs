//! The UTC offset of a meeting's local time, from its country and region.
//! Meetings are stored in local time (the date and the hours people agree
//! on); the calendar writes them in UTC, which every calendar program reads
//! without a VTIMEZONE block (RFC 5545 requires one for each TZID used, and
//! writing it needs these same rules).
//!
//! The rules in force since 2022–2025: continental Chile is UTC−4, with
//! daylight time (UTC−3) from the first Sunday of September to the first
//! Sunday of April; Magallanes (since 2017) and Aysén (since April 2025)
//! keep UTC−3 all year. Colombia is UTC−5. Mexico has had no daylight time
//! since October 2022: most states, Querétaro among them, are UTC−6;
//! Quintana Roo UTC−5; Sonora, Sinaloa, Nayarit and Baja California Sur
//! UTC−7; Baja California follows the United States (UTC−8/−7).
//! Easter Island (Valparaíso) is the one known exception not covered.

use time::{Date, Month, Weekday};

use crate::country::Country;

/// The first Sunday of a month.
fn first_sunday(year: i32, month: Month) -> Date {
    let mut d = Date::from_calendar_date(year, month, 1).expect("valid date");
    while d.weekday() != Weekday::Sunday {
        d = d.next_day().expect("valid date");
    }
    d
}

/// The n-th Sunday of a month (1-based).
fn nth_sunday(year: i32, month: Month, n: u8) -> Date {
    first_sunday(year, month) + time::Duration::weeks(i64::from(n) - 1)
}

fn folded(text: &str) -> String {
    crate::sql::fold(text)
}

/// Hours to add to UTC to get the local time of a meeting held on `date`
/// in `region` of `country`.
pub fn utc_offset_hours(country: Country, region: &str, date: Date) -> i8 {
    let region = folded(region);
    match country {
        Country::Cl => {
            let aysen_fixed = Date::from_calendar_date(2025, Month::April, 6).expect("valid date");
            if region.contains("magallanes") || (region.contains("aysen") && date >= aysen_fixed) {
                return -3;
            }
            let year = date.year();
            let summer = date < first_sunday(year, Month::April) || date >= first_sunday(year, Month::September);
            if summer {
                -3
            } else {
                -4
            }
        }
        Country::Co => -5,
        Country::Mx => {
            if region.contains("quintana roo") {
                -5
            } else if region.contains("baja california sur")
                || region.contains("sonora")
                || region.contains("sinaloa")
                || region.contains("nayarit")
            {
                -7
            } else if region.contains("baja california") {
                let year = date.year();
                let summer = date >= nth_sunday(year, Month::March, 2) && date < first_sunday(year, Month::November);
                if summer {
                    -7
                } else {
                    -8
                }
            } else {
                -6
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn chile_changes_in_april_and_september_except_the_south() {
        assert_eq!(utc_offset_hours(Country::Cl, "Valparaíso", date!(2026 - 03 - 03)), -3);
        assert_eq!(utc_offset_hours(Country::Cl, "Valparaíso", date!(2026 - 04 - 05)), -4);
        assert_eq!(utc_offset_hours(Country::Cl, "Metropolitana", date!(2026 - 06 - 10)), -4);
        assert_eq!(utc_offset_hours(Country::Cl, "Metropolitana", date!(2026 - 09 - 06)), -3);
        assert_eq!(utc_offset_hours(Country::Cl, "Aysén del General Carlos Ibáñez del Campo", date!(2026 - 06 - 10)), -3);
        assert_eq!(utc_offset_hours(Country::Cl, "Aysén", date!(2024 - 06 - 10)), -4);
        assert_eq!(utc_offset_hours(Country::Cl, "Magallanes y de la Antártica Chilena", date!(2026 - 06 - 10)), -3);
        assert_eq!(utc_offset_hours(Country::Co, "Bolívar", date!(2026 - 06 - 10)), -5);
        assert_eq!(utc_offset_hours(Country::Mx, "Querétaro", date!(2026 - 06 - 10)), -6);
        assert_eq!(utc_offset_hours(Country::Mx, "Quintana Roo", date!(2026 - 06 - 10)), -5);
        assert_eq!(utc_offset_hours(Country::Mx, "Baja California", date!(2026 - 06 - 10)), -7);
        assert_eq!(utc_offset_hours(Country::Mx, "Baja California", date!(2026 - 01 - 10)), -8);
    }
}
