//! ISO/IEC 27001 Annex A control catalogues (2013: 114 controls, 2022: 93 controls) and the
//! 2013→2022 correspondence (115 pairs after ISO/IEC 27002:2022 Annex B), embedded in the
//! binary from `data/controls/`, plus the parser of control references in cell texts
//! ([`refs`]).
//!
//! The Japanese titles are public transcriptions, not the JIS text; a licensed catalogue (e.g.
//! the JIS Q 27001 titles) can be loaded over them with [`Catalog::load_titles`].
//!
//! ```
//! use risksheet::controls::{Catalog, Relation};
//! let cat = Catalog::bundled();
//! assert_eq!((cat.v2013.len(), cat.v2022.len(), cat.mappings.len()), (114, 93, 115));
//! let to: Vec<&str> = cat.successors("A.18.2.3").iter().map(|m| m.new.as_str()).collect();
//! assert_eq!(to, ["5.36", "8.8"]);
//! assert_eq!(cat.successors("A.6.1.2")[0].relation, Relation::Equal);
//! assert!(cat.predecessors("5.7").is_empty()); // threat intelligence is new in 2022
//! assert_eq!(cat.control_2022("8.8").unwrap().title_ja, "技術的ぜい弱性の管理");
//! ```
pub(crate) mod csv;
pub mod refs;
mod v2005;

pub use v2005::{Chained, Confidence, Control2005, Mapping2005, Relation2005};

use crate::error::{Error, ErrorKind, Lang, Result};
use serde::Serialize;
use std::path::Path;
use std::sync::OnceLock;

const CSV_2013: &str = include_str!("../../data/controls/iso27001-2013-controls.csv");
const CSV_2022: &str = include_str!("../../data/controls/iso27001-2022-controls.csv");
const CSV_MAP: &str = include_str!("../../data/controls/iso27001-2013-to-2022.csv");

/// A 2013 Annex A control (`A.12.6.1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control2013 {
    /// `A.12.6.1`.
    pub id: String,
    /// Its domain, `A.12 Operations security`.
    pub domain: String,
    /// The domain in Japanese, 「運用のセキュリティ」.
    pub domain_ja: String,
    /// English title.
    pub title_en: String,
    /// Japanese title, when a loaded catalogue gives one (none are bundled).
    pub title_ja: Option<String>,
}

/// The four themes of the 2022 Annex A.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Theme {
    /// 5 組織的管理策 (37 controls).
    Organizational,
    /// 6 人的管理策 (8).
    People,
    /// 7 物理的管理策 (14).
    Physical,
    /// 8 技術的管理策 (34).
    Technological,
}

impl Theme {
    /// The theme's name in `lang` (「組織的管理策」, "Organizational controls").
    pub fn name(self, lang: Lang) -> &'static str {
        match self {
            Theme::Organizational => lang.pick("組織的管理策", "Organizational controls"),
            Theme::People => lang.pick("人的管理策", "People controls"),
            Theme::Physical => lang.pick("物理的管理策", "Physical controls"),
            Theme::Technological => lang.pick("技術的管理策", "Technological controls"),
        }
    }

    fn parse(s: &str) -> Option<Theme> {
        match s {
            "Organizational" => Some(Theme::Organizational),
            "People" => Some(Theme::People),
            "Physical" => Some(Theme::Physical),
            "Technological" => Some(Theme::Technological),
            _ => None,
        }
    }
}

/// An edition of ISO/IEC 27001 whose Annex A a legacy sheet cites.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Edition {
    /// ISO/IEC 27001:2005 (JIS Q 27001:2006): 133 controls, A.5–A.15.
    #[serde(rename = "2005")]
    Iso2005,
    /// ISO/IEC 27001:2013 (JIS Q 27001:2014): 114 controls, A.5–A.18.
    #[default]
    #[serde(rename = "2013")]
    Iso2013,
}

impl Edition {
    /// `2005` / `2013`.
    pub fn year(self) -> u16 {
        match self {
            Edition::Iso2005 => 2005,
            Edition::Iso2013 => 2013,
        }
    }
    /// Parses `2005` / `2013` (and the JIS years 2006 / 2014).
    ///
    /// ```
    /// use risksheet::controls::Edition;
    /// assert_eq!(Edition::parse("2006"), Some(Edition::Iso2005));
    /// assert_eq!(Edition::parse("2022"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Edition> {
        match s.trim() {
            "2005" | "2006" => Some(Edition::Iso2005),
            "2013" | "2014" => Some(Edition::Iso2013),
            _ => None,
        }
    }
}

