//! Finding and loading a Hunspell dictionary (`LANG.aff` + `LANG.dic`).
//!
//! Why `spellbook`: a pure-Rust Hunspell-compatible checker (the one Helix uses), so the
//! system's ordinary Hunspell dictionaries work with no C library. Searched in
//! `$CUELINE_DICT_DIR`, then `/usr/share/hunspell` (Debian's `hunspell-en-us`).

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why no dictionary could be used.
#[derive(Debug, Error)]
pub enum DictionaryError {
    #[error(
        "no {lang} dictionary: looked for {lang}.aff and {lang}.dic in {searched} (install hunspell-en-us, or set CUELINE_DICT_DIR)"
    )]
    NotFound { lang: String, searched: String },
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: not a Hunspell dictionary: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
}

/// The folders searched, in order.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("CUELINE_DICT_DIR").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    dirs.push(PathBuf::from("/usr/share/hunspell"));
    dirs
}

fn read(path: &Path) -> Result<String, DictionaryError> {
    let bytes = std::fs::read(path).map_err(|source| DictionaryError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    // Debian's en_US files are UTF-8; older dictionaries may be Latin-1
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    })
}

/// Loads the `lang` dictionary (like `en_US`) from the first folder of [`search_dirs`] that
/// holds both of its files.
pub fn load_dictionary(lang: &str) -> Result<spellbook::Dictionary, DictionaryError> {
    let dirs = search_dirs();
    let found = (!lang.contains(['/', '\\']))
        .then(|| {
            dirs.iter()
                .map(|d| (d.join(format!("{lang}.aff")), d.join(format!("{lang}.dic"))))
                .find(|(a, d)| a.is_file() && d.is_file())
        })
        .flatten();
    let Some((aff, dic)) = found else {
        let searched: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(DictionaryError::NotFound {
            lang: lang.to_owned(),
            searched: searched.join(", "),
        });
    };
    let (aff_text, dic_text) = (read(&aff)?, read(&dic)?);
    spellbook::Dictionary::new(&aff_text, &dic_text).map_err(|e| DictionaryError::Invalid {
        path: dic,
        message: e.to_string(),
    })
}
