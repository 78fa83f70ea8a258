//! Consistency checks of a loaded profile, each failing with a message that names the field.
use super::load::profile_error;
use super::{LabelledScale, Level, Profile, Scale};
use crate::error::Result;
use crate::text::normalize_key;
use std::collections::{HashMap, HashSet};

/// Fails with the message in both languages.
fn fail<T>(ja: String, en: String) -> Result<T> {
    Err(profile_error(ja, en))
}

impl Profile {
    /// Checks that the data is consistent: scales, labels, the matrix size and contents, that the
    /// risk bands cover every possible リスク値 exactly once, and that every medium, group and
    /// chapter reference exists. [`Profile::from_toml_str`] calls it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Profile`](crate::ErrorKind::Profile), naming the field, on the first
    /// inconsistency found.
    pub fn validate(&self) -> Result<()> {
        if self.id.trim().is_empty() {
            return fail("id が空です".into(), "id is empty".into());
        }
        check_scale("cia", self.cia)?;
        check_labels("threat", &self.threat)?;
        check_labels("vulnerability", &self.vulnerability)?;
        check_scale("likelihood", self.likelihood.scale())?;
        check_levels("likelihood", self.likelihood.scale(), &self.likelihood.levels)?;
        self.check_matrix()?;
        self.check_importance()?;
        self.check_bands()?;
        self.check_register()?;
        self.check_self_check()?;
        self.check_media()?;
        self.check_checklist()?;
        self.check_chapters()?;
        // [facts]: every value readable (unknown keys are refused when the file is read).
        self.facts.values().map(|_| ())
    }

    fn check_matrix(&self) -> Result<()> {
        let (threat, vuln, likely) = (self.threat.scale(), self.vulnerability.scale(), self.likelihood.scale());
        let matrix = &self.likelihood.matrix;
        if matrix.len() != threat.level_count() {
            return fail(
                format!("likelihood.matrix の行数は脅威の段階数 {} と同じにしてください（{} 行あります）", threat.level_count(), matrix.len()),
                format!("likelihood.matrix must have one row per threat level ({}), it has {}", threat.level_count(), matrix.len()),
            );
        }
        for (row, t) in matrix.iter().zip(threat.values()) {
            if row.len() != vuln.level_count() {
                return fail(
                    format!("likelihood.matrix の脅威 {t} の行は脆弱性の段階数 {} 個の値にしてください（{} 個あります）", vuln.level_count(), row.len()),
                    format!("likelihood.matrix row of threat {t} must have one value per vulnerability level ({}), it has {}", vuln.level_count(), row.len()),
                );
            }
            if let Some(bad) = row.iter().find(|v| !likely.contains(**v)) {
                return fail(
                    format!("likelihood.matrix の脅威 {t} の行に可能性の範囲 {} 外の値 {bad} があります", likely.expected().get(crate::Lang::Ja)),
                    format!("likelihood.matrix row of threat {t} holds {bad}, outside the likelihood scale {}–{}", likely.min, likely.max),
                );
            }
        }
        Ok(())
    }

    fn check_importance(&self) -> Result<()> {
        match self.importance.personal_info_level {
            Some(level) if !self.cia.contains(level) => fail(
                format!("importance.personal_info_level {level} が重要度の範囲 {} の外です", self.cia.expected().get(crate::Lang::Ja)),
                format!("importance.personal_info_level {level} is outside the importance scale {}–{}", self.cia.min, self.cia.max),
            ),
            _ => Ok(()),
        }
    }

    /// Every product 重要度 × 可能性 must fall in exactly one band; bands must not overlap.
    fn check_bands(&self) -> Result<()> {
        check_band_list("risk.bands", &self.risk.bands, &self.possible_risk_values(), "リスク値", "risk value")
    }

    /// `[register]`: factors on sensible scales, a vocabulary, priorities covering every level.
    fn check_register(&self) -> Result<()> {
        let Some(r) = &self.register else { return Ok(()) };
        if r.factors.is_empty() {
            return fail(
                "register.factors が空です（被害発生可能性などを1つ以上）".into(),
                "register.factors is empty (give at least one, e.g. likelihood)".into(),
            );
        }
        for f in &r.factors {
            if f.key.trim().is_empty() || f.header.text.trim().is_empty() {
                return fail(
                    "register.factors の各要素に key と header.text を書いてください".into(),
                    "each of register.factors needs a key and a header.text".into(),
                );
            }
            check_scale(&format!("register.factors.{}", f.key), f.scale())?;
        }
        for (name, list) in [("treatments", &r.treatments), ("responses", &r.responses), ("statuses", &r.statuses)] {
            if list.is_empty() || list.iter().any(|c| c.label.trim().is_empty()) {
                return fail(
                    format!("register.{name} に label のある語を1つ以上書いてください"),
                    format!("register.{name} needs at least one word, each with a label"),
                );
            }
        }
        check_band_list("register.priorities", &r.priorities, &r.possible_levels(self.cia), "リスクレベル", "risk level")
    }

