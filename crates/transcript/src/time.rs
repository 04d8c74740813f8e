//! Timestamps: parsing them leniently and printing them back in the style they were written in.
//!
//! A minimal diff depends on this: when a cue's start moves, its new timestamp must look like
//! its old one (hours or not, `.` or `,`, the same number of digits), or every timing edit
//! would reformat the line around it.

use serde::{Deserialize, Serialize};

/// How a timestamp is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeStyle {
    /// Digits of the hour field; 0 when the timestamp has no hours (`MM:SS.mmm`).
    pub hour_digits: u8,
    /// Digits of the minute field (2 in VTT and SRT; old TXT files may use 1).
    pub minute_digits: u8,
    /// The separator before the fraction (`.` or `,`), or `None` for whole seconds (TXT).
    pub frac_sep: Option<char>,
    /// Digits of the fraction (3 for milliseconds; 0 when there is no fraction).
    pub frac_digits: u8,
}

impl TimeStyle {
    /// `HH:MM:SS.mmm`, the WebVTT style.
    pub const VTT: TimeStyle = TimeStyle {
        hour_digits: 2,
        minute_digits: 2,
        frac_sep: Some('.'),
        frac_digits: 3,
    };
    /// `HH:MM:SS,mmm`, the SRT style.
    pub const SRT: TimeStyle = TimeStyle {
        hour_digits: 2,
        minute_digits: 2,
        frac_sep: Some(','),
        frac_digits: 3,
    };
    /// `HH:MM:SS`, the Talk Python TXT style.
    pub const TXT: TimeStyle = TimeStyle {
        hour_digits: 2,
        minute_digits: 2,
        frac_sep: None,
        frac_digits: 0,
    };

    /// Prints `ms` in this style. Whole seconds are truncated, never rounded; a style
    /// without hours gains a two-digit hour field once the time reaches one hour.
    pub fn format(&self, ms: u32) -> String {
        let total_s = ms / 1000;
        let h = total_s / 3600;
        let m = (total_s / 60) % 60;
        let s = total_s % 60;
        let mut out = String::with_capacity(16);
        if self.hour_digits > 0 || h > 0 {
            let width = if self.hour_digits > 0 {
                usize::from(self.hour_digits)
            } else {
                2
            };
            out.push_str(&format!("{h:0width$}:"));
            out.push_str(&format!("{m:02}:"));
        } else {
            let width = usize::from(self.minute_digits.max(1));
            out.push_str(&format!("{m:0width$}:"));
        }
        out.push_str(&format!("{s:02}"));
        if let Some(sep) = self.frac_sep {
            let digits = u32::from(self.frac_digits.clamp(1, 3));
            let frac = (ms % 1000) / 10u32.pow(3 - digits);
            let width = digits as usize;
            out.push(sep);
            out.push_str(&format!("{frac:0width$}"));
        }
        out
    }
}

/// Parses a clock timestamp: `[H…:]MM:SS[.mmm|,mmm]`, with 1–3 fraction digits.
///
/// Minutes and seconds must be below 60; times past `u32::MAX` milliseconds are rejected.
/// Returns the time in milliseconds and the style it was written in.
pub fn parse_clock(s: &str) -> Option<(u32, TimeStyle)> {
    // Hand-rolled: this runs for every cue of every file, and `check` is benchmarked
    // against ripgrep. The two shapes almost every real file uses take a fast path.
    let b = s.as_bytes();
    if let Some(fast) = parse_fixed(b) {
        return Some(fast);
    }
    let mut fields = [(0u64, 0usize); 3];
    let mut n = 0;
    let mut i = 0;
    loop {
        let from = i;
        let mut v: u64 = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            v = v.checked_mul(10)?.checked_add(u64::from(b[i] - b'0'))?;
            i += 1;
        }
        if i == from || n == 3 {
            return None;
        }
        fields[n] = (v, i - from);
        n += 1;
        if i < b.len() && b[i] == b':' {
            i += 1;
            continue;
        }
        break;
    }
    let (frac_sep, frac_ms, frac_digits) = match b.get(i) {
        None => (None, 0, 0),
        Some(&c @ (b'.' | b',')) => {
            let digits = &b[i + 1..];
            if digits.is_empty() || digits.len() > 3 || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let v = digits
                .iter()
                .fold(0u64, |a, d| a * 10 + u64::from(d - b'0'));
            (
                Some(char::from(c)),
                v * 10u64.pow(3 - digits.len() as u32),
                digits.len(),
            )
        }
        Some(_) => return None,
    };
    let ((h, h_len), (m, m_len), (sec, sec_len)) = match n {
        2 => ((0, 0), fields[0], fields[1]),
        3 => (fields[0], fields[1], fields[2]),
        _ => return None,
    };
    if sec_len != 2 || m_len > 2 || (n == 3 && (m_len != 2 || h_len > 9)) || m >= 60 || sec >= 60 {
        return None;
    }
    let total = ((h * 60 + m) * 60 + sec) * 1000 + frac_ms;
    let ms = u32::try_from(total).ok()?;
    let style = TimeStyle {
        hour_digits: h_len as u8,
        minute_digits: m_len as u8,
        frac_sep,
        frac_digits: frac_digits as u8,
    };
    Some((ms, style))
}

