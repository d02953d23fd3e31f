//! Splitting a long range into the windows `getmsglist` accepts.

use super::MAX_SPAN_SECS;

/// China Standard Time (UTC+8), the clock of WeChat's days.
const CHINA_OFFSET_SECS: i64 = 8 * 60 * 60;

/// The windows covering `[start, end]`, in order: each ends where the next starts, lies within
/// one day of China time (from one midnight to the next, both included), and so is never longer
/// than 24 hours.
///
/// The current documentation only limits a query to 24 hours; the legacy one also forbade
/// crossing midnight. Windows that satisfy both are accepted under either reading. A range that
/// does not end after it starts is one window, which the request then refuses with the reason.
///
/// ```
/// // 22:00 to 02:00 the next day, China time: two windows, split at midnight.
/// let start = 1_700_056_800; // 2023-11-15 22:00 +08:00
/// let windows: Vec<_> = wechat_mp::records::windows(start, start + 4 * 3600).collect();
/// assert_eq!(windows, [(start, start + 7200), (start + 7200, start + 4 * 3600)]);
/// ```
pub fn windows(start: i64, end: i64) -> impl Iterator<Item = (i64, i64)> {
    let mut from = Some(start);
    std::iter::from_fn(move || {
        let at = from?;
        if end <= at {
            // Only reached first: later windows stop exactly at `end`.
            from = None;
            return Some((at, end));
        }
        // `at < end`, so the clamp's bounds are in order; it also keeps saturated arithmetic
        // at the ends of time moving forward.
        let until = next_midnight(at).clamp(at + 1, end);
        from = (until < end).then_some(until);
        Some((at, until))
    })
}

/// The first China-time midnight strictly after `t`.
fn next_midnight(t: i64) -> i64 {
    let day = t
        .saturating_add(CHINA_OFFSET_SECS)
        .div_euclid(MAX_SPAN_SECS);
    day.saturating_add(1)
        .saturating_mul(MAX_SPAN_SECS)
        .saturating_sub(CHINA_OFFSET_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-01-01 00:00 +08:00.
    const MIDNIGHT: i64 = 1_704_038_400;

    #[test]
    fn a_range_within_a_day_is_one_window() {
        let all: Vec<_> = windows(MIDNIGHT + 60, MIDNIGHT + 120).collect();
        assert_eq!(all, [(MIDNIGHT + 60, MIDNIGHT + 120)]);
    }

    #[test]
    fn a_whole_day_from_midnight_to_midnight_is_one_window() {
        let all: Vec<_> = windows(MIDNIGHT, MIDNIGHT + MAX_SPAN_SECS).collect();
        assert_eq!(all, [(MIDNIGHT, MIDNIGHT + MAX_SPAN_SECS)]);
    }

    #[test]
    fn long_ranges_split_at_every_midnight() {
        let start = MIDNIGHT - 3600;
        let end = MIDNIGHT + 2 * MAX_SPAN_SECS + 5;
        let all: Vec<_> = windows(start, end).collect();
        assert_eq!(
            all,
            [
                (start, MIDNIGHT),
                (MIDNIGHT, MIDNIGHT + MAX_SPAN_SECS),
                (MIDNIGHT + MAX_SPAN_SECS, MIDNIGHT + 2 * MAX_SPAN_SECS),
                (MIDNIGHT + 2 * MAX_SPAN_SECS, end),
            ]
        );
        assert!(
            all.iter()
                .all(|(from, to)| to - from <= MAX_SPAN_SECS && to > from)
        );
        assert!(all.windows(2).all(|pair| pair[0].1 == pair[1].0));
    }

    #[test]
    fn an_empty_or_reversed_range_is_one_window_for_the_request_to_refuse() {
        assert_eq!(windows(5, 5).collect::<Vec<_>>(), [(5, 5)]);
        assert_eq!(windows(9, 3).collect::<Vec<_>>(), [(9, 3)]);
    }

    #[test]
    fn extreme_times_neither_panic_nor_loop() {
        assert_eq!(windows(i64::MAX - 1, i64::MAX).count(), 1);
        assert!(windows(i64::MIN, i64::MIN + 10).count() >= 1);
    }
}
