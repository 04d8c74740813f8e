//! Properties 2–4 of the core: an edit changes only the lines of its cue, new cues copy their
//! neighbour's layout, deletes remove exactly their bytes, and undo restores the original.

mod support;

use cueline_transcript::{Document, Edit, EditError, EditList, Format, Session};
use support::{assert_consistent, changed_lines, fixture, fixtures, split_lines};

fn doc_of(name: &str) -> Document {
    let (f, b) = fixture(name);
    Document::parse(&b, f)
}

fn edited(name: &str, edits: &[Edit]) -> String {
    let mut s = Session::new(doc_of(name));
    for e in edits {
        s.apply(e)
            .unwrap_or_else(|err| panic!("{name}: {e:?} failed: {err}"));
        assert_consistent(s.document(), &format!("{name} {e:?}"));
    }
    String::from_utf8(s.document().print()).expect("utf-8")
}

fn text_edit(old: &str) -> String {
    if old.is_empty() {
        "New text".into()
    } else {
        format!("Edited: {old}")
    }
}

/// Runs `check` on every cue of every editable fixture.
fn for_every_cue(mut check: impl FnMut(&str, &Document, usize)) {
    for (name, format, bytes) in fixtures() {
        let doc = Document::parse(&bytes, format);
        if doc.read_only_reason().is_some() {
            continue;
        }
        for i in 0..doc.cue_count() {
            check(&name, &doc, i);
        }
    }
}

#[test]
fn set_text_changes_only_that_cues_text_lines() {
    for_every_cue(|name, doc, i| {
        let cue = doc.cue(i).expect("cue");
        let old_lines = if cue.text.is_empty() {
            0
        } else {
            cue.text.split('\n').count()
        };
        let text = text_edit(&cue.text);
        let mut s = Session::new(doc.clone());
        s.apply(&Edit::SetText {
            cue: i,
            text: text.clone(),
        })
        .expect("set_text");
        assert_consistent(s.document(), name);
        assert_eq!(
            s.document().cue(i).expect("cue").text,
            text,
            "{name} cue {i}"
        );
        let before = doc.print();
        // lines are compared on the decoded text (UTF-16 files have two-byte line endings)
        let (old, _) = changed_lines(doc.text().as_bytes(), s.document().text().as_bytes());
        // text lines are the `old_lines` lines after the timing line (`cue.line` is 1-based)
        let text_lines = cue.line..cue.line + old_lines;
        let ok = if doc.format() == Format::Txt {
            true // checked below: the entry's one line
        } else if old_lines == 0 {
            // an empty cue gains lines after its timing line (which may gain an ending at EOF)
            old.start >= cue.line - 1 && old.end <= cue.line
        } else {
            old.start >= text_lines.start && old.end <= text_lines.end
        };
        assert!(
            ok,
            "{name} cue {i}: changed lines {old:?}, text lines {text_lines:?}"
        );
        if doc.format() == Format::Txt {
            assert_eq!(old, cue.line - 1..cue.line, "{name} entry {i}");
        }
        assert!(s.undo());
        assert!(s.document().print() == before, "{name} cue {i}: undo");
        assert!(s.redo());
        assert_eq!(s.document().cue(i).expect("cue").text, text);
    });
}

#[test]
fn set_timing_rewrites_only_the_timestamps_in_their_own_style() {
    let strip = |line: &[u8]| {
        line.iter()
            .filter(|b| !b.is_ascii_digit())
            .copied()
            .collect::<Vec<u8>>()
    };
    for_every_cue(|name, doc, i| {
        let cue = doc.cue(i).expect("cue");
        // TXT prints whole seconds; elsewhere 1 ms keeps hour-less stamps below the hour
        let delta = if doc.format() == Format::Txt { 1000 } else { 1 };
        let edit = Edit::SetTiming {
            cue: i,
            start_ms: Some(cue.start_ms + delta),
            end_ms: cue.end_ms.map(|e| e.max(cue.start_ms) + delta),
        };
        let mut s = Session::new(doc.clone());
        s.apply(&edit).expect("set_timing");
        assert_consistent(s.document(), name);
        let after = s.document().cue(i).expect("cue");
        assert_eq!(after.start_ms, cue.start_ms + delta, "{name} cue {i}");
        assert_eq!(after.text, cue.text);
        let (before, now) = (doc.text().into_bytes(), s.document().text().into_bytes());
        let (old, new) = changed_lines(&before, &now);
        assert_eq!(
            old,
            cue.line - 1..cue.line,
            "{name} cue {i}: only the timing line"
        );
        assert_eq!(new, old);
        let (a, b) = (
            split_lines(&before)[old.start],
            split_lines(&now)[new.start],
        );
        assert_eq!(strip(a), strip(b), "{name} cue {i}: style kept");
        assert!(s.undo());
        assert!(s.document().print() == doc.print());
    });
}

