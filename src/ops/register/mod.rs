//! Risk registers: the LV.3 リスクアセスメント結果報告書 with its asset inventory (資産目録) and
//! treatment plan (リスク対応計画), or the ISMS seminar's risk list, found by meaning in a
//! company's own workbook, read, and computed with the profile's `[register]` rules
//! ([`crate::domain::register`]).
//!
//! Per risk: the importance comes from the inventory through 資産目録のNo (several numbers: the
//! highest), or from the register's own 重要度 cell when the asset cannot be found; the level is
//! the importance times the factors entered; the priority is the level's band; a level above the
//! 受容基準 without a treatment, or treated (低減, 回避, 移転) without a row of the plan, is a
//! warning naming its cell. The second evaluation (二次評価) is computed the same way from its
//! own inputs. A plan row serves a risk when it names the risk's No, or cites one of its Annex A
//! controls, or its 管理策 text is the risk's.
//!
//! ```no_run
//! let mut wb = risksheet::xlsx::Workbook::open("register.xlsx")?;
//! let analysis = risksheet::ops::ipa::analyze(&mut wb, None)?;
//! let register = analysis.register.expect("a register");
//! for r in &register.risks {
//!     println!("{} {:?} {:?} {:?}", r.no, r.importance, r.level, r.priority);
//! }
//! # Ok::<(), risksheet::Error>(())
//! ```
pub mod fill;
mod read;

pub(crate) use read::read;

use crate::ops::ipa::layout::TableLayout;
use indexmap::IndexMap;
use serde::Serialize;

/// An asset of the inventory (資産目録).
#[derive(Debug, Clone, Serialize)]
pub struct InventoryAsset {
    /// Sheet row.
    pub row: u32,
    /// No, as written.
    pub no: String,
    /// 情報資産名称.
    pub name: String,
    /// 機密性, 完全性, 可用性.
    pub cia: [Option<u8>; 3],
    /// 重要度 (資産価値): the profile's combination of C, I, A.
    pub importance: Option<u32>,
}

/// Where a risk's importance came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The inventory, through 資産目録のNo.
    Inventory,
    /// The register's own cell.
    Entered,
}

/// One risk of the register and what follows from it.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    /// Sheet row.
    pub row: u32,
    /// No, as written.
    pub no: String,
    /// 資産目録のNo, each number.
    pub asset_nos: Vec<String>,
    /// The asset: the inventory's names of those numbers, or the register's own name.
    pub asset: String,
    /// 事象 (or リスク源 when there is no 事象).
    pub event: String,
    /// 重要度 (資産価値).
    pub importance: Option<u32>,
    /// Where the importance came from.
    pub importance_from: Option<Source>,
    /// Each factor by key (`likelihood`; `impact`, `frequency`) and, after treatment,
    /// `residual_KEY`.
    #[serde(flatten)]
    pub factors: IndexMap<String, Option<u8>>,
    /// リスクレベル (リスク値).
    pub level: Option<u32>,
    /// 優先順位 (the band's label).
    pub priority: Option<String>,
    /// What the priority means (早急に対応).
    pub priority_advice: Option<String>,
    /// Above the 受容基準.
    pub needs_treatment: bool,
    /// The treatment options chosen (保有, 低減 …), in the profile's words.
    pub treatment: Vec<String>,
    /// 管理策, as written.
    pub controls: String,
    /// The ISO/IEC 27001:2022 controls the row cites (`5.12`).
    pub control_ids: Vec<String>,
    /// 対応 (済み / 予定 / 未定).
    pub response: Option<String>,
    /// The response means the treatment is in place (済み).
    #[serde(skip)]
    pub response_done: bool,
    /// 二次評価 重要度.
    pub residual_importance: Option<u32>,
    /// 二次評価 リスクレベル.
    pub residual_level: Option<u32>,
    /// 二次評価 優先順位.
    pub residual_priority: Option<String>,
    /// Rows of the plan that serve this risk.
    pub plan_rows: Vec<u32>,
}

/// One row of the treatment plan (リスク対応計画).
#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    /// Sheet row.
    pub row: u32,
    /// No, as written.
    pub no: String,
    /// リスクNo, each number, when the plan has that column.
    pub risk_nos: Vec<String>,
    /// 管理策.
    pub control: String,
    /// The 2022 controls it cites.
    pub control_ids: Vec<String>,
    /// タスク.
    pub task: String,
    /// 担当.
    pub owner: String,
    /// 予定 開始 / 終了, 実績 開始 / 終了, as shown (dates as `2026-04-01`).
    pub dates: [String; 4],
    /// ステータス, in the profile's word.
    pub status: Option<String>,
}

/// A count per label, in the profile's order.
pub type Counts = Vec<(String, usize)>;

/// The figures a management review asks for.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Risks.
    pub risks: usize,
    /// Risks per priority before treatment (一次評価), and those not yet evaluated (未評価).
    pub by_priority: Counts,
    /// Risks per priority after treatment (二次評価).
    pub by_residual_priority: Counts,
    /// Risks above the 受容基準.
    pub above_acceptance: usize,
    /// Of those, without any treatment.
    pub untreated: usize,
    /// Treated (低減, 回避, 移転) without a plan row.
    pub unplanned: usize,
    /// Plan rows per status, and those without one.
    pub plan: Counts,
    /// Share of plan rows finished, 0–1 (`None` without rows).
    pub plan_done: Option<f64>,
}

/// A register as read and computed.
#[derive(Debug, Clone, Serialize)]
pub struct Register {
    /// The inventory's layout, when one was found.
    #[serde(skip)]
    pub inventory_layout: Option<TableLayout>,
    /// The register's layout.
    #[serde(skip)]
    pub layout: TableLayout,
    /// The plan's layout, when one was found.
    #[serde(skip)]
    pub plan_layout: Option<TableLayout>,
    /// Assets of the inventory.
    pub inventory: Vec<InventoryAsset>,
    /// Risks, in sheet order.
    pub risks: Vec<Risk>,
    /// Rows of the plan.
    pub plan: Vec<PlanRow>,
    /// The counts.
    #[serde(rename = "register_summary")]
    pub summary: Summary,
}
