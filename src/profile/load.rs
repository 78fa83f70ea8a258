//! Loading profiles: embedded presets, files, `extends` and validation.
use super::Profile;
use crate::error::{Error, ErrorKind, Message, Result};
use std::path::Path;

/// Embedded presets: name and TOML text.
const BUILTINS: &[(&str, &str)] = &[
    ("ipa-2.1", include_str!("../../data/profiles/ipa-2.1.toml")),
    ("ipa-3", include_str!("../../data/profiles/ipa-3.toml")),
    ("lv3", include_str!("../../data/profiles/lv3.toml")),
    ("isms-seminar", include_str!("../../data/profiles/isms-seminar.toml")),
];

/// How many `extends` steps a profile may take (a guard against runaway chains).
const MAX_EXTENDS_DEPTH: usize = 8;

/// A [`ErrorKind::Profile`] error with its message in both languages.
pub(crate) fn profile_error(ja: String, en: String) -> Error {
    Error::new(ErrorKind::Profile(Message::new(ja, en)))
}

impl Profile {
    /// Names of the embedded presets: `ipa-2.1`, `ipa-3` (3rd and 3.1 editions), `lv3` and
    /// `isms-seminar`.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTINS.iter().map(|(name, _)| *name).collect()
    }

    /// An embedded preset by name (case-insensitive).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Profile`], listing the presets, when there is no preset of that name.
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

    /// A profile as a user names one (`--profile`, `profile=` in Python): the path of a TOML file
    /// when one is there, else a preset's name.
    ///
    /// # Errors
    ///
    /// Those of [`Profile::from_file`] for a file, of [`Profile::builtin`] otherwise.
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// assert_eq!(Profile::resolve("ipa-2.1")?.id, "ipa-2.1");
    /// assert!(Profile::resolve("no-such-profile").is_err());
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn resolve(name_or_path: &str) -> Result<Profile> {
        if Path::new(name_or_path).is_file() {
            Profile::from_file(name_or_path)
        } else {
            Profile::builtin(name_or_path)
        }
    }

    /// Reads a profile file; errors name the file.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be read; those of [`Profile::from_toml_str`], naming
    /// the file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Profile> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::from(e).in_file(path))?;
        Profile::from_toml_str(&text).map_err(|e| e.in_file(path))
    }

    /// Parses and validates a profile from TOML text. A top-level `extends = "NAME"` starts from
    /// that preset: tables merge key by key, other values (arrays too) replace the inherited ones.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Profile`], naming the line and key where it can, when the text is not TOML, a
    /// field is unknown, missing or of the wrong type, `extends` names no preset or goes too deep,
    /// or [`Profile::validate`] fails.
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
            // The merged text is deserialised; an error is placed back on the user's own line.
            let merged = toml::to_string(&resolve(table, 0)?).map_err(|e| profile_error(e.to_string(), e.to_string()))?;
            deserialize(&merged, text)?
        } else {
            deserialize(text, text)?
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

/// Deserialises a profile (`text`, which is the user's `source` or that merged with the profile
/// it extends), turning a serde error (unknown or missing field, wrong type) into a one-line
/// profile error naming the line of `source` and the key.
fn deserialize(text: &str, source: &str) -> Result<Profile> {
    toml::from_str(text).map_err(|e| {
        let (at_ja, at_en) = place(&e, text, source);
        profile_error(format!("{at_ja}項目が正しくありません: {}", one_line(e.message())), format!("{at_en}bad field: {}", one_line(e.message())))
    })
}

fn parse_table(text: &str) -> Result<toml::Table> {
    text.parse::<toml::Table>().map_err(|e| {
        let (at_ja, at_en) = place(&e, text, text);
        profile_error(format!("{at_ja}TOMLとして読めません: {}", one_line(e.message())), format!("{at_en}not valid TOML: {}", one_line(e.message())))
    })
}

fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a TOML error is, as `"12行目 [media] bogus: "` / `"line 12, [media] bogus: "`: the line
/// and key the error's span points at in `text`, looked up in `source` (the user's file) when
/// `text` is a merged copy. Empty when the error has no place.
fn place(e: &toml::de::Error, text: &str, source: &str) -> (String, String) {
    let Some(start) = e.span().map(|s| s.start.min(text.len())) else { return (String::new(), String::new()) };
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    // The table the line is in: the nearest header above it (or the line itself).
    let header = |t: &str| t.trim().starts_with('[').then(|| t.trim().trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let table = header(line).or_else(|| text[..line_start].lines().rev().find_map(header)).unwrap_or_default();
    let key = if line.starts_with('[') { String::new() } else { line.split('=').next().unwrap_or("").trim().to_string() };
    let number = if std::ptr::eq(text, source) {
        Some(text[..start].matches('\n').count() + 1)
    } else {
        // The same table and key in the user's own file.
        let mut current = String::new();
        source.lines().enumerate().find_map(|(i, l)| {
            if let Some(h) = header(l) {
                current = h;
                return (key.is_empty() && current == table).then_some(i + 1);
            }
            (!key.is_empty() && current == table && l.split('=').next().is_some_and(|k| k.trim() == key)).then_some(i + 1)
        })
    };
    let what = match (table.is_empty(), key.is_empty()) {
        (true, _) => key,
        (false, true) => format!("[{table}]"),
        (false, false) => format!("[{table}] {key}"),
    };
    match number {
        Some(n) => (format!("{n}行目 {what}: "), format!("line {n}, {what}: ")),
        None if what.is_empty() => (String::new(), String::new()),
        None => (format!("{what}（extends で継承した内容）: "), format!("{what} (inherited through extends): ")),
    }
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