#[test]
fn delete_removes_exactly_the_cue_block() {
    assert_eq!(
        edited("vtt/note-style-region.vtt", &[Edit::Delete { cue: 0 }]),
        "WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\nREGION\nid:fred width:40%\n\nNOTE This is a comment\nthat spans two lines\n\n\
         NOTE\nanother note between cues\n\n00:00:02.000 --> 00:00:03.000\nAfter the note.\n"
    );
    assert_eq!(
        edited("vtt/identifiers.vtt", &[Edit::Delete { cue: 1 }]),
        "WEBVTT\n\nintro-1\n00:00:01.000 --> 00:00:02.000 line:90% position:10%\nCue with an identifier and settings.\n\n\
         00:00:03.000 --> 00:00:04.000\nNo identifier.\n"
    );
    assert_eq!(
        edited("txt/talkpython.txt", &[Edit::Delete { cue: 1 }])
            .matches("\n\n")
            .count(),
        2
    );
    for_every_cue(|name, doc, i| {
        let mut s = Session::new(doc.clone());
        s.apply(&Edit::Delete { cue: i }).expect("delete");
        assert_consistent(s.document(), name);
        let (before, after) = (doc.print(), s.document().print());
        assert_eq!(s.document().cue_count(), doc.cue_count() - 1);
        // the result is the original with one contiguous run of bytes cut out
        let p = before
            .iter()
            .zip(&after)
            .take_while(|(a, b)| a == b)
            .count();
        assert!(
            before.ends_with(&after[p..]),
            "{name} cue {i}: not a single cut"
        );
        assert!(s.undo());
        assert!(s.document().print() == before);
    });
}

#[test]
fn rewritten_lines_keep_their_own_endings() {
    let out = edited(
        "vtt/mixed-endings.vtt",
        &[Edit::SetText {
            cue: 0,
            text: "A CRLF cue\nnow two lines.".into(),
        }],
    );
    assert_eq!(
        out,
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\r\nA CRLF cue\r\nnow two lines.\r\n\r\n00:00:02.000 --> 00:00:03.000\nAn LF cue.\n\n\
         00:00:03.000 --> 00:00:04.000\rA CR cue.\r\r"
    );
    let out = edited(
        "vtt/cr-only.vtt",
        &[Edit::SetText {
            cue: 1,
            text: "a\nb".into(),
        }],
    );
    assert!(out.ends_with("00:03.000\ra\rb\r"), "{out:?}");
}

#[test]
fn inserted_cue_copies_the_cue_before_it() {
    let out = edited(
        "vtt/mixed-endings.vtt",
        &[Edit::Insert {
            at: 1,
            start_ms: 1500,
            end_ms: Some(1900),
            text: "New".into(),
        }],
    );
    assert!(out.contains("A CRLF cue in an LF file.\r\n\r\n00:00:01.500 --> 00:00:01.900\r\nNew\r\n\r\n00:00:02.000"), "{out:?}");
    let out = edited(
        "vtt/no-hours.vtt",
        &[Edit::Insert {
            at: 1,
            start_ms: 3000,
            end_ms: Some(4000),
            text: "Short".into(),
        }],
    );
    assert!(
        out.contains("No hours.\n\n00:03.000 --> 00:04.000\nShort\n\n59:59.000"),
        "{out:?}"
    );
    let out = edited(
        "vtt/spaces.vtt",
        &[Edit::Insert {
            at: 2,
            start_ms: 2500,
            end_ms: Some(2600),
            text: "x".into(),
        }],
    );
    assert!(
        out.contains("arrow.\n\n00:00:02.500-->00:00:02.600\nx\n\n 00:00:03"),
        "{out:?}"
    );
    // an identifier and settings are not copied
    let out = edited(
        "vtt/identifiers.vtt",
        &[Edit::Insert {
            at: 1,
            start_ms: 1500,
            end_ms: Some(1800),
            text: "x".into(),
        }],
    );
    assert!(
        out.contains("settings.\n\n00:00:01.500 --> 00:00:01.800\nx\n\n2\n"),
        "{out:?}"
    );
    // the first cue: copies the cue after it, goes after the header and notes
    let out = edited(
        "vtt/note-style-region.vtt",
        &[Edit::Insert {
            at: 0,
            start_ms: 0,
            end_ms: Some(500),
            text: "Zero".into(),
        }],
    );
    assert!(out.contains("two lines\n\n00:00:00.000 --> 00:00:00.500\nZero\n\n00:00:01.000 --> 00:00:02.000 region"), "{out:?}");
}

