//! Every fixture round-trips byte for byte and parses into the cues and diagnostics expected
//! of it. The fixtures cover each format case real files contain (see tests/fixtures).

mod support;

use cueline_transcript::{Document, Encoding, Severity};

#[test]
fn every_fixture_round_trips() {
    let all = support::fixtures();
    assert!(all.len() >= 40, "fixtures missing: {}", all.len());
    for (name, format, bytes) in all {
        let doc = Document::parse(&bytes, format);
        assert!(doc.print() == bytes, "{name} did not round-trip");
        support::assert_consistent(&doc, &name);
        let report = cueline_transcript::check(&bytes, format);
        assert_eq!(
            (report.cues, report.diagnostics),
            (doc.cue_count(), doc.diagnostics()),
            "{name}: check"
        );
        // the same pass hands out every cue's start, line and text lines, as the document has
        let mut cues = Vec::new();
        let with = cueline_transcript::check_with_cues(&bytes, format, true, &mut |c| {
            let lines = c.text.replace("\r\n", "\n").replace('\r', "\n");
            let text = lines.strip_suffix('\n').unwrap_or(&lines).to_owned();
            cues.push((c.start_ms, c.line, text));
        });
        assert_eq!(
            with.report,
            cueline_transcript::check(&bytes, format),
            "{name}"
        );
        assert_eq!(with.read_only.as_deref(), doc.read_only_reason(), "{name}");
        let expected: Vec<(u32, usize, String)> =
            doc.cues().map(|c| (c.start_ms, c.line, c.text)).collect();
        assert_eq!(cues, expected, "{name}: check_with_cues");
    }
}

/// (fixture, cues, errors, warnings, read-only)
const EXPECTED: &[(&str, usize, usize, usize, bool)] = &[
    ("srt/basic.srt", 2, 0, 0, false),
    ("srt/bom-crlf.srt", 2, 0, 0, false),
    ("srt/coords-spaces.srt", 2, 0, 0, false),
    ("srt/dot-millis.srt", 1, 0, 0, false),
    ("srt/invalid.srt", 1, 2, 0, false),
    ("srt/no-blank-between.srt", 2, 0, 0, false),
    ("srt/numbering.srt", 4, 0, 0, false),
    ("srt/utf16be.srt", 1, 0, 0, false),
    ("txt/binary.txt", 0, 1, 0, true),
    ("txt/crlf.txt", 2, 0, 0, false),
    ("txt/latin1.txt", 0, 1, 0, true),
    ("txt/mmss.txt", 3, 0, 0, false),
    ("txt/no-final-newline.txt", 1, 0, 0, false),
    ("txt/single-newline-end.txt", 2, 0, 0, false),
    ("txt/speakers-prose.txt", 2, 0, 0, false),
    ("txt/talkpython.txt", 3, 0, 0, false),
    ("vtt/basic.vtt", 2, 0, 0, false),
    ("vtt/blank-runs.vtt", 3, 0, 0, false),
    ("vtt/bom-crlf.vtt", 2, 0, 0, false),
    ("vtt/cr-only.vtt", 2, 0, 0, false),
    ("vtt/empty-payload.vtt", 3, 0, 0, false),
    ("vtt/empty.vtt", 0, 0, 0, false),
    ("vtt/ends-double-newline.vtt", 2, 0, 0, false),
    ("vtt/header-no-blank.vtt", 1, 0, 0, false),
    ("vtt/header-only.vtt", 0, 0, 0, false),
    ("vtt/header-text.vtt", 1, 0, 0, false),
    ("vtt/identifiers.vtt", 3, 0, 0, false),
    ("vtt/invalid-blocks.vtt", 2, 3, 0, false),
    ("vtt/invalid-utf8.vtt", 0, 1, 0, true),
    ("vtt/leading-blank.vtt", 1, 0, 0, false),
    ("vtt/missing-header.vtt", 1, 1, 0, false),
    ("vtt/mixed-endings.vtt", 3, 0, 0, false),
    ("vtt/multiline-voices.vtt", 3, 0, 0, false),
    ("vtt/no-final-newline.vtt", 2, 0, 0, false),
    ("vtt/no-hours.vtt", 2, 0, 0, false),
    ("vtt/note-style-region.vtt", 2, 0, 0, false),
    ("vtt/odd-timing.vtt", 7, 0, 6, false),
    ("vtt/spaces.vtt", 3, 0, 0, false),
    ("vtt/unicode.vtt", 1, 0, 0, false),
    ("vtt/utf16-odd.vtt", 0, 1, 0, true),
    ("vtt/utf16le.vtt", 1, 0, 0, false),
];

