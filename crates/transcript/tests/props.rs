//! Property tests: round-trips for arbitrary bytes and transcript-like text, random edit
//! sequences that keep the model and its bytes in step and undo back to the original, and
//! replacements that never touch the characters around a match.

mod support;

use cueline_transcript::search::{Matcher, Query};
use cueline_transcript::{Document, Edit, Format, Session};
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use support::assert_consistent;

/// Deterministic in CI (a fixed seed, 512 cases); explore with `PROPTEST_RNG_SEED=<n>` and
/// `PROPTEST_CASES=<n>`.
fn config() -> ProptestConfig {
    let mut c = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 512;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        c.rng_seed = RngSeed::Fixed(20_261_126);
    }
    c.failure_persistence = None;
    c
}

fn format() -> impl Strategy<Value = Format> {
    prop_oneof![Just(Format::Vtt), Just(Format::Srt), Just(Format::Txt)]
}

const PIECES: &[&str] = &[
    "WEBVTT",
    "WEBVTT - title",
    "\n",
    "\n",
    "\n",
    "\r\n",
    "\r",
    "\n\n",
    "\u{feff}",
    "00:00:01.000 --> 00:00:02.000",
    "00:01.500 --> 00:03.000 align:start",
    "00:00:03.000-->00:00:01.000",
    "00:00:01,000 --> 00:00:02,000",
    "1",
    "12",
    "NOTE",
    "NOTE x",
    "STYLE",
    "REGION",
    " ",
    "\t",
    "-->",
    "hello",
    "world.",
    "<v A>",
    "- ",
    "00:00:05 ",
    "7:41 ",
    "1:02:03 ",
    "é日",
    "00:0x.000 --> 1",
    "99:99:99.999",
];

fn transcript_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

/// A mostly well-formed file of `format`: cues with random line endings, blank-line runs,
/// identifiers, settings, empty payloads, and the odd unparseable block.
fn structured() -> impl Strategy<Value = (Format, String)> {
    let ending = prop::sample::select(&["\n", "\n", "\r\n", "\r"][..]);
    let cue = (
        0u32..4000,
        0u32..4000,
        prop::sample::select(&["", "", "id-1", "7"][..]),
        prop::sample::select(&["", "", " align:start"][..]),
        prop::collection::vec(
            prop::sample::select(&["Hello world.", "  spaced  ", "<v A>Hi", "- dash", "日本"][..]),
            0..3,
        ),
        ending,
        0usize..3,
        prop::sample::select(&["", "", "", "junk line\n\n", "NOTE n\n\n"][..]),
    );
    (format(), prop::collection::vec(cue, 0..8), any::<bool>()).prop_map(
        |(f, cues, final_newline)| {
            let mut out = if f == Format::Vtt {
                String::from("WEBVTT\n\n")
            } else {
                String::new()
            };
            for (i, (start, len, id, settings, lines, le, blanks, junk)) in cues.iter().enumerate()
            {
                let ms = |t: u32| {
                    if f == Format::Srt {
                        format!("00:00:{:02},{:03}", t / 1000 % 60, t % 1000)
                    } else {
                        format!("00:00:{:02}.{:03}", t / 1000 % 60, t % 1000)
                    }
                };
                if f == Format::Txt {
                    out.push_str(&format!(
                        "00:{:02}:{:02} {}{le}",
                        start / 60 % 60,
                        start % 60,
                        lines.join(" ")
                    ));
                } else {
                    if !id.is_empty() {
                        out.push_str(&format!("{id}{le}"));
                    }
                    out.push_str(&format!(
                        "{} --> {}{settings}{le}",
                        ms(*start),
                        ms(start + len)
                    ));
                    for l in lines {
                        out.push_str(&format!("{l}{le}"));
                    }
                }
                let last = i + 1 == cues.len();
                for _ in 0..*blanks {
                    out.push_str(le);
                }
                if !last {
                    out.push_str(junk);
                }
            }
            if !final_newline {
                while out.ends_with(['\n', '\r']) {
                    out.pop();
                }
            }
            (f, out)
        },
    )
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(&["a", "b c", " ", "\n", "-->", "", "ü", "."][..]),
        0..6,
    )
    .prop_map(|v| v.concat())
}