#[test]
fn appending_keeps_the_end_of_file_shape() {
    let ins = |n| Edit::Insert {
        at: n,
        start_ms: 9000,
        end_ms: Some(9500),
        text: "Appended".into(),
    };
    assert_eq!(
        edited("vtt/no-final-newline.vtt", &[ins(2)]),
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFirst.\n\n00:00:02.000 --> 00:00:03.000\nLast, with no newline at the end.\n\n\
         00:00:09.000 --> 00:00:09.500\nAppended"
    );
    assert!(
        edited("vtt/basic.vtt", &[ins(2)])
            .ends_with("library.\n\n00:00:09.000 --> 00:00:09.500\nAppended\n")
    );
    assert!(
        edited("vtt/ends-double-newline.vtt", &[ins(2)])
            .ends_with("Two.\n\n00:00:09.000 --> 00:00:09.500\nAppended\n\n")
    );
    assert_eq!(
        edited("vtt/header-only.vtt", &[ins(0)]),
        "WEBVTT\n\n00:00:09.000 --> 00:00:09.500\nAppended\n"
    );
    assert_eq!(
        edited("vtt/empty.vtt", &[ins(0)]),
        "00:00:09.000 --> 00:00:09.500\nAppended\n"
    );
    assert_eq!(
        edited(
            "txt/no-final-newline.txt",
            &[Edit::Insert {
                at: 1,
                start_ms: 5999,
                end_ms: None,
                text: "Next".into()
            }]
        ),
        "00:00:00 Only entry, no newline\n\n00:00:05 Next"
    );
    assert_eq!(
        edited(
            "txt/mmss.txt",
            &[Edit::Insert {
                at: 3,
                start_ms: 800_000,
                end_ms: None,
                text: "Later".into()
            }]
        ),
        "00:00 An old file with minutes and seconds.\n\n7:41 A one-digit minute.\n\n12:05 Twelve minutes in.\n\n13:20 Later\n\n"
    );
}

#[test]
fn empty_cues_gain_and_lose_text() {
    assert_eq!(
        edited(
            "vtt/empty-payload.vtt",
            &[Edit::SetText {
                cue: 2,
                text: "Now has text".into()
            }]
        ),
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n00:00:02.000 --> 00:00:03.000\nAfter an empty cue.\n\n00:00:03.000 --> 00:00:04.000\nNow has text"
    );
    assert_eq!(
        edited(
            "vtt/empty-payload.vtt",
            &[Edit::SetText {
                cue: 0,
                text: "Filled".into()
            }]
        ),
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nFilled\n\n00:00:02.000 --> 00:00:03.000\nAfter an empty cue.\n\n00:00:03.000 --> 00:00:04.000"
    );
    assert_eq!(
        edited(
            "vtt/basic.vtt",
            &[Edit::SetText {
                cue: 0,
                text: String::new()
            }]
        ),
        "WEBVTT\n\n00:00:00.001 --> 00:00:02.300\n\n00:00:02.300 --> 00:00:07.080\nWell, the ability to say pip install magic library.\n"
    );
}

