//! Calendar arithmetic and differences on civil date-times.
//!
//! Adding months or years keeps the day when it exists and otherwise clamps to the month's
//! last day (`31-Jan-2019` + 1 month = `28-Feb-2019`). Differences count whole units from the
//! first date-time to the second, negative when the second is earlier.

use jiff::civil::{self, Date, Weekday};
use jiff::{Span, Unit};

/// A unit of calendar arithmetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Calendar years (clamped to month end).
    Years,
    /// Calendar months (clamped to month end).
    Months,
    /// Weeks of seven days.
    Weeks,
    /// Days.
    Days,
    /// Hours.
    Hours,
    /// Minutes.
    Minutes,
    /// Seconds.
    Seconds,
}

/// `dt` moved by `amount` steps (negative moves back).
pub fn add(dt: civil::DateTime, step: Step, amount: i64) -> Result<civil::DateTime, String> {
    let span = match step {
        Step::Years => Span::new().try_years(amount),
        Step::Months => Span::new().try_months(amount),
        Step::Weeks => Span::new().try_weeks(amount),
        Step::Days => Span::new().try_days(amount),
        Step::Hours => Span::new().try_hours(amount),
        Step::Minutes => Span::new().try_minutes(amount),
        Step::Seconds => Span::new().try_seconds(amount),
    }
    .map_err(|_| out_of_range(amount))?;
    dt.checked_add(span).map_err(|_| out_of_range(amount))
}

/// `dt` (wall time in `tz`) moved by `amount` steps. Hours, minutes and seconds are elapsed
/// time, so they cross a daylight-saving change as a clock on the wall would (01:30 + 1 hour
/// on a spring-forward night is 03:30); days and longer steps move the calendar and keep the
/// time of day.
pub fn add_in_zone(
    dt: civil::DateTime,
    step: Step,
    amount: i64,
    tz: &jiff::tz::TimeZone,
) -> Result<civil::DateTime, String> {
    if !matches!(step, Step::Hours | Step::Minutes | Step::Seconds) {
        return add(dt, step, amount);
    }
    let Ok(zoned) = dt.to_zoned(tz.clone()) else {
        return add(dt, step, amount);
    };
    let span = match step {
        Step::Hours => Span::new().try_hours(amount),
        Step::Minutes => Span::new().try_minutes(amount),
        _ => Span::new().try_seconds(amount),
    }
    .map_err(|_| out_of_range(amount))?;
    zoned
        .checked_add(span)
        .map(|z| z.datetime())
        .map_err(|_| out_of_range(amount))
}

fn out_of_range(amount: i64) -> String {
    format!("adding {amount} gives a date outside the supported range (years 1-9999)")
}

/// Whole `unit`s (years, months, hours, ...) from `from` to `to`, truncated toward zero.
pub fn between(from: civil::DateTime, to: civil::DateTime, unit: Unit) -> Result<i64, String> {
    let span = from
        .until((unit, to))
        .map_err(|e| format!("cannot compute the difference: {e}"))?;
    Ok(match unit {
        Unit::Year => i64::from(span.get_years()),
        Unit::Month => i64::from(span.get_months()),
        Unit::Week => i64::from(span.get_weeks()),
        Unit::Day => i64::from(span.get_days()),
        Unit::Hour => i64::from(span.get_hours()),
        Unit::Minute => span.get_minutes(),
        _ => span.get_seconds(),
    })
}

/// Calendar days from the date of `from` to the date of `to` (times of day ignored).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until((Unit::Day, to))
        .map_or(0, |span| i64::from(span.get_days()))
}

/// Days between two dates on a 360-day year (US/NASD method, like spreadsheet `DAYS360`):
/// a start on the month's last day counts as the 30th; an end on the 31st counts as the 30th
/// when the start is the 30th or later, else as the 1st of the next month.
pub fn days360(from: Date, to: Date) -> i64 {
    let mut d1 = i64::from(from.day());
    let mut d2 = i64::from(to.day());
    let (y1, m1) = (i64::from(from.year()), i64::from(from.month()));
    let (mut y2, mut m2) = (i64::from(to.year()), i64::from(to.month()));
    if from == from.last_of_month() {
        d1 = 30;
    }
    if d2 == 31 {
        if d1 < 30 {
            d2 = 1;
            m2 += 1;
            if m2 > 12 {
                m2 = 1;
                y2 += 1;
            }
        } else {
            d2 = 30;
        }
    }
    (y2 - y1) * 360 + (m2 - m1) * 30 + (d2 - d1)
}

/// True for Saturday and Sunday when `weekends` is empty, else for the listed days.
fn is_weekend(date: Date, weekends: &[Weekday]) -> bool {
    if weekends.is_empty() {
        matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
    } else {
        weekends.contains(&date.weekday())
    }
}

/// `dt` moved by `amount` business days: days that are neither weekend days (`weekends`,
/// Saturday and Sunday when empty) nor `holidays`. Zero returns `dt` unchanged.
pub fn add_business_days(
    dt: civil::DateTime,
    amount: i64,
    weekends: &[Weekday],
    holidays: &[Date],
) -> Result<civil::DateTime, String> {
    if weekends.len() >= 7 {
        return Err("every day of the week is a weekend day; no business days exist".to_owned());
    }
    let step = if amount < 0 { -1 } else { 1 };
    let mut left = amount.unsigned_abs();
    let mut date = dt.date();
    while left > 0 {
        date = date
            .checked_add(Span::new().days(step))
            .map_err(|_| out_of_range(amount))?;
        if !is_weekend(date, weekends) && !holidays.contains(&date) {
            left -= 1;
        }
    }
    Ok(date.to_datetime(dt.time()))
}