/// A 2022 Annex A control (`8.8`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control2022 {
    /// `8.8`.
    pub id: String,
    /// Its theme.
    pub theme: Theme,
    /// English title.
    pub title_en: String,
    /// Japanese title.
    pub title_ja: String,
    /// Control types (`Preventive`, `Detective`, `Corrective`).
    pub control_type: Vec<String>,
    /// Information security properties (`Confidentiality`, …).
    pub properties: Vec<String>,
    /// Cybersecurity concepts (`Identify`, `Protect`, …).
    pub concepts: Vec<String>,
}

impl Control2022 {
    /// The title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.title_ja,
            Lang::En => &self.title_en,
        }
    }
}

/// How a 2013 control relates to a 2022 control (ISO/IEC 27002:2022 Annex B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The same control.
    Equal,
    /// The 2013 control is part of the 2022 control (merged into it).
    Subset,
    /// The controls overlap (the one split, A.18.2.3 → 5.36 and 8.8).
    Intersect,
}

impl Relation {
    /// 同一 / 統合 / 分割 (the 2013 control is the same, merged into, or split over the 2022
    /// one), or the English word.
    pub fn word(self, lang: Lang) -> &'static str {
        match self {
            Relation::Equal => lang.pick("同一", "equivalent"),
            Relation::Subset => lang.pick("統合", "merged"),
            Relation::Intersect => lang.pick("分割", "split"),
        }
    }
    /// `equal` / `subset` / `intersect`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Equal => "equal",
            Relation::Subset => "subset",
            Relation::Intersect => "intersect",
        }
    }
}

/// One pair of the correspondence table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mapping {
    /// 2013 id (`A.9.2.5`).
    pub old: String,
    /// 2022 id (`5.18`).
    pub new: String,
    /// How they relate.
    pub relation: Relation,
}

/// Both catalogues and the correspondence table.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The 114 controls of 2013, in Annex A order.
    pub v2013: Vec<Control2013>,
    /// The 93 controls of 2022, in Annex A order.
    pub v2022: Vec<Control2022>,
    /// The 115 pairs 2013 → 2022.
    pub mappings: Vec<Mapping>,
    /// The 133 controls of 2005, in Annex A order (empty unless loaded, [`Catalog::with_2005`]).
    pub v2005: Vec<Control2005>,
    /// The 2005 → 2013 table.
    pub mappings_2005: Vec<Mapping2005>,
}

fn data_error(file: &str, line: usize, msg: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Profile(format!("{file}:{line}: {msg}").into()))
}

