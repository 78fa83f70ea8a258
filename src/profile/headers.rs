//! The header texts a profile gives for each sheet and column, and how a cell's text is scored
//! against them (as a person reads a header: notes, numbering and spacing do not count).
use super::*;

/// A header text with the variants users write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The text written by `new` (Japanese).
    pub text: String,
    /// The English text.
    #[serde(default)]
    pub text_en: String,
    /// Other full texts recognised.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Key words that are enough when found anywhere in the cell (「実施率」).
    #[serde(default)]
    pub contains: Vec<String>,
}
bilingual!(Header, text_in, text, text_en);

impl Header {
    /// Whether a cell (or sheet name) shows this header: equal to the text or a variant after
    /// [`normalize_key`], also once a trailing note in brackets is removed, or containing one of
    /// the key words.
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// let p = Profile::builtin("ipa-2.1")?;
    /// assert!(p.headers.ledger.threat.matches("脅威の発生頻度\n（「脅威の状況」シートで設定）"));
    /// assert!(p.headers.ledger.medium.matches("媒体・保存先"));
    /// assert!(!p.headers.ledger.personal.matches("個人情報の種類"));
    /// assert!(p.headers.result.rate.matches("対策状況チェックの診断結果（対策の実施率）"));
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn matches(&self, cell: &str) -> bool {
        let key = normalize_key(cell);
        let bare = strip_trailing_note(&key);
        // The English text too: an English template (`new --lang en`) is read back by it.
        let names = std::iter::once(&self.text).chain(&self.variants).chain(std::iter::once(&self.text_en).filter(|n| !n.is_empty())).map(|n| normalize_key(n));
        names.into_iter().any(|n| n == key || n == bare) || self.contains.iter().any(|word| key.contains(&normalize_key(word)))
    }
}

impl Header {
    /// How well a header cell reads as this header, from 0 to 1, as a person would judge it:
    /// the cell's text and the names compared by [`header_key`] (width, spacing, notes in
    /// brackets, numbering, punctuation and the long-vowel mark do not count) and
    /// [`crate::text::key_similarity`]; a key word of `contains` found in the cell gives 0.9; a note alone
    /// naming the field (「(C)」 for a header 「C」) gives 0.8.
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// let p = Profile::builtin("ipa-3")?;
    /// let h = &p.headers.ledger;
    /// assert_eq!(h.confidentiality.score("機密性（C）"), 1.0);
    /// assert!(h.asset.score("資産の名称") > 0.7);
    /// assert!(h.risk.score("リスク所有者") < 0.5);
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn score(&self, cell: &str) -> f32 {
        self.scorer().score(cell)
    }

    /// The header's names prepared once for scoring many cells ([`Header::score`]).
    pub fn scorer(&self) -> HeaderScorer {
        let names = std::iter::once(&self.text).chain(&self.variants).chain(std::iter::once(&self.text_en).filter(|n| !n.is_empty()));
        HeaderScorer {
            keys: names.map(|n| header_key(n).0).filter(|k| !k.is_empty()).map(|k| HeaderKey::new(&k)).collect(),
            contains: self.contains.iter().map(|w| normalize_key(w)).collect(),
        }
    }
}

/// A [`Header`]'s names as comparison keys, computed once: scoring a sheet's header cells
/// against every field would otherwise normalise the same names thousands of times.
#[derive(Debug, Clone)]
pub struct HeaderScorer {
    keys: Vec<HeaderKey>,
    contains: Vec<String>,
}

/// The cell text of a header, prepared once for every field's [`HeaderScorer`].
#[derive(Debug, Clone)]
pub struct HeaderCell {
    key: HeaderKey,
    note: String,
    full: String,
}

impl HeaderCell {
    /// Prepares a cell's text.
    pub fn new(cell: &str) -> HeaderCell {
        let (key, note) = header_key(cell);
        HeaderCell { key: HeaderKey::new(&key), note, full: normalize_key(cell) }
    }
}

impl HeaderScorer {
    /// [`Header::score`] of a cell.
    pub fn score(&self, cell: &str) -> f32 {
        self.score_cell(&HeaderCell::new(cell))
    }

    /// 0.9 when a long cell contains one of the header's key words, else 0: prose is no header.
    pub fn contains_only(&self, cell: &str) -> f32 {
        let full = normalize_key(cell);
        if self.contains.iter().any(|w| full.contains(w.as_str())) {
            0.9
        } else {
            0.0
        }
    }

    /// [`Header::score`] of a prepared cell text.
    pub fn score_cell(&self, cell: &HeaderCell) -> f32 {
        if cell.key.as_str().is_empty() {
            return 0.0;
        }
        let mut best = 0.0f32;
        for name_key in &self.keys {
            best = best.max(name_key.similarity(&cell.key));
            if !cell.note.is_empty() && name_key.as_str() == cell.note {
                best = best.max(0.8);
            }
        }
        if self.contains.iter().any(|w| cell.full.contains(w.as_str())) {
            best = best.max(0.9);
        }
        best
    }
}

