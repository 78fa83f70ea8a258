//! ISO/IEC 27001:2005 Annex A (133 controls, 11 domains A.5–A.15) and its table to 2013: each
//! pair with its relation and confidence, removed controls without a successor. 2005 ids look
//! like 2013 ids but mean other controls (2005 A.14.1.3 is business continuity planning, 2013
//! A.14.1.3 protects application transactions), so a 2005 reference reaches 2022 only through
//! this table and then the 2013 → 2022 one ([`Catalog::chain_2005`]).
//!
//! ```
//! use risksheet::controls::{Catalog, Relation2005};
//! let cat = Catalog::bundled();
//! assert_eq!(cat.v2005.len(), 133);
//! let chain = cat.chain_2005("A.14.1.3");
//! assert_eq!(chain[0].via.as_deref(), Some("A.17.1.2"));
//! assert_eq!(chain[0].new.as_deref(), Some("5.29"));
//! assert_eq!(cat.chain_2005("A.6.1.1")[0].relation, Relation2005::Removed);
//! ```
use super::{data_error, Catalog, Relation};
use crate::error::{Lang, Result};
use serde::Serialize;

/// A 2005 Annex A control (`A.10.1.1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control2005 {
    /// `A.10.1.1`.
    pub id: String,
    /// Its domain, `A.10 Communications and operations management`.
    pub domain: String,
    /// Its objective, `A.10.1 Operational procedures and responsibilities`.
    pub objective: String,
    /// English title.
    pub title_en: String,
    /// Japanese title (a public transcription, not the JIS text).
    pub title_ja: String,
}

/// How a 2005 control relates to a 2013 control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation2005 {
    /// The same control.
    Equivalent,
    /// Part of the 2005 control went to this 2013 control.
    Partial,
    /// Merged with others into this 2013 control.
    Merged,
    /// Split: this 2013 control is one of several successors.
    Split,
    /// No successor in Annex A.
    Removed,
}

/// How sure the table is of a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// A person should decide.
    Low,
    /// Usually right.
    Medium,
    /// Agreed by the sources.
    High,
}

/// One pair of the 2005 → 2013 table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mapping2005 {
    /// 2005 id.
    pub old: String,
    /// 2013 id; `None` for a removed control.
    pub new: Option<String>,
    /// How they relate.
    pub relation: Relation2005,
    /// How sure the table is.
    pub confidence: Confidence,
    /// The table's note (what moved where, the sources).
    pub note: String,
}

/// One step from a 2005 control to 2022: through a 2013 control (`via`) to a 2022 control, or
/// nowhere for a removed control.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chained {
    /// 2005 id.
    pub old: String,
    /// The 2013 control between, if any.
    pub via: Option<String>,
    /// The 2022 control, if any.
    pub new: Option<String>,
    /// 2005 → 2013.
    pub relation: Relation2005,
    /// Of the 2005 → 2013 pair.
    pub confidence: Confidence,
    /// 2013 → 2022.
    pub relation_2022: Option<Relation>,
    /// The 2005 → 2013 table's note.
    pub note: String,
}

impl Relation2005 {
    /// 同一 / 部分 / 統合 / 分割 / 削除, or the English word.
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Relation2005::Equivalent => lang.pick("同一", "equivalent"),
            Relation2005::Partial => lang.pick("部分", "partial"),
            Relation2005::Merged => lang.pick("統合", "merged"),
            Relation2005::Split => lang.pick("分割", "split"),
            Relation2005::Removed => lang.pick("削除", "removed"),
        }
    }
}

impl Confidence {
    /// 高 / 中 / 低, or the English word.
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Confidence::High => lang.pick("高", "high"),
            Confidence::Medium => lang.pick("中", "medium"),
            Confidence::Low => lang.pick("低", "low"),
        }
    }
}

pub(super) const CSV_2005: &str = include_str!("../../data/controls/iso27001-2005-controls.csv");
pub(super) const CSV_MAP_2005: &str = include_str!("../../data/controls/iso27001-2005-to-2013.csv");

