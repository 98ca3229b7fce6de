//! Proleptic Gregorian dates as day numbers (H. Hinnant's algorithms).
//!
//! Day 0 is 1970-01-01. Front ends subtract the `as_of` day number to get
//! the day offsets the process engine works with. No clock is read here.

/// Day number (days since 1970-01-01) of the civil date `y-m-d`.
///
/// `m` is 1–12 and `d` is 1–31; the caller checks that the day exists in
/// that month (see [`civil_from_days`] for a round-trip check).
///
/// ```
/// use accord::process::days_from_civil;
/// assert_eq!(days_from_civil(1970, 1, 1), 0);
/// assert_eq!(days_from_civil(2026, 2, 24) - days_from_civil(2025, 12, 29), 57);
/// ```
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(m);
    let d = i64::from(d);
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Civil date `(year, month, day)` of a day number (days since 1970-01-01).
///
/// ```
/// use accord::process::civil_from_days;
/// assert_eq!(civil_from_days(0), (1970, 1, 1));
/// assert_eq!(civil_from_days(-1), (1969, 12, 31));
/// ```
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = if m <= 2 { y + 1 } else { y };
    // Both values are in range by construction.
    (y, m as u32, d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2025, 12, 29), 20_451);
        assert_eq!(civil_from_days(20_451), (2025, 12, 29));
        // 2024 is a leap year, 2100 is not.
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
        assert_eq!(
            days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28),
            1
        );
    }

    #[test]
    fn round_trip_over_five_centuries() {
        let lo = days_from_civil(1800, 1, 1);
        let hi = days_from_civil(2300, 12, 31);
        let mut prev = civil_from_days(lo - 1);
        for z in lo..=hi {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            // Consecutive days: next day in month, or first of next month.
            assert!(
                (y, m, d) == (prev.0, prev.1, prev.2 + 1)
                    || (d == 1 && (y, m) == (prev.0, prev.1 + 1))
                    || ((y, m, d) == (prev.0 + 1, 1, 1) && prev.1 == 12),
                "{prev:?} -> {:?}",
                (y, m, d)
            );
            prev = (y, m, d);
        }
    }
}
