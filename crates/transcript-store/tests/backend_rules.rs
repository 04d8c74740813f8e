//! The rules the UI's in-memory fake backend (`ui/src/fake/backend.ts`) re-implements in
//! TypeScript, checked against the real ones: every case of `ui/tests/fixtures/backend-rules.json`
//! runs here through [`OpenDocument`] (find, replace one or all, edits), and in
//! `ui/tests/backendRules.test.ts` through `FakeBackend`. Both must give the fixture's answers,
//! so a component test that passes against the fake means what it would mean against Rust.

use std::path::PathBuf;

use cueline_transcript::Edit;
use cueline_transcript::Format;
use cueline_transcript::format_hms;
use cueline_transcript::search::Query;
use cueline_transcript_store::OpenDocument;
use serde_json::Value;

fn fixture() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/tests/fixtures/backend-rules.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A WebVTT file with one block per `[startMs, endMs, text]`.
fn document(cues: &Value) -> OpenDocument {
    let mut vtt = String::from("WEBVTT\n");
    for cue in cues.as_array().expect("cues") {
        let start = cue[0].as_u64().expect("start") as u32;
        let end = cue[1].as_u64().expect("end") as u32;
        let text = cue[2].as_str().expect("text");
        vtt.push_str(&format!(
            "\n{} --> {}\n{text}\n",
            format_hms(start),
            format_hms(end)
        ));
    }
    OpenDocument::from_bytes(vtt.as_bytes(), Format::Vtt, "rules.vtt".into())
}

fn query(q: &Value) -> Query {
    Query {
        pattern: q["pattern"].as_str().expect("pattern").into(),
        regex: q["regex"].as_bool().expect("regex"),
        whole_word: q["wholeWord"].as_bool().expect("wholeWord"),
        ignore_case: !q["matchCase"].as_bool().expect("matchCase"),
    }
}

fn cues_of(doc: &OpenDocument) -> Value {
    doc.document()
        .cues()
        .map(|c| serde_json::json!([c.start_ms, c.end_ms, c.text]))
        .collect()
}

fn texts_of(doc: &OpenDocument) -> Value {
    doc.document().cues().map(|c| Value::from(c.text)).collect()
}

fn name(case: &Value) -> &str {
    case["name"].as_str().expect("name")
}

#[test]
fn find_gives_the_fixture_hits() {
    let fixture = fixture();
    let cases = fixture["find"].as_array().expect("find");
    assert!(cases.len() >= 5);
    for case in cases {
        let doc = document(&case["cues"]);
        match doc.find(&query(&case["query"])) {
            Ok(hits) => {
                let got: Value = hits
                    .iter()
                    .map(|h| serde_json::json!([h.cue, h.start_utf16, h.end_utf16]))
                    .collect();
                assert_eq!(got, case["hits"], "{}", name(case));
            }
            Err(e) => assert_eq!(case["error"], "InvalidQuery", "{}: {e}", name(case)),
        }
    }
}

#[test]
fn replace_gives_the_fixture_texts() {
    let fixture = fixture();
    for case in fixture["replace"].as_array().expect("replace") {
        let mut doc = document(&case["cues"]);
        let target = case["target"].as_array().map(|t| {
            let n = |v: &Value| v.as_u64().expect("target") as usize;
            (n(&t[0]), n(&t[1]))
        });
        let replacement = case["replacement"].as_str().expect("replacement");
        let result = doc.replace(&query(&case["query"]), replacement, target);
        assert!(result.is_ok(), "{}: {result:?}", name(case));
        assert_eq!(texts_of(&doc), case["texts"], "{}", name(case));
    }
}

#[test]
fn edits_give_the_fixture_cues_or_are_refused() {
    let fixture = fixture();
    for case in fixture["edits"].as_array().expect("edits") {
        let mut doc = document(&case["cues"]);
        let edits: Vec<Edit> = serde_json::from_value(case["edits"].clone()).expect("edits");
        match doc.apply_all(&edits) {
            Ok(()) => assert_eq!(cues_of(&doc), case["after"], "{}", name(case)),
            Err((_, e)) => {
                assert_eq!(case["error"], "InvalidEdit", "{}: refused: {e}", name(case));
                assert_eq!(
                    cues_of(&doc),
                    document(&case["cues"])
                        .document()
                        .cues()
                        .map(|c| serde_json::json!([c.start_ms, c.end_ms, c.text]))
                        .collect::<Value>(),
                    "{}: a refused edit changes nothing",
                    name(case)
                );
            }
        }
    }
}