fn split_list(s: &str) -> Vec<String> {
    s.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// Whether `id` is written as a 2013 control id (`A.` and three numbers).
fn is_2013_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("A.") else { return false };
    let parts: Vec<&str> = rest.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

impl Catalog {
    /// Parses catalogues from CSV texts (the bundled ones have this shape):
    /// 2013 `id,domain,domain_ja,title_en`; 2022 `id,theme,title_en,title_ja,control_type,
    /// properties,concepts`; table `old_id,new_id,relation`. Every id of the table must be in
    /// the catalogues.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Profile`], naming the file and line, when a row has too few columns, an id,
    /// theme or relation is unknown, or a quoted field is not closed.
    pub fn from_csv(c2013: &str, c2022: &str, map: &str) -> Result<Catalog> {
        let rows = |name: &str, text: &str, cols: usize| -> Result<Vec<(usize, Vec<String>)>> {
            let rows = csv::parse(text).map_err(|m| data_error(name, 0, m))?;
            let mut out = Vec::new();
            for (i, (line, r)) in rows.into_iter().enumerate() {
                if i == 0 {
                    continue; // header
                }
                if r.len() < cols {
                    return Err(data_error(name, line, format!("{cols} columns expected, {} found", r.len())));
                }
                out.push((line, r));
            }
            Ok(out)
        };
        let mut v2013 = Vec::new();
        for (line, r) in rows("iso27001-2013-controls.csv", c2013, 4)? {
            if !is_2013_id(&r[0]) {
                return Err(data_error("iso27001-2013-controls.csv", line, format!("bad id {}", r[0])));
            }
            v2013.push(Control2013 {
                id: r[0].clone(),
                domain: r[1].clone(),
                domain_ja: r[2].clone(),
                title_en: r[3].clone(),
                title_ja: r.get(4).filter(|s| !s.is_empty()).cloned(),
            });
        }
        let mut v2022 = Vec::new();
        for (line, r) in rows("iso27001-2022-controls.csv", c2022, 7)? {
            let theme = Theme::parse(&r[1]).ok_or_else(|| data_error("iso27001-2022-controls.csv", line, format!("unknown theme {}", r[1])))?;
            v2022.push(Control2022 {
                id: r[0].clone(),
                theme,
                title_en: r[2].clone(),
                title_ja: r[3].clone(),
                control_type: split_list(&r[4]),
                properties: split_list(&r[5]),
                concepts: split_list(&r[6]),
            });
        }
        let mut mappings = Vec::new();
        for (line, r) in rows("iso27001-2013-to-2022.csv", map, 3)? {
            let relation = match r[2].as_str() {
                "equal" => Relation::Equal,
                "subset" => Relation::Subset,
                "intersect" => Relation::Intersect,
                other => return Err(data_error("iso27001-2013-to-2022.csv", line, format!("unknown relation {other}"))),
            };
            if !v2013.iter().any(|c| c.id == r[0]) || !v2022.iter().any(|c| c.id == r[1]) {
                return Err(data_error("iso27001-2013-to-2022.csv", line, format!("unknown id {} or {}", r[0], r[1])));
            }
            mappings.push(Mapping { old: r[0].clone(), new: r[1].clone(), relation });
        }
        Ok(Catalog { v2013, v2022, mappings, v2005: Vec::new(), mappings_2005: Vec::new() })
    }

    /// The bundled catalogues with titles loaded over them from a CSV when one is given
    /// (`--catalog`, `catalog=` in Python; see [`Catalog::load_titles`]).
    ///
    /// # Errors
    ///
    /// Those of [`Catalog::load_titles`].
    pub fn with_titles(csv: Option<&Path>) -> Result<Catalog> {
        let mut cat = Catalog::bundled().clone();
        if let Some(path) = csv {
            cat.load_titles(path)?;
        }
        Ok(cat)
    }

    /// The bundled catalogues (parsed once).
    pub fn bundled() -> &'static Catalog {
        static CAT: OnceLock<Catalog> = OnceLock::new();
        // The bundled data is checked by the tests; a failure here is a build defect.
        CAT.get_or_init(|| {
            Catalog::from_csv(CSV_2013, CSV_2022, CSV_MAP)
                .and_then(|c| c.with_2005(v2005::CSV_2005, v2005::CSV_MAP_2005))
                .expect("bundled control catalogues are valid")
        })
    }

    /// A 2013 control by id (`A.12.6.1`).
    pub fn control_2013(&self, id: &str) -> Option<&Control2013> {
        self.v2013.iter().find(|c| c.id == id)
    }

    /// Whether `id` is a control of `edition`.
    pub fn is_control(&self, edition: Edition, id: &str) -> bool {
        match edition {
            Edition::Iso2005 => self.control_2005(id).is_some(),
            Edition::Iso2013 => self.control_2013(id).is_some(),
        }
    }

    /// The ids of `edition` from `from` to `to` inclusive, in Annex A order; `None` when either
    /// is unknown or `to` comes before `from`.
    pub fn range(&self, edition: Edition, from: &str, to: &str) -> Option<Vec<String>> {
        match edition {
            Edition::Iso2005 => self.range_2005(from, to).map(|v| v.iter().map(|c| c.id.clone()).collect()),
            Edition::Iso2013 => self.range_2013(from, to).map(|v| v.iter().map(|c| c.id.clone()).collect()),
        }
    }

    /// The controls of an objective (`A.5.1` → `A.5.1.1`, `A.5.1.2`) in `edition`.
    pub fn objective(&self, edition: Edition, objective: &str) -> Vec<String> {
        let prefix = format!("{objective}.");
        let ids: Vec<&String> = match edition {
            Edition::Iso2005 => self.v2005.iter().map(|c| &c.id).collect(),
            Edition::Iso2013 => self.v2013.iter().map(|c| &c.id).collect(),
        };
        ids.into_iter().filter(|id| id.starts_with(&prefix)).cloned().collect()
    }

    /// A 2022 control by id (`8.8`).
    pub fn control_2022(&self, id: &str) -> Option<&Control2022> {
        self.v2022.iter().find(|c| c.id == id)
    }

    /// The 2022 controls a text cites by id (`A.5.18`, `5.18`, full width), in order, each once.
    ///
    /// ```
    /// let cat = risksheet::controls::Catalog::bundled();
    /// assert_eq!(cat.cited_2022("情報の分類（A.5.12）、ラベル付け ５．１３"), ["5.12", "5.13"]);
    /// assert!(cat.cited_2022("12.6.1 と 9.9").is_empty());
    /// ```
    pub fn cited_2022(&self, text: &str) -> Vec<String> {
        static RE: OnceLock<regex::Regex> = OnceLock::new();
        let re = RE.get_or_init(|| regex::Regex::new(r"(?:^|[^0-9A-Za-z.])(?:A\.?\s*)?([5-8]\.[0-9]{1,2})(?:$|[^0-9.])").expect("regex"));
        let t = crate::text::to_narrow(text);
        let mut ids: Vec<String> = Vec::new();
        for c in re.captures_iter(&t) {
            let id = c[1].to_string();
            if self.control_2022(&id).is_some() && !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// The 2022 controls a 2013 control maps to, in table order.
    pub fn successors(&self, old: &str) -> Vec<&Mapping> {
        self.mappings.iter().filter(|m| m.old == old).collect()
    }

    /// The 2013 controls that map to a 2022 control.
    pub fn predecessors(&self, new: &str) -> Vec<&Mapping> {
        self.mappings.iter().filter(|m| m.new == new).collect()
    }

    /// The 2022 controls without a 2013 predecessor (the 11 new ones).
    pub fn new_in_2022(&self) -> Vec<&Control2022> {
        self.v2022.iter().filter(|c| self.predecessors(&c.id).is_empty()).collect()
    }

    /// The 2013 controls from `from` to `to` inclusive, in Annex A order; `None` when either is
    /// unknown or `to` comes before `from`.
    pub fn range_2013(&self, from: &str, to: &str) -> Option<Vec<&Control2013>> {
        let a = self.v2013.iter().position(|c| c.id == from)?;
        let b = self.v2013.iter().position(|c| c.id == to)?;
        (a <= b).then(|| self.v2013[a..=b].iter().collect())
    }

    /// Loads titles over the bundled ones from a CSV file `id,title_ja[,title_en]` (an optional
    /// header row starts with `id`). Ids are 2022 ids (`5.1`: their titles are the ones written)
    /// or 2013 ids (`A.5.1.1`: titles recognised beside a legacy reference and shown for the
    /// legacy control). An unknown id or a row without a title is an error naming the line.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be read; [`ErrorKind::Usage`], naming the file, when
    /// it is not UTF-8 or [`Catalog::apply_titles`] refuses it.
    ///
    /// ```
    /// let path = std::env::temp_dir().join("risksheet-doc-catalog.csv");
    /// std::fs::write(&path, "id,title_ja,title_en\n5.1,情報セキュリティ方針,\nA.5.1.1,情報セキュリティのための方針群,\n")?;
    /// let mut cat = risksheet::controls::Catalog::bundled().clone();
    /// cat.load_titles(&path)?;
    /// assert_eq!(cat.control_2022("5.1").unwrap().title_ja, "情報セキュリティ方針");
    /// assert_eq!(cat.control_2022("5.1").unwrap().title_en, "Policies for information security");
    /// assert_eq!(cat.control_2013("A.5.1.1").unwrap().title_ja.as_deref(), Some("情報セキュリティのための方針群"));
    /// # std::fs::remove_file(&path)?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn load_titles(&mut self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::from(e).in_file(path))?;
        let text =
            String::from_utf8(bytes).map_err(|_| Error::usage(crate::lang::Message::new("UTF-8 のCSVではありません", "not a UTF-8 CSV file")).in_file(path))?;
        self.apply_titles(&text).map_err(|e| e.in_file(path))
    }

    /// [`Catalog::load_titles`] on CSV text.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Usage`], naming the line, when a row has no title or an id that is in neither
    /// catalogue, or a quoted field is not closed.
    pub fn apply_titles(&mut self, text: &str) -> Result<()> {
        let rows = csv::parse(text).map_err(Error::usage)?;
        for (i, (line, r)) in rows.iter().enumerate() {
            let id = crate::text::to_narrow(r[0].trim());
            if i == 0 && id.eq_ignore_ascii_case("id") {
                continue;
            }
            let ja = r.get(1).map(|s| s.trim()).unwrap_or("");
            let en = r.get(2).map(|s| s.trim()).unwrap_or("");
            let at = |ja: &str, en: &str| Error::usage(crate::lang::Message::new(format!("行 {line}: {ja}: {id}"), format!("line {line}: {en}: {id}")));
            if ja.is_empty() && en.is_empty() {
                return Err(at("名称がありません", "no title"));
            }
            if let Some(c) = self.v2022.iter_mut().find(|c| c.id == id) {
                if !ja.is_empty() {
                    c.title_ja = ja.to_string();
                }
                if !en.is_empty() {
                    c.title_en = en.to_string();
                }
            } else if let Some(c) = self.v2013.iter_mut().find(|c| c.id == id || c.id == format!("A.{id}") && id.matches('.').count() == 2) {
                if !ja.is_empty() {
                    c.title_ja = Some(ja.to_string());
                }
                if !en.is_empty() {
                    c.title_en = en.to_string();
                }
            } else {
                return Err(at("不明な管理策番号", "unknown control id"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "tests/mod.rs"]
mod tests;