    /// `[self_check]`: parts, answers and items numbered once each, every item in a part and
    /// pointing to a chapter of the profile, one answer marked `unknown`, bands with distinct
    /// minimums covering the lowest possible total.
    fn check_self_check(&self) -> Result<()> {
        let Some(s) = &self.self_check else { return Ok(()) };
        if s.parts.is_empty() || s.items.is_empty() || s.answers.is_empty() || s.bands.is_empty() {
            return fail(
                "self_check には parts、answers、bands、items をそれぞれ1つ以上書いてください".into(),
                "self_check needs at least one each of parts, answers, bands and items".into(),
            );
        }
        let mut parts = HashSet::new();
        if let Some(p) = s.parts.iter().find(|p| !parts.insert(p.number) || p.name.trim().is_empty()) {
            return fail(
                format!("self_check.parts の番号 {} が重複しているか、name がありません", p.number),
                format!("self_check.parts number {} is used twice or has no name", p.number),
            );
        }
        let mut labels = HashSet::new();
        if let Some(a) = s.answers.iter().find(|a| a.label.trim().is_empty() || !labels.insert(normalize_key(&a.label))) {
            return fail(
                format!("self_check.answers の「{}」: label が空か重複しています", a.label),
                format!("self_check.answers '{}': the label is empty or used twice", a.label),
            );
        }
        if s.answers.iter().filter(|a| a.unknown).count() != 1 {
            return fail(
                "self_check.answers のうち1つだけに unknown = true（分からない）を付けてください".into(),
                "mark exactly one of self_check.answers with unknown = true (don't know)".into(),
            );
        }
        let mut numbers = HashSet::new();
        for i in &s.items {
            if !numbers.insert(i.number) || i.text.trim().is_empty() {
                return fail(
                    format!("self_check.items の番号 {} が重複しているか、text がありません", i.number),
                    format!("self_check.items number {} is used twice or has no text", i.number),
                );
            }
            if s.part(i.part).is_none() {
                return fail(
                    format!("self_check.items {} の part {} は self_check.parts にありません", i.number, i.part),
                    format!("self_check.items {}: part {} is not in self_check.parts", i.number, i.part),
                );
            }
            if self.find_chapter(&i.chapter).is_none() {
                return fail(
                    format!("self_check.items {} の chapter「{}」は chapters にありません", i.number, i.chapter),
                    format!("self_check.items {}: chapter '{}' is not one of chapters", i.number, i.chapter),
                );
            }
        }
        let mut mins = HashSet::new();
        if let Some(b) = s.bands.iter().find(|b| b.label.trim().is_empty() || !mins.insert(b.min)) {
            return fail(
                format!("self_check.bands の min {} が重複しているか、label がありません", b.min),
                format!("self_check.bands min {} is used twice or has no label", b.min),
            );
        }
        if s.band(f64::from(s.min_total())).is_none() {
            return fail(
                format!("self_check.bands に合計 {} を含む帯がありません（最も低い帯の min を {} 以下に）", s.min_total(), s.min_total()),
                format!("self_check.bands has no band for the total {} (give the lowest band a min of {} or less)", s.min_total(), s.min_total()),
            );
        }
        Ok(())
    }

    fn check_media(&self) -> Result<()> {
        let mut ids = HashSet::new();
        let mut names: HashMap<String, &str> = HashMap::new();
        for m in &self.media {
            if !ids.insert(m.id.as_str()) {
                return fail(format!("media の id「{}」が重複しています", m.id), format!("media id '{}' is used twice", m.id));
            }
            for name in m.names() {
                if let Some(other) = names.insert(normalize_key(name), &m.id).filter(|other| *other != m.id) {
                    return fail(
                        format!("媒体名「{name}」が media「{other}」と「{}」の両方にあります", m.id),
                        format!("medium name '{name}' belongs to both '{other}' and '{}'", m.id),
                    );
                }
            }
            if let Some(g) = m.groups.iter().find(|g| self.group(g).is_none()) {
                return fail(
                    format!("media「{}」の groups にある「{g}」は checklist.groups にありません", m.id),
                    format!("media '{}' refers to the check group '{g}', which checklist.groups lacks", m.id),
                );
            }
        }
        Ok(())
    }