impl Catalog {
    /// Adds the 2005 catalogue (`id,domain,objective,title_en,title_ja`) and its table to 2013
    /// (`old_id,new_id,note`, the note starting with the relation and the confidence in
    /// brackets: `equivalent [high] -> …`, `removed [medium]; …`).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Profile`](crate::ErrorKind::Profile), naming the file and line, for a row
    /// with too few columns, an unknown id, relation or confidence.
    pub fn with_2005(mut self, controls: &str, map: &str) -> Result<Catalog> {
        let c_file = "iso27001-2005-controls.csv";
        let m_file = "iso27001-2005-to-2013.csv";
        let rows = |name: &str, text: &str, cols: usize| -> Result<Vec<(usize, Vec<String>)>> {
            let rows = super::csv::parse(text).map_err(|m| data_error(name, 0, m))?;
            rows.into_iter()
                .skip(1)
                .map(|(line, r)| if r.len() < cols { Err(data_error(name, line, format!("{cols} columns expected"))) } else { Ok((line, r)) })
                .collect()
        };
        self.v2005 = rows(c_file, controls, 5)?
            .into_iter()
            .map(|(_, r)| Control2005 { id: r[0].clone(), domain: r[1].clone(), objective: r[2].clone(), title_en: r[3].clone(), title_ja: r[4].clone() })
            .collect();
        let mut out = Vec::new();
        for (line, r) in rows(m_file, map, 3)? {
            let bad = |what: &str| data_error(m_file, line, what);
            let (word, rest) = r[2].split_once(' ').ok_or_else(|| bad("no relation"))?;
            let relation = match word {
                "equivalent" => Relation2005::Equivalent,
                "partial" => Relation2005::Partial,
                "merged" => Relation2005::Merged,
                "split" => Relation2005::Split,
                "removed" => Relation2005::Removed,
                _ => return Err(bad("unknown relation")),
            };
            let confidence = match rest.split(']').next().unwrap_or_default().trim_start_matches('[') {
                "high" => Confidence::High,
                "medium" => Confidence::Medium,
                "low" => Confidence::Low,
                _ => return Err(bad("unknown confidence")),
            };
            let new = Some(r[1].trim().to_string()).filter(|s| !s.is_empty());
            if !self.v2005.iter().any(|c| c.id == r[0]) || new.as_ref().is_some_and(|n| self.control_2013(n).is_none()) {
                return Err(bad("unknown id"));
            }
            if (relation == Relation2005::Removed) != new.is_none() {
                return Err(bad("a removed control has no successor, every other one has"));
            }
            out.push(Mapping2005 { old: r[0].clone(), new, relation, confidence, note: r[2].clone() });
        }
        self.mappings_2005 = out;
        Ok(self)
    }

    /// A 2005 control by id (`A.10.1.1`).
    pub fn control_2005(&self, id: &str) -> Option<&Control2005> {
        self.v2005.iter().find(|c| c.id == id)
    }

    /// The 2005 controls from `from` to `to` inclusive, in Annex A order; `None` when either is
    /// unknown or `to` comes before `from`.
    pub fn range_2005(&self, from: &str, to: &str) -> Option<Vec<&Control2005>> {
        let a = self.v2005.iter().position(|c| c.id == from)?;
        let b = self.v2005.iter().position(|c| c.id == to)?;
        (a <= b).then(|| self.v2005[a..=b].iter().collect())
    }

    /// Where a 2005 control goes in 2022, step by step: one entry per (2013, 2022) pair of the
    /// chain, one entry without `via` and `new` for a removed control; empty for an unknown id.
    pub fn chain_2005(&self, old: &str) -> Vec<Chained> {
        let mut out = Vec::new();
        for m in self.mappings_2005.iter().filter(|m| m.old == old) {
            let base = Chained {
                old: m.old.clone(),
                via: m.new.clone(),
                new: None,
                relation: m.relation,
                confidence: m.confidence,
                relation_2022: None,
                note: m.note.clone(),
            };
            match &m.new {
                None => out.push(base),
                Some(via) => {
                    for s in self.successors(via) {
                        out.push(Chained { new: Some(s.new.clone()), relation_2022: Some(s.relation), ..base.clone() });
                    }
                }
            }
        }
        out
    }
}
