//! Loading profiles: embedded presets, files, `extends` and validation.
use super::Profile;
use crate::error::{lang, Error, ErrorKind, Result};
use std::path::Path;

/// Embedded presets: name and TOML text.
const BUILTINS: &[(&str, &str)] = &[
    ("ipa-2.1", include_str!("../../data/profiles/ipa-2.1.toml")),
    ("ipa-3", include_str!("../../data/profiles/ipa-3.toml")),
    ("lv3", include_str!("../../data/profiles/lv3.toml")),
];

/// How many `extends` steps a profile may take (a guard against runaway chains).
const MAX_EXTENDS_DEPTH: usize = 8;

/// A [`ErrorKind::Profile`] error with its message in the current language.
pub(crate) fn profile_error(ja: String, en: String) -> Error {
    Error::new(ErrorKind::Profile(lang().pick(&ja, &en).to_string()))
}

impl Profile {
    /// Names of the embedded presets: `ipa-2.1`, `ipa-3` (3rd and 3.1 editions) and `lv3`.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTINS.iter().map(|(name, _)| *name).collect()
    }

    /// An embedded preset by name (case-insensitive).
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// let p = Profile::builtin("IPA-3")?;
    /// assert_eq!(p.id, "ipa-3");
    /// assert!(Profile::builtin("ipa-9").is_err());
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn builtin(name: &str) -> Result<Profile> {
        Profile::from_toml_str(builtin_source(name)?)
    }

    /// Reads a profile file; errors name the file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Profile> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::from(e).in_file(path))?;
        Profile::from_toml_str(&text).map_err(|e| e.in_file(path))
    }

    /// Parses and validates a profile from TOML text. A top-level `extends = "NAME"` starts from
    /// that preset: tables merge key by key, other values (arrays too) replace the inherited ones.
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// let p = Profile::from_toml_str(r#"
    ///     extends = "ipa-3"
    ///     id = "my-company"
    ///     [importance]
    ///     personal_info_override = false
    /// "#)?;
    /// assert_eq!(p.id, "my-company");
    /// assert!(p.personal_info_level().is_none());
    /// assert_eq!(p.chapters.len(), 14);
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Profile> {
        let table = parse_table(text)?;
        let mut profile = if table.contains_key("extends") {
            // Deserialise the merged text so that an error shows the offending lines.
            let merged = toml::to_string(&resolve(table, 0)?).map_err(|e| profile_error(e.to_string(), e.to_string()))?;
            deserialize(&merged, "（extends で継承した内容と合わせた結果）", " (after merging the extended profile)")?
        } else {
            deserialize(text, "", "")?
        };
        profile.checklist.groups.sort_by(|_, a, _, b| a.number.cmp(&b.number));
        profile.validate()?;
        Ok(profile)
    }
}

fn builtin_source(name: &str) -> Result<&'static str> {
    BUILTINS.iter().find(|(n, _)| n.eq_ignore_ascii_case(name.trim())).map(|(_, text)| *text).ok_or_else(|| {
        let names = Profile::builtin_names().join(", ");
        profile_error(format!("組み込みプロファイル「{name}」はありません（あるもの: {names}）"), format!("no built-in profile '{name}' (available: {names})"))
    })
}

/// Deserialises a profile, turning a serde error (unknown or missing field, wrong type) into a
/// profile error with the position and the offending line.
fn deserialize(text: &str, note_ja: &str, note_en: &str) -> Result<Profile> {
    toml::from_str(text).map_err(|e| profile_error(format!("項目が正しくありません{note_ja}: {e}"), format!("bad field{note_en}: {e}")))
}

fn parse_table(text: &str) -> Result<toml::Table> {
    text.parse::<toml::Table>().map_err(|e| profile_error(format!("TOMLとして読めません: {e}"), format!("not valid TOML: {e}")))
}

/// Applies `extends` (recursively) and returns the merged table without the key.
fn resolve(mut table: toml::Table, depth: usize) -> Result<toml::Table> {
    let Some(parent) = table.remove("extends") else {
        return Ok(table);
    };
    let Some(name) = parent.as_str() else {
        return Err(profile_error("extends にはプロファイル名を文字列で書いてください".into(), "extends must be a profile name (a string)".into()));
    };
    if depth >= MAX_EXTENDS_DEPTH {
        return Err(profile_error(format!("extends の連鎖が深すぎます（{name}）"), format!("extends chain too deep ({name})")));
    }
    let mut base = resolve(parse_table(builtin_source(name)?)?, depth + 1)?;
    merge(&mut base, table);
    Ok(base)
}

/// Merges `over` into `base`: tables key by key, anything else replaced.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}