#[test]
fn split_and_merge() {
    let out = edited(
        "vtt/basic.vtt",
        &[Edit::Split {
            cue: 1,
            at_char: 5,
            at_ms: 3000,
        }],
    );
    assert!(out.ends_with("00:00:02.300 --> 00:00:03.000\nWell,\n\n00:00:03.000 --> 00:00:07.080\nthe ability to say pip install magic library.\n"), "{out:?}");
    let out = edited("vtt/multiline-voices.vtt", &[Edit::Merge { cue: 0 }]);
    assert!(out.contains("00:00:01.000 --> 00:00:06.000\n<v Michael Kennedy>Welcome to the show.\n<v Guest>Thanks for having me. - Is it on?\n- It is.\n\n00:00:06.000"), "{out:?}");
    // split then merge gives back the text (the split point's whitespace becomes one space)
    let doc = doc_of("vtt/basic.vtt");
    let mut s = Session::new(doc.clone());
    s.apply(&Edit::Split {
        cue: 0,
        at_char: 11,
        at_ms: 1000,
    })
    .expect("split");
    s.apply(&Edit::Merge { cue: 0 }).expect("merge");
    assert!(s.document().print() == doc.print());
    // a split of a TXT entry
    let out = edited(
        "txt/talkpython.txt",
        &[Edit::Split {
            cue: 0,
            at_char: 12,
            at_ms: 1500,
        }],
    );
    assert!(out.starts_with("00:00:00 What is the\n\n00:00:01 most powerful part of the Python ecosystem?\n\n00:00:02 Well"), "{out:?}");
    // character positions count Unicode scalar values
    let out = edited(
        "vtt/unicode.vtt",
        &[Edit::Split {
            cue: 0,
            at_char: 8,
            at_ms: 1500,
        }],
    );
    assert!(
        out.contains("Ünïcödé\n\n00:00:01.500 --> 00:00:02.000\n— “quotes”"),
        "{out:?}"
    );
}

#[test]
fn srt_numbers_change_only_by_renumber() {
    let out = edited(
        "srt/numbering.srt",
        &[
            Edit::Insert {
                at: 1,
                start_ms: 1500,
                end_ms: Some(1800),
                text: "New".into(),
            },
            Edit::Delete { cue: 3 },
        ],
    );
    assert_eq!(
        out,
        "1\n00:00:01,000 --> 00:00:02,000\nOne.\n\n2\n00:00:01,500 --> 00:00:01,800\nNew\n\n1\n00:00:02,000 --> 00:00:03,000\nDuplicate number.\n\n7\n00:00:04,000 --> 00:00:05,000\nSkipped numbers.\n"
    );
    let out = edited("srt/numbering.srt", &[Edit::Renumber]);
    assert_eq!(
        out,
        "1\n00:00:01,000 --> 00:00:02,000\nOne.\n\n2\n00:00:02,000 --> 00:00:03,000\nDuplicate number.\n\n3\n00:00:03,000 --> 00:00:04,000\nNo number at all.\n\n4\n00:00:04,000 --> 00:00:05,000\nSkipped numbers.\n"
    );
    let mut s = Session::new(doc_of("srt/numbering.srt"));
    s.apply(&Edit::Renumber).expect("renumber");
    assert!(s.undo(), "renumber is one undo step");
    assert!(s.document().print() == fixture("srt/numbering.srt").1);
    assert!(!s.undo());
}

#[test]
fn txt_entries_keep_their_form() {
    let out = edited(
        "txt/mmss.txt",
        &[Edit::SetTiming {
            cue: 1,
            start_ms: Some(465_900),
            end_ms: None,
        }],
    );
    assert!(out.contains("\n7:45 A one-digit minute.\n"), "{out:?}");
    let out = edited(
        "txt/single-newline-end.txt",
        &[Edit::SetText {
            cue: 1,
            text: "Changed.".into(),
        }],
    );
    assert_eq!(out, "00:00:00 First entry.\n\n01:02:03 Changed.\n");
    let out = edited(
        "txt/crlf.txt",
        &[Edit::Insert {
            at: 1,
            start_ms: 2000,
            end_ms: Some(1),
            text: "Mid".into(),
        }],
    );
    assert_eq!(
        out,
        "00:00:00 A CRLF file.\r\n\r\n00:00:02 Mid\r\n\r\n00:00:05 Second entry.\r\n\r\n"
    );
    // end_ms is ignored for TXT: a timing edit with only an end changes nothing
    let doc = doc_of("txt/crlf.txt");
    let mut s = Session::new(doc.clone());
    s.apply(&Edit::SetTiming {
        cue: 0,
        start_ms: None,
        end_ms: Some(99),
    })
    .expect("ignored");
    assert!(!s.can_undo());
}