/// All header texts of a profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Headers {
    /// Sheet names.
    pub sheets: SheetHeaders,
    /// Columns of 情報資産管理台帳.
    pub ledger: LedgerHeaders,
    /// Columns of 脅威の状況.
    pub threats: ThreatHeaders,
    /// Columns of 対策状況チェック.
    pub checklist: ChecklistHeaders,
    /// Columns of 診断結果.
    pub result: ResultHeaders,
    /// Columns of the asset inventory (資産目録) a risk register points to.
    #[serde(default)]
    pub inventory: InventoryHeaders,
    /// Columns of the risk register (リスクアセスメント結果報告書).
    #[serde(default)]
    pub register: RegisterHeaders,
    /// Columns of the treatment plan (リスク対応計画).
    #[serde(default)]
    pub plan: PlanHeaders,
    /// Columns of the self check (自社診断).
    #[serde(default)]
    pub self_check: SelfCheckHeaders,
}

/// Sheet names; sheets that an edition lacks are absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetHeaders {
    /// 利用方法 (3.x).
    #[serde(default)]
    pub usage: Option<Header>,
    /// 台帳記入例 / 情報資産台帳記入例.
    #[serde(default)]
    pub ledger_example: Option<Header>,
    /// 重要度定義 (3.x).
    #[serde(default)]
    pub importance_definition: Option<Header>,
    /// 情報資産管理台帳.
    pub ledger: Header,
    /// 脅威の状況.
    pub threats: Header,
    /// 対策状況チェック.
    pub checklist: Header,
    /// 診断結果.
    pub result: Header,
    /// 資産目録 (a risk register's asset inventory).
    #[serde(default)]
    pub inventory: Option<Header>,
    /// リスクアセスメント結果報告書.
    #[serde(default)]
    pub register: Option<Header>,
    /// リスク対応計画.
    #[serde(default)]
    pub plan: Option<Header>,
    /// 自社診断 (the 25-item self check).
    #[serde(default)]
    pub self_check: Option<Header>,
    /// Words in a tab name that mark a sheet as an old copy (「台帳（旧）」, 「情報資産管理台帳 (2)」,
    /// 「backup」): such a sheet is taken for a table only when no other sheet holds one as well.
    #[serde(default)]
    pub stale: Vec<String>,
}

/// Column headers of 情報資産管理台帳 (and the title cell and group headers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LedgerHeaders {
    /// Title cell 「情報資産管理台帳」.
    pub title: Header,
    /// 業務分類 (locates the header row).
    pub business: Header,
    /// 情報資産名称.
    pub asset: Header,
    /// 備考.
    pub note: Header,
    /// 利用者範囲.
    pub users: Header,
    /// 管理部署.
    pub owner: Header,
    /// 媒体・保存先.
    pub medium: Header,
    /// Group header 個人情報の種類.
    pub personal_group: Header,
    /// 個人情報.
    pub personal: Header,
    /// 要配慮個人情報.
    pub sensitive: Header,
    /// マイナンバー / 特定個人情報.
    pub mynumber: Header,
    /// Group header 評価値.
    pub evaluation_group: Header,
    /// 機密性.
    pub confidentiality: Header,
    /// 完全性.
    pub integrity: Header,
    /// 可用性.
    pub availability: Header,
    /// 重要度.
    pub importance: Header,
    /// 保存期限.
    pub retention: Header,
    /// 登録日.
    pub registered: Header,
    /// Group header 現状から想定されるリスク.
    pub risk_group: Header,
    /// 脅威の発生頻度.
    pub threat: Header,
    /// 脆弱性.
    pub vulnerability: Header,
    /// 被害発生可能性.
    pub likelihood: Header,
    /// リスク値.
    pub risk: Header,
}

/// Column headers of 脅威の状況.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatHeaders {
    /// 媒体・保存先.
    pub medium: Header,
    /// 個別の脅威.
    pub threat: Header,
    /// 対策を講じない場合の脅威の発生頻度.
    pub frequency: Header,
    /// 対策状況 (the medium's vulnerability).
    pub status: Header,
}

/// Column headers of 対策状況チェック.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistHeaders {
    /// The group column.
    pub group: Header,
    /// 情報セキュリティ診断項目.
    pub item: Header,
    /// 回答値.
    pub answer: Header,
}

/// Column headers of 診断結果.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultHeaders {
    /// 対策の種類（情報セキュリティポリシー名称）.
    pub chapter: Header,
    /// 策定の必要性.
    pub need: Header,
    /// 実施率.
    pub rate: Header,
    /// 対策規定の要否.
    pub decision: Header,
}