fn edit() -> impl Strategy<Value = Edit> {
    let idx = 0usize..6;
    let ms = prop::sample::select(&[0u32, 500, 1000, 1500, 2000, 3_600_000][..]);
    prop_oneof![
        (idx.clone(), text()).prop_map(|(cue, text)| Edit::SetText { cue, text }),
        (
            idx.clone(),
            prop::option::of(ms.clone()),
            prop::option::of(ms.clone())
        )
            .prop_map(|(cue, start_ms, end_ms)| Edit::SetTiming {
                cue,
                start_ms,
                end_ms
            }),
        (
            idx.clone(),
            ms.clone(),
            prop::option::of(ms.clone()),
            text()
        )
            .prop_map(|(at, start_ms, end_ms, text)| Edit::Insert {
                at,
                start_ms,
                end_ms,
                text
            }),
        idx.clone().prop_map(|cue| Edit::Delete { cue }),
        (idx.clone(), 0usize..12, ms).prop_map(|(cue, at_char, at_ms)| Edit::Split {
            cue,
            at_char,
            at_ms
        }),
        idx.prop_map(|cue| Edit::Merge { cue }),
        Just(Edit::Renumber),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..600), f in format()) {
        let doc = Document::parse(&bytes, f);
        let report = cueline_transcript::check(&bytes, f);
        prop_assert_eq!((report.cues, report.diagnostics), (doc.cue_count(), doc.diagnostics()));
        prop_assert_eq!(doc.print(), bytes);
        assert_consistent(&doc, "parse");
    }

    #[test]
    fn transcript_like_text_round_trips(text in transcript_like(), f in format()) {
        let doc = Document::parse(text.as_bytes(), f);
        let report = cueline_transcript::check(text.as_bytes(), f);
        let mut cues = Vec::new();
        let with = cueline_transcript::check_with_cues(text.as_bytes(), f, true, &mut |c| {
            let lines = c.text.replace("\r\n", "\n").replace('\r', "\n");
            cues.push((c.start_ms, c.line, lines.strip_suffix('\n').unwrap_or(&lines).to_owned()));
        });
        prop_assert_eq!(&with.report, &report);
        let expected: Vec<(u32, usize, String)> = doc.cues().map(|c| (c.start_ms, c.line, c.text)).collect();
        prop_assert_eq!(cues, expected);
        prop_assert_eq!((report.cues, report.diagnostics), (doc.cue_count(), doc.diagnostics()));
        prop_assert_eq!(doc.print(), text.as_bytes());
        assert_consistent(&doc, "parse");
    }

    #[test]
    fn random_edits_stay_consistent_and_undo_to_the_original(
        text in transcript_like(),
        f in format(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let original = text.into_bytes();
        let mut s = Session::new(Document::parse(&original, f));
        let mut steps = 0;
        for e in &edits {
            let before = s.document().print();
            let had_undo = s.can_undo();
            match s.apply(e) {
                Ok(()) => {
                    assert_consistent(s.document(), &format!("{e:?}"));
                    if s.document().print() != before || (s.can_undo() && !had_undo) {
                        steps += 1;
                    }
                }
                Err(_) => prop_assert_eq!(s.document().print(), before, "a refused edit changed the document"),
            }
        }
        for _ in 0..steps {
            prop_assert!(s.undo());
        }
        prop_assert_eq!(s.document().print(), original);
    }

    #[test]
    fn random_edits_on_well_formed_files(
        (f, text) in structured(),
        edits in prop::collection::vec(edit(), 1..10),
    ) {
        let original = text.into_bytes();
        let mut s = Session::new(Document::parse(&original, f));
        let mut states = vec![original.clone()];
        for e in &edits {
            let before = s.document().print();
            match s.apply(e) {
                Ok(()) => {
                    assert_consistent(s.document(), &format!("{e:?}"));
                    let now = s.document().print();
                    if now != before { states.push(now); }
                }
                Err(_) => prop_assert_eq!(s.document().print(), before, "a refused edit changed the document"),
            }
        }
        for want in states.iter().rev().skip(1) {
            prop_assert!(s.undo());
            prop_assert_eq!(&s.document().print(), want);
        }
        prop_assert_eq!(s.document().print(), original);
    }

    #[test]
    fn literal_replace_touches_nothing_but_the_match(
        words in prop::collection::vec(prop::sample::select(&["rough", "roughly", "uv", "tool", "install", "ruff", "Rough"][..]), 0..12),
        seps in prop::collection::vec(prop::sample::select(&[" ", "  ", ", ", ".", "-", "_", "", "\n", "(", ")"][..]), 12),
    ) {
        let text: String = words.iter().zip(&seps).map(|(w, s)| format!("{w}{s}")).collect();
        let plain = Matcher::new(&Query { pattern: "rough".into(), ..Query::default() }).expect("query");
        prop_assert_eq!(plain.replace(&text, "ruff").0, text.replace("rough", "ruff"));
        let word = Matcher::new(&Query { pattern: "rough".into(), whole_word: true, ..Query::default() }).expect("query");
        let (out, n) = word.replace(&text, "ruff");
        // the expected result, built independently: replace whole tokens only
        let mut expected = String::new();
        let mut token = String::new();
        let mut count = 0;
        for c in text.chars().chain(std::iter::once('\u{0}')) {
            if c.is_alphanumeric() || c == '_' {
                token.push(c);
                continue;
            }
            if token == "rough" { expected.push_str("ruff"); count += 1; } else { expected.push_str(&token); }
            token.clear();
            if c != '\u{0}' { expected.push(c); }
        }
        prop_assert_eq!(out, expected);
        prop_assert_eq!(n, count);
    }
}