#[test]
fn invalid_edits_are_refused_and_change_nothing() {
    let cases: &[(&str, Edit)] = &[
        (
            "vtt/basic.vtt",
            Edit::SetText {
                cue: 2,
                text: "x".into(),
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::SetText {
                cue: 0,
                text: "a\n\nb".into(),
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::SetText {
                cue: 0,
                text: "a --> b".into(),
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::SetText {
                cue: 0,
                text: "a\r\nb".into(),
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::SetTiming {
                cue: 0,
                start_ms: Some(5000),
                end_ms: None,
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::SetTiming {
                cue: 0,
                start_ms: None,
                end_ms: None,
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::Insert {
                at: 3,
                start_ms: 0,
                end_ms: Some(1),
                text: String::new(),
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::Insert {
                at: 0,
                start_ms: 0,
                end_ms: None,
                text: String::new(),
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::Insert {
                at: 0,
                start_ms: 10,
                end_ms: Some(5),
                text: String::new(),
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::Split {
                cue: 0,
                at_char: 999,
                at_ms: 1000,
            },
        ),
        (
            "vtt/basic.vtt",
            Edit::Split {
                cue: 0,
                at_char: 3,
                at_ms: 9000,
            },
        ),
        ("vtt/basic.vtt", Edit::Merge { cue: 1 }),
        ("vtt/basic.vtt", Edit::Renumber),
        (
            "txt/talkpython.txt",
            Edit::SetText {
                cue: 0,
                text: "two\nlines".into(),
            },
        ),
        ("vtt/invalid-utf8.vtt", Edit::Delete { cue: 0 }),
        (
            "srt/basic.srt",
            Edit::SetText {
                cue: 0,
                text: "1\n00:00:05,000 --> 00:00:06,000".into(),
            },
        ),
    ];
    for (name, edit) in cases {
        let doc = doc_of(name);
        let mut s = Session::new(doc.clone());
        let err = s
            .apply(edit)
            .expect_err(&format!("{name}: {edit:?} should fail"));
        assert!(!err.to_string().is_empty());
        assert!(
            s.document().print() == doc.print(),
            "{name}: {edit:?} changed the document"
        );
        assert!(!s.can_undo());
    }
    let mut s = Session::new(doc_of("vtt/basic.vtt"));
    assert_eq!(
        s.apply(&Edit::Delete { cue: 7 }),
        Err(EditError::NoSuchCue { index: 7, count: 2 })
    );
}

#[test]
fn apply_all_is_one_step_and_all_or_nothing() {
    let doc = doc_of("vtt/basic.vtt");
    let mut s = Session::new(doc.clone());
    let edits = [
        Edit::SetText {
            cue: 0,
            text: "a".into(),
        },
        Edit::SetText {
            cue: 1,
            text: "b".into(),
        },
    ];
    s.apply_all(&edits).expect("apply_all");
    assert!(s.undo());
    assert!(s.document().print() == doc.print());
    assert!(!s.undo());
    let bad = [
        Edit::SetText {
            cue: 0,
            text: "a".into(),
        },
        Edit::Delete { cue: 5 },
    ];
    let (at, _) = s.apply_all(&bad).expect_err("second edit is out of range");
    assert_eq!(at, 1);
    assert!(s.document().print() == doc.print());
}

#[test]
fn hour_less_timestamps_grow_hours_when_needed() {
    let out = edited(
        "vtt/no-hours.vtt",
        &[Edit::SetTiming {
            cue: 0,
            start_ms: None,
            end_ms: Some(3_700_000),
        }],
    );
    assert!(
        out.contains("00:01.000 --> 01:01:40.000\nNo hours."),
        "{out:?}"
    );
}

#[test]
fn the_documented_edit_json_parses() {
    let json = r#"{"edits": [
        {"op": "set_text",   "cue": 12, "text": "line one\nline two"},
        {"op": "set_timing", "cue": 12, "start_ms": 61000, "end_ms": 65500},
        {"op": "insert",     "at": 13, "start_ms": 66000, "end_ms": 67000, "text": "new cue"},
        {"op": "delete",     "cue": 13},
        {"op": "split",      "cue": 5, "at_char": 17, "at_ms": 30500},
        {"op": "merge",      "cue": 5},
        {"op": "renumber"}
    ]}"#;
    let list: EditList = serde_json::from_str(json).expect("documented JSON");
    assert_eq!(list.edits.len(), 7);
    assert_eq!(
        list.edits[1],
        Edit::SetTiming {
            cue: 12,
            start_ms: Some(61000),
            end_ms: Some(65500)
        }
    );
    assert!(
        serde_json::from_str::<EditList>(r#"{"edits":[{"op":"set_text","cue":1,"txt":"typo"}]}"#)
            .is_err()
    );
    assert!(serde_json::from_str::<EditList>(r#"{"edits":[{"op":"explode","cue":1}]}"#).is_err());
}

#[test]
fn undo_to_the_start_gives_the_original_bytes() {
    for (name, format, bytes) in fixtures() {
        let doc = Document::parse(&bytes, format);
        if doc.read_only_reason().is_some() || doc.cue_count() == 0 {
            continue;
        }
        let mut s = Session::new(doc);
        let last = s.document().cue_count() - 1;
        let first = s.document().cue(0).expect("cue 0");
        let steps = [
            Edit::SetText {
                cue: 0,
                text: "Changed".into(),
            },
            Edit::Insert {
                at: last + 1,
                start_ms: 9_000_000,
                end_ms: Some(9_000_500),
                text: "End".into(),
            },
            Edit::SetTiming {
                cue: 0,
                start_ms: Some(first.start_ms),
                end_ms: first.end_ms.map(|e| e.max(first.start_ms) + 5),
            },
            Edit::Delete { cue: last },
            Edit::Insert {
                at: 0,
                start_ms: 0,
                end_ms: Some(0),
                text: "Start".into(),
            },
        ];
        let mut states = vec![bytes.clone()];
        for e in &steps {
            s.apply(e)
                .unwrap_or_else(|err| panic!("{name}: {e:?}: {err}"));
            assert_consistent(s.document(), &format!("{name} {e:?}"));
            let now = s.document().print();
            if states.last() != Some(&now) {
                states.push(now); // an edit that changes no byte adds no undo step
            }
        }
        for want in states.iter().rev().skip(1) {
            assert!(s.undo());
            assert!(&s.document().print() == want, "{name}: undo");
        }
        assert!(!s.undo());
        for want in states.iter().skip(1) {
            assert!(s.redo());
            assert!(&s.document().print() == want, "{name}: redo");
        }
    }
}

#[test]
fn regression_bom_inside_text_then_delete() {
    let text = "00:00:01.000 --> 00:00:02.000\n\u{feff}00:00:01.000 --> 00:00:02.000";
    let mut s = Session::new(Document::parse(text.as_bytes(), Format::Vtt));
    let before = s.document().print();
    match s.apply(&Edit::Delete { cue: 0 }) {
        Ok(()) => assert_consistent(s.document(), "delete"),
        Err(_) => assert!(s.document().print() == before),
    }
}

fn edited_bytes(text: &str, format: Format, edits: &[Edit]) -> String {
    let mut s = Session::new(Document::parse(text.as_bytes(), format));
    for e in edits {
        s.apply(e)
            .unwrap_or_else(|err| panic!("{e:?} failed: {err}"));
        assert_consistent(s.document(), &format!("{e:?}"));
    }
    let out = String::from_utf8(s.document().print()).expect("utf-8");
    while s.undo() {}
    assert_eq!(
        String::from_utf8(s.document().print()).expect("utf-8"),
        text
    );
    out
}

/// Two real corrections in the Talk Python TXT history: a separator line that holds only
/// spaces goes with the entry it follows, and deleting the last entries of a file that ends
/// with one newline leaves it ending with one newline.
#[test]
fn txt_edits_give_the_bytes_a_person_writes() {
    let spaced =
        "00:00:01 Welcome.\n\n00:00:05 A duplicated line.\n   \n00:00:09 The next one.\n\n";
    assert_eq!(
        edited_bytes(spaced, Format::Txt, &[Edit::Delete { cue: 1 }]),
        "00:00:01 Welcome.\n\n00:00:09 The next one.\n\n"
    );
    let tabbed = "00:00:01 One.\n\t \n00:00:02 Two.\n";
    assert_eq!(
        edited_bytes(tabbed, Format::Txt, &[Edit::Delete { cue: 0 }]),
        "00:00:02 Two.\n"
    );
    // the separator stays with its entry through a text edit
    assert_eq!(
        edited_bytes(
            spaced,
            Format::Txt,
            &[Edit::SetText {
                cue: 1,
                text: "A fixed line.".into()
            }]
        ),
        "00:00:01 Welcome.\n\n00:00:05 A fixed line.\n   \n00:00:09 The next one.\n\n"
    );
    let single_newline = "00:00:01 One.\n\n00:00:02 Two.\n\n00:00:03 Three.\n";
    assert_eq!(
        edited_bytes(
            single_newline,
            Format::Txt,
            &[Edit::Delete { cue: 2 }, Edit::Delete { cue: 1 }]
        ),
        "00:00:01 One.\n"
    );
    // replacing the last entries: delete them, append new ones
    assert_eq!(
        edited_bytes(
            single_newline,
            Format::Txt,
            &[
                Edit::Delete { cue: 2 },
                Edit::Delete { cue: 1 },
                Edit::Insert {
                    at: 1,
                    start_ms: 2_000,
                    end_ms: None,
                    text: "Two, fixed.".into()
                },
            ]
        ),
        "00:00:01 One.\n\n00:00:02 Two, fixed.\n"
    );
    // the same holds for WebVTT, and an append followed by its delete gives the file back
    let vtt =
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOne.\n\n00:00:02.000 --> 00:00:03.000\nTwo.\n";
    assert_eq!(
        edited_bytes(vtt, Format::Vtt, &[Edit::Delete { cue: 1 }]),
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOne.\n"
    );
    assert_eq!(
        edited_bytes(
            vtt,
            Format::Vtt,
            &[
                Edit::Insert {
                    at: 2,
                    start_ms: 3_000,
                    end_ms: Some(4_000),
                    text: "Three.".into()
                },
                Edit::Delete { cue: 2 },
            ]
        ),
        vtt
    );
    // an entry whose spaces line is the file's last line
    assert_eq!(
        edited_bytes(
            "00:00:01 One.\n\n00:00:02 Two.\n  \n",
            Format::Txt,
            &[Edit::Delete { cue: 1 }]
        ),
        "00:00:01 One.\n  \n"
    );
}

/// Deleting a cue and putting its lines back where it stood gives the original bytes: what
/// *Revert to last commit* does for a deleted cue. Tried on every cue of every fixture; the
/// layouts where a cue index cannot say where the cue stood, or where the delete changed the
/// cue before it, are listed with why (none of them occurs in the Talk Python files).
#[test]
fn insert_lines_puts_a_deleted_cue_back_byte_for_byte() {
    const NOT_EXACT: &[(&str, &str)] = &[
        // the last cue: its delete gave its tail to the cue before, whose own blank lines are
        // gone; the put-back cue gets one blank line before it
        (
            "srt/coords-spaces.srt cue 1",
            "last cue after three blank lines",
        ),
        (
            "srt/no-blank-between.srt cue 1",
            "last cue, no blank line before it",
        ),
        (
            "vtt/blank-runs.vtt cue 2",
            "last cue, no blank line before it",
        ),
        (
            "vtt/mixed-endings.vtt cue 2",
            "last cue, its blank line in another ending",
        ),
        (
            "txt/no-final-newline.txt cue 0",
            "the only entry, without a final newline",
        ),
        // no blank line after the cue: lines without blank lines get their neighbours' layout
        ("srt/no-blank-between.srt cue 0", "no blank line after it"),
        ("vtt/blank-runs.vtt cue 1", "no blank line after it"),
        (
            "vtt/header-no-blank.vtt cue 0",
            "no blank line after the header",
        ),
        // a note, a prose line or an invalid block between the cues: it goes before the next cue
        ("srt/invalid.srt cue 0", "invalid blocks after it"),
        ("txt/speakers-prose.txt cue 0", "a prose line after it"),
        ("txt/speakers-prose.txt cue 1", "a prose line before it"),
        ("vtt/invalid-blocks.vtt cue 0", "an invalid block after it"),
        ("vtt/invalid-blocks.vtt cue 1", "an invalid block after it"),
        ("vtt/note-style-region.vtt cue 0", "a NOTE after it"),
        ("vtt/note-style-region.vtt cue 1", "last cue after a NOTE"),
    ];
    let mut exact = 0;
    let mut differ = Vec::new();
    for_every_cue(|name, doc, i| {
        let lines = doc.cue_lines(i).expect("a cue's lines").to_owned();
        let mut s = Session::new(doc.clone());
        s.apply(&Edit::Delete { cue: i }).expect("delete");
        s.apply(&Edit::InsertLines {
            at: i,
            lines: lines.clone(),
        })
        .unwrap_or_else(|e| panic!("{name} cue {i}: {e}"));
        assert_consistent(s.document(), &format!("{name} cue {i}"));
        // the cue itself is always back as written
        let back = s.document().cue_lines(i).expect("the cue is back");
        assert!(
            lines.starts_with(back.trim_end_matches(['\n', '\r'])),
            "{name} cue {i}"
        );
        if s.document().print() == doc.print() {
            exact += 1;
        } else {
            differ.push(format!("{name} cue {i}"));
        }
    });
    let mut known: Vec<String> = NOT_EXACT.iter().map(|(n, _)| (*n).to_owned()).collect();
    known.sort();
    differ.sort();
    assert_eq!(differ, known);
    assert!(exact > 40, "{exact}");
}

#[test]
fn insert_lines_refuses_what_is_not_one_cue() {
    let doc = doc_of("vtt/no-hours.vtt");
    let before = doc.print();
    let bad = [
        ("", "empty"),
        (
            "00:00:01.000 --> 00:00:02.000\na\n\n00:00:03.000 --> 00:00:04.000\nb\n",
            "two cues",
        ),
        ("NOTE a note\n", "a note"),
    ];
    for (lines, why) in bad {
        let mut s = Session::new(doc.clone());
        let e = s.apply(&Edit::InsertLines {
            at: 1,
            lines: lines.into(),
        });
        assert!(e.is_err(), "{why}: {e:?}");
        assert_eq!(s.document().print(), before, "{why}");
    }
    let mut s = Session::new(doc.clone());
    let e = s.apply(&Edit::InsertLines {
        at: 99,
        lines: "00:00:01.000 --> 00:00:02.000\na\n".into(),
    });
    assert!(
        matches!(e, Err(EditError::InsertOutOfRange { .. })),
        "{e:?}"
    );
}

#[test]
fn insert_lines_keeps_identifier_settings_and_a_missing_final_newline() {
    let mut s = Session::new(Document::parse(
        b"WEBVTT\n\n00:01.000 --> 00:02.000\nfirst\n",
        Format::Vtt,
    ));
    s.apply(&Edit::InsertLines {
        at: 1,
        lines: "id-2\n00:00:03.000 --> 00:00:04.000 align:end\n<v A>two</v>".into(),
    })
    .unwrap();
    s.apply(&Edit::InsertLines {
        at: 0,
        lines: "zero\n00:00.000 --> 00:00.500 line:0\nnought\n".into(),
    })
    .unwrap();
    let out = String::from_utf8(s.document().print()).unwrap();
    assert_eq!(
        out,
        "WEBVTT\n\nzero\n00:00.000 --> 00:00.500 line:0\nnought\n\n00:01.000 --> 00:02.000\nfirst\n\nid-2\n00:00:03.000 --> 00:00:04.000 align:end\n<v A>two</v>\n"
    );
    // and JSON names it as `cueline apply` reads it
    let list: EditList = serde_json::from_str(
        r#"{"edits": [{"op": "insert_lines", "at": 0, "lines": "00:09.000 --> 00:10.000\nx\n"}]}"#,
    )
    .unwrap();
    assert_eq!(list.edits[0].name(), "insert_lines");
}
