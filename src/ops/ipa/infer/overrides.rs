//! Places a user gives (`--map`, a profile's `[layout]`) over what the inference finds.
use super::{field_keys, Role};
use crate::error::{Error, Message, Result};
use crate::profile::Profile;
use crate::xlsx::address::col_number;

/// Places given by the user (`--map`, a profile's `[layout]`), over the inference.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    sheets: Vec<(Role, String)>,
    header_rows: Vec<(Role, u32)>,
    columns: Vec<(Role, &'static str, u32)>,
}

impl Overrides {
    /// Reads `ROLE=SHEET`, `ROLE.sheet=SHEET`, `ROLE.header_row=N` and `ROLE.FIELD=COLUMN`
    /// (letters, or a number) entries; an unknown role, field or column is a usage error that
    /// lists what is valid.
    pub(crate) fn parse(entries: &[(String, String)], p: &Profile, source: &str) -> Result<Overrides> {
        let mut o = Overrides::default();
        o.add(entries, p, source)?;
        Ok(o)
    }

    /// Adds entries over those already given (a later entry for the same place wins); `source`
    /// names where they come from in messages (`--map`, `[layout]`).
    pub(crate) fn add(&mut self, entries: &[(String, String)], p: &Profile, source: &str) -> Result<()> {
        let o = self;
        for (key, value) in entries {
            let (role_key, field) = key.split_once('.').map_or((key.as_str(), "sheet"), |(r, f)| (r, f.trim()));
            let role = Role::parse(role_key).ok_or_else(|| {
                Error::usage(Message::each(|l| {
                    format!("{source} {key}: {} ledger, threats, checklist, result", l.pick("役割は次のいずれかです:", "the role is one of"))
                }))
            })?;
            let value = value.trim();
            match field {
                "sheet" => o.sheets.push((role, value.to_string())),
                "header_row" => {
                    let row = crate::text::to_narrow(value).parse::<u32>().ok().filter(|&r| r >= 1).ok_or_else(|| {
                        Error::usage(Message::each(|l| {
                            format!("{source} {key}={value}: {}", l.pick("見出し行は1以上の行番号です", "the header row is a row number from 1"))
                        }))
                    })?;
                    o.header_rows.push((role, row));
                }
                _ => {
                    let keys = field_keys(role, p);
                    let Some(&f) = keys.iter().find(|k| **k == field) else {
                        return Err(Error::usage(Message::each(|l| {
                            format!("{source} {key}: {} sheet, header_row, {}", l.pick("項目は次のいずれかです:", "the field is one of"), keys.join(", "))
                        })));
                    };
                    let narrow = crate::text::to_narrow(value).to_ascii_uppercase();
                    let col = narrow.parse::<u32>().ok().or_else(|| col_number(&narrow)).filter(|&c| (1..=16_384).contains(&c)).ok_or_else(|| {
                        Error::usage(Message::each(|l| {
                            format!("{source} {key}={value}: {}", l.pick("列は A〜XFD の列名か列番号です", "a column is letters A–XFD or a number"))
                        }))
                    })?;
                    o.columns.retain(|x| !(x.0 == role && x.1 == f));
                    o.columns.push((role, f, col));
                }
            }
        }
        Ok(())
    }

    pub(super) fn sheet(&self, role: Role) -> Option<&str> {
        self.sheets.iter().rev().find(|s| s.0 == role).map(|s| s.1.as_str())
    }
    pub(super) fn header_row(&self, role: Role) -> Option<u32> {
        self.header_rows.iter().rev().find(|s| s.0 == role).map(|s| s.1)
    }
    pub(super) fn columns(&self, role: Role) -> impl Iterator<Item = (&'static str, u32)> + '_ {
        self.columns.iter().filter(move |c| c.0 == role).map(|c| (c.1, c.2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_places_parse_unknown_fields_do_not() {
        let p = Profile::builtin("ipa-3").unwrap();
        let map = vec![("ledger.medium".to_string(), "G".to_string()), ("checklist".to_string(), "チェック表".to_string())];
        assert!(Overrides::parse(&map, &p, "--map").is_ok());
        assert!(Overrides::parse(&[("ledger.colour".to_string(), "G".to_string())], &p, "--map").is_err());
    }
}
