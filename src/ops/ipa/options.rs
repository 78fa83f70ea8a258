//! What a caller gives beside the workbook: profile, explicit places and company facts.
use crate::lang::Lang;
use crate::profile::Profile;

/// What a caller says beside the workbook: the profile, where things are when the inference
/// cannot tell, and the company facts no IPA sheet asks. The CLI's `--profile`, `--map` and
/// `--fact`, and the Python module's keyword arguments, all end here.
///
/// ```
/// use risksheet::ops::ipa::ReadOptions;
/// let opts = ReadOptions::default()
///     .map("ledger.medium", "G")
///     .map("checklist", "チェック表")
///     .fact("employees", "12");
/// assert_eq!(opts.map.len(), 2);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The profile; `None` detects the edition from the workbook.
    pub profile: Option<Profile>,
    /// Explicit places, over what the inference finds and over the profile's `[layout]`:
    /// `("ledger.medium", "G")` (a column), `("checklist", "チェック表")` (a sheet).
    pub map: Vec<(String, String)>,
    /// Company facts, over the workbook's 会社の状況 block and the profile's `[facts]`:
    /// `("outsourcing", "はい")`, `("employees", "12")`.
    pub facts: Vec<(String, String)>,
    /// The language of warnings and messages. Text written into the workbook follows the
    /// workbook's own language, whatever this says.
    pub lang: Lang,
}

impl ReadOptions {
    /// Options with a profile (or detection) and nothing else.
    pub fn with_profile(profile: Option<&Profile>) -> ReadOptions {
        ReadOptions { profile: profile.cloned(), ..ReadOptions::default() }
    }
    /// Adds an explicit place (`ledger.medium` → `G`).
    pub fn map(mut self, key: &str, value: &str) -> ReadOptions {
        self.map.push((key.to_string(), value.to_string()));
        self
    }
    /// Sets the language of warnings and messages.
    pub fn lang(mut self, lang: Lang) -> ReadOptions {
        self.lang = lang;
        self
    }
    /// Adds a company fact (`employees` → `12`).
    pub fn fact(mut self, key: &str, value: &str) -> ReadOptions {
        self.facts.push((key.to_string(), value.to_string()));
        self
    }
}
