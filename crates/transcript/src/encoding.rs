//! Bytes to text and back, exactly.
//!
//! UTF-8 (with or without a BOM) and UTF-16 with a BOM decode to text that encodes back to the
//! same bytes. Anything else (invalid UTF-8, unpaired surrogates, NUL bytes) is not text: the
//! document keeps the bytes untouched and refuses edits, with the reason.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// The encoding a text document was read in, and is written back in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16LeBom,
    Utf16BeBom,
}

impl Encoding {
    fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Utf8 => b"",
            Encoding::Utf8Bom => b"\xEF\xBB\xBF",
            Encoding::Utf16LeBom => b"\xFF\xFE",
            Encoding::Utf16BeBom => b"\xFE\xFF",
        }
    }
}

/// The outcome of decoding a file's bytes.
pub(crate) enum Decoded<'a> {
    /// The text (borrowed when the bytes were UTF-8 already) and its encoding.
    Text(Cow<'a, str>, Encoding),
    Opaque(String),
}

pub(crate) fn decode(bytes: &[u8]) -> Decoded<'_> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, Encoding::Utf8Bom);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, Encoding::Utf16LeBom, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, Encoding::Utf16BeBom, u16::from_be_bytes);
    }
    utf8(bytes, Encoding::Utf8)
}

fn utf8(bytes: &[u8], enc: Encoding) -> Decoded<'_> {
    match std::str::from_utf8(bytes) {
        Ok(text) => checked_text(Cow::Borrowed(text), enc, enc.bom().len()),
        Err(e) => Decoded::Opaque(format!(
            "not valid UTF-8 (invalid byte at offset {}); opened read-only",
            e.valid_up_to() + enc.bom().len()
        )),
    }
}

fn utf16(bytes: &[u8], enc: Encoding, unit: fn([u8; 2]) -> u16) -> Decoded<'static> {
    if !bytes.len().is_multiple_of(2) {
        return Decoded::Opaque("UTF-16 file with an odd number of bytes; opened read-only".into());
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    match char::decode_utf16(units).collect::<Result<String, _>>() {
        Ok(text) => checked_text(Cow::Owned(text), enc, 2),
        Err(_) => {
            Decoded::Opaque("UTF-16 file with an unpaired surrogate; opened read-only".into())
        }
    }
}

fn checked_text(text: Cow<'_, str>, enc: Encoding, bom_len: usize) -> Decoded<'_> {
    match memchr::memchr(0, text.as_bytes()) {
        Some(at) => Decoded::Opaque(format!(
            "binary data (NUL character after {} bytes); opened read-only",
            at + bom_len
        )),
        None => Decoded::Text(text, enc),
    }
}

pub(crate) fn encode(text: &str, enc: Encoding) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    out.extend_from_slice(enc.bom());
    match enc {
        Encoding::Utf8 | Encoding::Utf8Bom => out.extend_from_slice(text.as_bytes()),
        Encoding::Utf16LeBom => text
            .encode_utf16()
            .for_each(|u| out.extend(u.to_le_bytes())),
        Encoding::Utf16BeBom => text
            .encode_utf16()
            .for_each(|u| out.extend(u.to_be_bytes())),
    }
    out
}