    fn check_checklist(&self) -> Result<()> {
        let list = &self.checklist;
        let mut values = HashSet::new();
        for a in &list.answers {
            if !values.insert(a.value) {
                return fail(format!("checklist.answers の値 {} が重複しています", a.value), format!("checklist.answers value {} is used twice", a.value));
            }
            if a.weight.is_some_and(|w| !(0.0..=1.0).contains(&w)) {
                return fail(
                    format!("checklist.answers の値 {} の weight は 0〜1 にしてください", a.value),
                    format!("checklist.answers value {}: weight must be between 0 and 1", a.value),
                );
            }
        }
        if !list.groups.is_empty() && !list.answers.iter().any(|a| a.weight.is_some()) {
            return fail("checklist.answers に weight のある回答がありません".into(), "checklist.answers has no answer with a weight".into());
        }
        let mut numbers = HashMap::new();
        for (id, g) in &list.groups {
            if let Some(other) = numbers.insert(g.number, id) {
                return fail(
                    format!("checklist.groups の「{other}」と「{id}」が同じ番号 {} です", g.number),
                    format!("checklist.groups '{other}' and '{id}' share the number {}", g.number),
                );
            }
            if g.items.is_empty() {
                return fail(format!("checklist.groups「{id}」に items がありません"), format!("checklist.groups '{id}' has no items"));
            }
        }
        Ok(())
    }

    fn check_chapters(&self) -> Result<()> {
        let mut numbers = HashSet::new();
        for c in &self.chapters {
            if !numbers.insert(c.number) {
                return fail(format!("chapters の番号 {} が重複しています", c.number), format!("chapters number {} is used twice", c.number));
            }
            if let Some(g) = c.group.as_deref().filter(|g| self.group(g).is_none()) {
                return fail(
                    format!("chapters {}「{}」の group「{g}」は checklist.groups にありません", c.number, c.title),
                    format!("chapter {} '{}' refers to the check group '{g}', which checklist.groups lacks", c.number, c.title),
                );
            }
        }
        Ok(())
    }
}

fn check_scale(field: &str, scale: Scale) -> Result<()> {
    if scale.min > scale.max {
        return fail(
            format!("{field} の min {} が max {} より大きくなっています", scale.min, scale.max),
            format!("{field}: min {} is greater than max {}", scale.min, scale.max),
        );
    }
    Ok(())
}

fn check_labels(field: &str, scale: &LabelledScale) -> Result<()> {
    check_scale(field, scale.scale())?;
    check_levels(field, scale.scale(), &scale.levels)
}

/// Each level on the scale has exactly one label, and no label lies off the scale.
fn check_levels(field: &str, scale: Scale, levels: &[Level]) -> Result<()> {
    if let Some(off) = levels.iter().find(|l| !scale.contains(l.value)) {
        return fail(
            format!("{field}.levels の値 {} が範囲 {} の外です", off.value, scale.expected()),
            format!("{field}.levels value {} is outside {}–{}", off.value, scale.min, scale.max),
        );
    }
    for value in scale.values() {
        let count = levels.iter().filter(|l| l.value == value).count();
        if count != 1 {
            return fail(
                format!("{field}.levels には値 {value} のラベルを1つだけ書いてください（{count} 個あります）"),
                format!("{field}.levels needs exactly one label for {value} (found {count})"),
            );
        }
    }
    Ok(())
}

/// Bands that do not overlap, each with a label, covering every value of `values`.
fn check_band_list(name: &str, bands: &[crate::profile::RiskBand], values: &[u32], value_ja: &str, value_en: &str) -> Result<()> {
    if let Some(b) = bands.iter().find(|b| b.min > b.max || b.label.trim().is_empty()) {
        return fail(
            format!("{name} の帯 {}〜{} は min ≦ max とし、label を書いてください", b.min, b.max),
            format!("{name} band {}–{} needs min ≤ max and a label", b.min, b.max),
        );
    }
    for (i, a) in bands.iter().enumerate() {
        if let Some(b) = bands[i + 1..].iter().find(|b| a.min <= b.max && b.min <= a.max) {
            return fail(
                format!("{name} の「{}」（{}〜{}）と「{}」（{}〜{}）が重なっています", a.label, a.min, a.max, b.label, b.min, b.max),
                format!("{name} '{}' ({}–{}) and '{}' ({}–{}) overlap", a.label, a.min, a.max, b.label, b.min, b.max),
            );
        }
    }
    if let Some(value) = values.iter().find(|&&v| !bands.iter().any(|b| b.contains(v))) {
        return fail(format!("{name} に{value_ja} {value} を含む帯がありません"), format!("{name} has no band for the {value_en} {value}"));
    }
    Ok(())
}
