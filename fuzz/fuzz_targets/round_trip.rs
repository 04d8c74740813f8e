//! parse then print is the identity for arbitrary bytes, in every format, and the model
//! read back from the printed bytes is the same model.
#![no_main]

use cueline_transcript::{Document, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [Format::Vtt, Format::Srt, Format::Txt] {
        let doc = Document::parse(data, format);
        assert_eq!(doc.print(), data, "{format} round trip");
        let again = Document::parse(&doc.print(), format);
        assert_eq!(doc.cue_count(), again.cue_count());
        assert_eq!(doc.diagnostics(), again.diagnostics());
    }
});