#[test]
fn fixtures_parse_as_expected() {
    let all = support::fixtures();
    assert_eq!(
        all.len(),
        EXPECTED.len(),
        "every fixture needs an expectation"
    );
    for ((name, format, bytes), &(want, cues, errors, warnings, read_only)) in
        all.iter().zip(EXPECTED)
    {
        assert_eq!(name, want);
        let doc = Document::parse(bytes, *format);
        let diags = doc.diagnostics();
        let count = |s| diags.iter().filter(|d| d.severity == s).count();
        assert_eq!(doc.cue_count(), cues, "{name}: cues");
        assert_eq!(count(Severity::Error), errors, "{name}: errors {diags:?}");
        assert_eq!(
            count(Severity::Warning),
            warnings,
            "{name}: warnings {diags:?}"
        );
        assert_eq!(
            doc.read_only_reason().is_some(),
            read_only,
            "{name}: read-only"
        );
    }
}

#[test]
fn details_of_odd_files() {
    let parse = |name| {
        let (f, b) = support::fixture(name);
        Document::parse(&b, f)
    };
    let doc = parse("vtt/identifiers.vtt");
    let first = doc.cue(0).expect("cue 0");
    assert_eq!(first.identifier, Some("intro-1"));
    assert_eq!(first.settings, Some("line:90% position:10%"));
    assert_eq!(first.line, 4);

    let doc = parse("vtt/spaces.vtt");
    assert_eq!(
        doc.cue(0).expect("cue").text,
        "   leading spaces\ntrailing spaces   "
    );

    let doc = parse("vtt/multiline-voices.vtt");
    assert_eq!(doc.cue(1).expect("cue").text, "- Is it on?\n- It is.");

    let doc = parse("vtt/invalid-blocks.vtt");
    let lines: Vec<usize> = doc.diagnostics().iter().map(|d| d.line).collect();
    assert_eq!(lines, vec![6, 9, 15]);
    let invalid = doc.invalid_blocks();
    assert_eq!(
        invalid.iter().map(|b| b.line).collect::<Vec<_>>(),
        vec![6, 9, 15]
    );
    assert_eq!(
        invalid[1].text,
        "Just some stray text\nwithout any timing line"
    );
    assert_eq!(
        invalid[1].message,
        "not a cue: no timing line (`-->`) in this block"
    );

    let doc = parse("txt/mmss.txt");
    assert_eq!(doc.cue(1).expect("entry").start_ms, 461_000);

    assert_eq!(parse("vtt/bom-crlf.vtt").encoding(), Encoding::Utf8Bom);
    assert_eq!(parse("vtt/utf16le.vtt").encoding(), Encoding::Utf16LeBom);
    assert_eq!(parse("srt/utf16be.srt").encoding(), Encoding::Utf16BeBom);
    let reason = parse("vtt/invalid-utf8.vtt")
        .read_only_reason()
        .map(str::to_owned);
    assert_eq!(
        reason.as_deref(),
        Some("not valid UTF-8 (invalid byte at offset 49); opened read-only")
    );

    let doc = parse("srt/numbering.srt");
    let ids: Vec<_> = doc
        .cues()
        .map(|c| c.identifier.map(str::to_owned))
        .collect();
    assert_eq!(
        ids,
        vec![Some("1".into()), Some("1".into()), None, Some("7".into())]
    );
}

#[test]
fn check_with_cues_counts_lines_past_identifiers_and_warnings() {
    let text = "WEBVTT\n\nid\n00:00:01.000 --> 00:00:01.000\nzero\n\nx\r\n00:00:00.500 --> 00:00:02.000\r\nback\r\nagain\r\n";
    let mut cues = Vec::new();
    let with = cueline_transcript::check_with_cues(
        text.as_bytes(),
        cueline_transcript::Format::Vtt,
        true,
        &mut |c| cues.push((c.start_ms, c.line, c.text.to_owned())),
    );
    let plain = cueline_transcript::check(text.as_bytes(), cueline_transcript::Format::Vtt);
    assert_eq!(with.report, plain);
    assert_eq!(plain.diagnostics.len(), 2, "{plain:?}");
    assert_eq!(
        cues,
        [
            (1000, 4, "zero\n".to_owned()),
            (500, 8, "back\r\nagain\r\n".to_owned())
        ]
    );
}