/// The next date after `date` (never `date` itself) that falls on `weekday`; backwards when
/// `forward` is false.
pub fn next_weekday(date: Date, weekday: Weekday, forward: bool) -> Result<Date, String> {
    let result = if forward {
        date.nth_weekday(1, weekday)
    } else {
        date.nth_weekday(-1, weekday)
    };
    result.map_err(|e| format!("no such date: {e}"))
}

/// The Sunday on or before `date` (weeks start on Sunday).
pub fn start_of_week(date: Date) -> Date {
    let back = i64::from(date.weekday().to_sunday_zero_offset());
    date.checked_sub(Span::new().days(back)).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> civil::DateTime {
        s.parse().unwrap()
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn month_arithmetic_clamps_to_month_end() {
        assert_eq!(
            add(dt("2019-01-31T10:00"), Step::Months, 1).unwrap(),
            dt("2019-02-28T10:00")
        );
        assert_eq!(
            add(dt("2020-01-31T00:00"), Step::Months, 1).unwrap(),
            dt("2020-02-29T00:00")
        );
        assert_eq!(
            add(dt("2020-02-29T00:00"), Step::Years, 1).unwrap(),
            dt("2021-02-28T00:00")
        );
        assert_eq!(
            add(dt("2019-03-31T00:00"), Step::Months, -1).unwrap(),
            dt("2019-02-28T00:00")
        );
        assert_eq!(
            add(dt("2013-08-21T16:04:37"), Step::Months, 3).unwrap(),
            dt("2013-11-21T16:04:37")
        );
        assert_eq!(
            add(dt("2013-08-21T16:04:37"), Step::Years, -3).unwrap(),
            dt("2010-08-21T16:04:37")
        );
    }

    #[test]
    fn hours_are_elapsed_time_across_dst() {
        let la = jiff::tz::TimeZone::get("America/Los_Angeles").unwrap();
        let night = dt("2024-03-10T01:30");
        assert_eq!(
            add_in_zone(night, Step::Hours, 1, &la).unwrap(),
            dt("2024-03-10T03:30")
        );
        assert_eq!(
            add_in_zone(night, Step::Days, 1, &la).unwrap(),
            dt("2024-03-11T01:30")
        );
        assert_eq!(
            add_in_zone(dt("2024-03-10T03:30"), Step::Minutes, -60, &la).unwrap(),
            dt("2024-03-10T01:30")
        );
        let utc = jiff::tz::TimeZone::UTC;
        assert_eq!(
            add_in_zone(night, Step::Hours, 1, &utc).unwrap(),
            dt("2024-03-10T02:30")
        );
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert_eq!(
            add(dt("2019-01-01T00:00"), Step::Years, 20_000).unwrap_err(),
            "adding 20000 gives a date outside the supported range (years 1-9999)"
        );
        assert!(add(dt("2019-01-01T00:00"), Step::Seconds, i64::MAX).is_err());
    }

    #[test]
    fn differences() {
        assert_eq!(days_between(d("2019-01-01"), d("2019-12-31")), 364);
        assert_eq!(days_between(d("2020-01-01"), d("2020-12-31")), 365);
        assert_eq!(days_between(d("2020-12-31"), d("2020-01-01")), -365);
        assert_eq!(
            between(dt("2013-05-20T00:00"), dt("2013-08-20T00:00"), Unit::Month),
            Ok(3)
        );
        assert_eq!(
            between(dt("2013-05-20T00:00"), dt("2013-08-19T00:00"), Unit::Month),
            Ok(2)
        );
        assert_eq!(
            between(dt("2010-05-20T00:00"), dt("2013-05-19T00:00"), Unit::Year),
            Ok(2)
        );
        assert_eq!(
            between(dt("2019-01-01T00:00"), dt("2019-01-02T01:30"), Unit::Hour),
            Ok(25)
        );
    }

    #[test]
    fn days360_us_method() {
        assert_eq!(days360(d("2019-01-01"), d("2019-12-31")), 360);
        assert_eq!(days360(d("2019-01-30"), d("2019-02-28")), 28);
        assert_eq!(days360(d("2019-02-28"), d("2019-03-31")), 30);
        assert_eq!(days360(d("2019-01-15"), d("2019-03-31")), 76);
    }

    #[test]
    fn business_days() {
        let friday = dt("2019-08-16T09:00");
        assert_eq!(
            add_business_days(friday, 1, &[], &[]).unwrap(),
            dt("2019-08-19T09:00")
        );
        assert_eq!(
            add_business_days(friday, 5, &[], &[]).unwrap(),
            dt("2019-08-23T09:00")
        );
        assert_eq!(
            add_business_days(dt("2019-08-19T09:00"), -1, &[], &[]).unwrap(),
            friday
        );
        assert_eq!(
            add_business_days(friday, 1, &[], &[d("2019-08-19")]).unwrap(),
            dt("2019-08-20T09:00")
        );
        assert_eq!(
            add_business_days(friday, 1, &[Weekday::Friday, Weekday::Saturday], &[]).unwrap(),
            dt("2019-08-18T09:00")
        );
        let all = [
            Weekday::Sunday,
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
        ];
        assert!(add_business_days(friday, 1, &all, &[]).is_err());
    }

    #[test]
    fn week_days() {
        let wed = d("2021-07-21");
        assert_eq!(
            next_weekday(wed, Weekday::Monday, false).unwrap(),
            d("2021-07-19")
        );
        assert_eq!(
            next_weekday(wed, Weekday::Wednesday, false).unwrap(),
            d("2021-07-14")
        );
        assert_eq!(
            next_weekday(wed, Weekday::Wednesday, true).unwrap(),
            d("2021-07-28")
        );
        assert_eq!(start_of_week(wed), d("2021-07-18"));
        assert_eq!(start_of_week(d("2021-07-18")), d("2021-07-18"));
    }
}
