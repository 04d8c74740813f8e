//! The repository-mode rules the UI's fake backend (`ui/src/fake/project.ts`) re-implements,
//! checked against this crate: the folder of `ui/tests/fixtures/project-rules.json` is written to
//! disk, opened as a [`Project`], searched, planned and applied here, and the same is done through
//! `FakeBackend` in `ui/tests/backendRules.test.ts`. Both must give the fixture's answers.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use cueline_repository::{FoundBy, Project, ReplacePlan, SearchLimits, Selection};
use cueline_transcript::search::Query;
use cueline_transcript::{Document, Format, format_hms};
use serde_json::{Value, json};

fn fixture() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/tests/fixtures/project-rules.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A `.vtt` (cues with an end) or Talk Python `.txt` (entries without one) of `cues`.
fn transcript(cues: &Value) -> String {
    let cues = cues.as_array().expect("cues");
    let mut out = String::new();
    for cue in cues {
        let start = cue[0].as_u64().expect("start") as u32;
        let text = cue[2].as_str().expect("text");
        match cue[1].as_u64() {
            Some(end) => {
                if out.is_empty() {
                    out.push_str("WEBVTT\n");
                }
                out.push_str(&format!(
                    "\n{} --> {}\n{text}\n",
                    format_hms(start),
                    format_hms(end as u32)
                ));
            }
            None => out.push_str(&format!("{} {text}\n\n", &format_hms(start)[..8])),
        }
    }
    out
}

fn project(fixture: &Value) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (relative, cues) in fixture["files"].as_object().expect("files") {
        let path = dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, transcript(cues)).expect("write");
    }
    let project = Project::open(dir.path()).expect("open project");
    (dir, project)
}

fn query(q: &Value) -> Query {
    Query {
        pattern: q["pattern"].as_str().expect("pattern").into(),
        regex: q["regex"].as_bool().expect("regex"),
        whole_word: q["wholeWord"].as_bool().expect("wholeWord"),
        ignore_case: !q["matchCase"].as_bool().expect("matchCase"),
    }
}

fn texts(path: &Path) -> Value {
    let bytes = std::fs::read(path).expect("read");
    let format = Format::from_path(path).expect("format");
    Document::parse(&bytes, format)
        .cues()
        .map(|c| Value::from(c.text))
        .collect()
}

fn plan_json(plan: &ReplacePlan) -> Value {
    let files = plan.files();
    files
        .iter()
        .map(|f| {
            let hits: Vec<Value> = f
                .hits
                .iter()
                .map(|h| {
                    let partner = h
                        .partner
                        .map(|p| (&files[p.file].relative, files[p.file].hits[p.hit].cue));
                    json!([
                        h.cue,
                        h.start_utf16,
                        h.old,
                        h.new,
                        if h.found_by == FoundBy::Query {
                            "query"
                        } else {
                            "partner"
                        },
                        partner.map(|p| p.0.clone()),
                        partner.map(|p| p.1),
                    ])
                })
                .collect();
            json!([f.relative, f.partner_only, hits])
        })
        .collect()
}

#[test]
fn search_gives_the_fixture_hits() {
    let fixture = fixture();
    let (_dir, project) = project(&fixture);
    for case in fixture["search"].as_array().expect("search") {
        let results = project
            .search(
                &query(&case["query"]),
                &SearchLimits::default(),
                &AtomicBool::new(false),
            )
            .expect("search");
        let got: Value = results
            .files
            .iter()
            .map(|f| {
                let hits: Vec<Value> = f
                    .hits
                    .iter()
                    .map(|h| {
                        json!([
                            h.cue,
                            h.start_utf16,
                            h.end_utf16,
                            h.context.before,
                            h.context.matched,
                            h.context.after
                        ])
                    })
                    .collect();
                json!([f.relative, hits])
            })
            .collect();
        assert_eq!(got, case["files"], "{}", case["name"]);
    }
}

#[test]
fn plans_link_the_fixture_pairs_and_apply_the_fixture_texts() {
    let fixture = fixture();
    for case in fixture["plans"].as_array().expect("plans") {
        let (dir, project) = project(&fixture);
        let replacement = case["replacement"].as_str().expect("replacement");
        let plan = project
            .plan_replace(&query(&case["query"]), replacement, &Selection::default())
            .expect("plan");
        assert_eq!(plan_json(&plan), case["files"], "{}", case["name"]);
        project.apply(&plan).expect("apply");
        for (relative, after) in case["after"].as_object().expect("after") {
            assert_eq!(
                &texts(&dir.path().join(relative)),
                after,
                "{}: {relative}",
                case["name"]
            );
        }
    }
}
