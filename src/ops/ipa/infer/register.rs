//! The fields of a risk register's table: besides its fixed columns, one per factor of the
//! profile (first and second evaluation) and one per treatment option.
use super::{Content, Field};
use crate::profile::{Header, Profile};

/// A register's fields: the profile's factors and treatment options have fields of their own,
/// keyed by their `key` (`likelihood`, `residual_likelihood`) and their English word
/// (`treat_reduce`).
pub(super) fn register_fields(p: &Profile) -> Vec<Field<'_>> {
    use Content::*;
    let h = &p.headers.register;
    fn f<'p>(key: &'static str, header: &'p Header, content: Content, weight: f32, group: Option<&'p Header>) -> Field<'p> {
        Field { key, header, content, weight, group }
    }
    let (first, residual, treat) = (Some(&h.first_group), Some(&h.residual_group), Some(&h.treatment_group));
    let mut v = vec![
        f("no", &h.no, Free, 0.5, None),
        f("asset_no", &h.asset_no, Free, 1.0, None),
        f("asset", &h.asset, Text, 0.5, None),
        f("source", &h.source, Free, 0.4, None),
        f("area", &h.area, Free, 0.4, None),
        f("event", &h.event, Free, 0.6, None),
        f("cause", &h.cause, Free, 0.4, None),
        f("consequence", &h.consequence, Free, 0.4, None),
        f("importance", &h.importance, Free, 1.0, first),
    ];
    let Some(rule) = &p.register else { return v };
    for factor in &rule.factors {
        v.push(f(intern(&factor.key), &factor.header, Free, 1.2, first));
    }
    v.push(f("level", &h.level, Computed, 0.8, first));
    v.push(f("priority", &h.priority, Computed, 0.5, None));
    // One column per option (● marks), or one column holding the option's word.
    for choice in &rule.treatments {
        v.push(f(intern(&treatment_key(choice)), treatment_header(choice), Free, 0.6, treat));
    }
    v.push(f("treatment", &h.treatment_group, Free, 0.6, None));
    v.push(f("controls", &h.controls, Free, 1.0, None));
    v.push(f("annex", &h.annex, Free, 0.6, None));
    v.push(f("response", &h.response, Free, 0.8, None));
    v.push(f("residual_importance", &h.importance, Free, 0.6, residual));
    for factor in &rule.factors {
        v.push(f(intern(&format!("residual_{}", factor.key)), &factor.header, Free, 0.6, residual));
    }
    v.push(f("residual_level", &h.level, Computed, 0.6, residual));
    v
}

/// The field key of a treatment option's column: `treat_` and its English word (`treat_reduce`).
pub(crate) fn treatment_key(choice: &crate::profile::Choice) -> String {
    let word: String = choice.label_en.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    if word.is_empty() {
        format!("treat_{}", crate::text::normalize_key(&choice.label))
    } else {
        format!("treat_{word}")
    }
}

/// A treatment option's column header: its word and the other words it is written as. Made once
/// per distinct option and kept (fields hold `&Header`).
fn treatment_header(choice: &crate::profile::Choice) -> &'static Header {
    use std::sync::{Mutex, OnceLock};
    static HEADERS: OnceLock<Mutex<Vec<&'static Header>>> = OnceLock::new();
    let header = Header { text: choice.label.clone(), text_en: choice.label_en.clone(), variants: choice.variants.clone(), contains: Vec::new() };
    let mut all = HEADERS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(h) = all.iter().find(|h| ***h == header) {
        return h;
    }
    let h: &'static Header = Box::leak(Box::new(header));
    all.push(h);
    h
}

/// A field key from profile data (a factor's `key`) as the `&'static str` the tables use: kept
/// once per distinct key, so a batch of thousands of workbooks stores each key once.
fn intern(key: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
    let mut keys = KEYS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = keys.iter().find(|k| **k == key) {
        return k;
    }
    let k: &'static str = Box::leak(key.to_string().into_boxed_str());
    keys.push(k);
    k
}