/// `HH:MM:SS.mmm` / `HH:MM:SS,mmm`, `MM:SS.mmm` and `HH:MM:SS` exactly.
#[inline]
pub(crate) fn parse_fixed(b: &[u8]) -> Option<(u32, TimeStyle)> {
    let d = |i: usize| -> Option<u32> {
        let c = b[i].wrapping_sub(b'0');
        (c < 10).then_some(u32::from(c))
    };
    let two = |i: usize| -> Option<u32> { Some(d(i)? * 10 + d(i + 1)?) };
    if b.len() == 8 {
        // `HH:MM:SS` (Talk Python TXT)
        if b[2] != b':' || b[5] != b':' {
            return None;
        }
        let (h, m, sec) = (two(0)?, two(3)?, two(6)?);
        if m >= 60 || sec >= 60 {
            return None;
        }
        return Some((((h * 60 + m) * 60 + sec) * 1000, TimeStyle::TXT));
    }
    let (h, rest, hour_digits) = match b.len() {
        12 if b[2] == b':' => (two(0)?, 3, 2),
        9 => (0, 0, 0),
        _ => return None,
    };
    if b[rest + 2] != b':' || !(b[rest + 5] == b'.' || b[rest + 5] == b',') {
        return None;
    }
    let (m, sec) = (two(rest)?, two(rest + 3)?);
    let ms = d(rest + 6)? * 100 + d(rest + 7)? * 10 + d(rest + 8)?;
    if m >= 60 || sec >= 60 {
        return None;
    }
    let style = TimeStyle {
        hour_digits,
        minute_digits: 2,
        frac_sep: Some(char::from(b[rest + 5])),
        frac_digits: 3,
    };
    Some((((h * 60 + m) * 60 + sec) * 1000 + ms, style))
}

/// `HH:MM:SS.mmm`, the display form used by the command line and the UI.
pub fn format_hms(ms: u32) -> String {
    TimeStyle::VTT.format(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_styles() {
        for s in [
            "00:01:02.345",
            "01:02.345",
            "00:00:01,000",
            "1:02:03.004",
            "00:07:41",
            "7:41",
            "123:00:00.000",
            "00:00:01.5",
            "00:00:01.50",
        ] {
            let (ms, style) = parse_clock(s).unwrap_or_else(|| panic!("{s} should parse"));
            assert_eq!(style.format(ms), s, "style of {s}");
        }
    }

    #[test]
    fn values() {
        assert_eq!(parse_clock("00:01:02.345").map(|x| x.0), Some(62_345));
        assert_eq!(parse_clock("01:02.5").map(|x| x.0), Some(62_500));
        assert_eq!(parse_clock("00:07:41").map(|x| x.0), Some(461_000));
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "1",
            "aa:bb",
            "00:60.000",
            "00:00:61.000",
            "00:00.0000",
            "00:00.",
            "99999999999:00:00.000",
            "00:1:00.000",
            "-1:00.000",
        ] {
            assert!(parse_clock(s).is_none(), "{s} should not parse");
        }
    }

    #[test]
    fn no_hour_style_grows_hours_and_truncates() {
        let (_, style) = parse_clock("01:02.345").unwrap();
        assert_eq!(style.format(3_600_000 + 62_345), "01:01:02.345");
        assert_eq!(TimeStyle::TXT.format(2_999), "00:00:02");
    }
}
