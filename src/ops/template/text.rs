//! Prose of the template in the project's own words: the 利用方法 sheet, the 重要度定義 scale
//! texts, notes under the titles, prompts of the dropdowns, and the 記入例 assets.
use crate::error::Lang;

/// A text in both languages.
pub(crate) type Bi = (&'static str, &'static str);

/// Picks the text of a language.
pub(crate) fn t(lang: Lang, text: Bi) -> &'static str {
    lang.pick(text.0, text.1)
}

/// Sheet names the how-to refers to, in the template's language.
pub(crate) struct Names<'a> {
    pub ledger: &'a str,
    pub example: Option<&'a str>,
    pub definition: Option<&'a str>,
    pub threats: &'a str,
    pub checklist: &'a str,
    pub result: &'a str,
}

/// The paragraphs of 利用方法: (is a heading, text).
pub(crate) fn usage(lang: Lang, n: &Names<'_>) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    match lang {
        Lang::Ja => {
            out.push((true, "このブックについて".into()));
            out.push((false, "情報資産ごとのリスクを洗い出し、必要な情報セキュリティ対策と、策定すべきポリシーの章を決めるためのシートです。入力する欄は白、自動で計算される欄は灰色です。灰色の欄には入力しないでください。".into()));
            out.push((true, "手順".into()));
            let mut step = 1;
            let mut push = |out: &mut Vec<(bool, String)>, s: String| {
                out.push((false, format!("{step}. {s}")));
                step += 1;
            };
            push(&mut out, format!("「{}」シートの5行目から、1行に1つずつ情報資産を記入します（業務分類〜登録日）。媒体・保存先、個人情報の種類、機密性・完全性・可用性は、セルを選ぶと表示される一覧から選べます。", n.ledger));
            if let Some(ex) = n.example {
                push(&mut out, format!("書き方に迷ったら「{ex}」シートの記入例を参考にしてください。"));
            }
            if let Some(def) = n.definition {
                push(&mut out, format!("機密性・完全性・可用性の値は「{def}」シートの目安で決めます。"));
            }
            push(
                &mut out,
                format!("「{}」シートで、媒体・保存先ごとの脅威について、対策をしなかった場合にどのくらい起こりうるかを一覧から選びます。", n.threats),
            );
            push(&mut out, format!("「{}」シートで、各項目に自社の状況にいちばん近い回答を一覧から選びます。", n.checklist));
            push(&mut out, "入力が終わったら risksheet fill を実行します（例: risksheet fill 台帳.xlsx）。重要度、脅威の発生頻度、脆弱性、被害発生可能性、リスク値、対策状況、実施率、要否が計算され、式と値が灰色の欄に書き込まれます。入力を直したら、もう一度実行してください。".into());
            push(&mut out, format!("「{}」シートで、対策の実施率と、策定が必要な情報セキュリティポリシーの章を確かめます。リスク大の情報資産から優先して対策を進めてください。", n.result));
            out.push((true, "注意".into()));
            out.push((false, "・行や列を追加しても構いません。risksheet は見出しの文字で列を探すので、見出しの文字は変えないでください。".into()));
            out.push((false, "・全角の数字（２）や「○」も読み取れます。".into()));
        }
        Lang::En => {
            out.push((true, "About this workbook".into()));
            out.push((false, "Use it to list the risks of each information asset and to decide which security measures and which policy chapters the company needs. White cells are for input; grey cells are computed: do not type into them.".into()));
            out.push((true, "Steps".into()));
            let mut step = 1;
            let mut push = |out: &mut Vec<(bool, String)>, s: String| {
                out.push((false, format!("{step}. {s}")));
                step += 1;
            };
            push(&mut out, format!("On the \"{}\" sheet, from row 5, enter one information asset per row (Business area to Registered). Medium, personal information and the confidentiality, integrity and availability values have dropdown lists.", n.ledger));
            if let Some(ex) = n.example {
                push(&mut out, format!("The \"{ex}\" sheet shows filled-in examples."));
            }
            if let Some(def) = n.definition {
                push(&mut out, format!("Choose the confidentiality, integrity and availability values with the guide on the \"{def}\" sheet."));
            }
            push(&mut out, format!("On the \"{}\" sheet, choose for each threat how often it would occur without measures.", n.threats));
            push(&mut out, format!("On the \"{}\" sheet, choose the answer closest to the company's situation for every item.", n.checklist));
            push(&mut out, "Then run risksheet fill (e.g. risksheet fill ledger.xlsx). It computes importance, threat frequency, vulnerability, likelihood, risk value, the state of measures, the implementation rates and the decisions, and writes formulas with their values into the grey cells. Run it again after changing any input.".into());
            push(
                &mut out,
                format!(
                    "The \"{}\" sheet shows the implementation rates and the policy chapters the company must write. Treat high-risk assets first.",
                    n.result
                ),
            );
            out.push((true, "Notes".into()));
            out.push((false, "- Rows and columns may be added. risksheet finds columns by their header text, so keep the header texts as they are.".into()));
            out.push((false, "- Full-width digits and marks such as \"○\" are read too.".into()));
        }
    }
    out
}

/// Guide texts of one C/I/A level by rank (0 = highest): (confidentiality, integrity, availability).
pub(crate) fn cia_guide(lang: Lang, rank: usize, levels: usize) -> [&'static str; 3] {
    const HIGH: [Bi; 3] = [
        (
            "限られた人だけが扱う情報。漏えいすると、顧客や取引先に大きな損害を与えたり、法令違反になったりする",
            "Only a few named people may see it; a leak would seriously harm customers or partners or break the law",
        ),
        ("誤りや改ざんがあると、業務や顧客・取引先に大きな損害が出る", "Errors or tampering would cause serious damage to the business, customers or partners"),
        ("使えなくなると、すぐに業務が止まり大きな損害が出る", "If it became unavailable, work would stop at once with serious damage"),
    ];
    const MID: [Bi; 3] = [
        ("社内の関係者だけが扱う情報。漏えいすると業務に支障が出る", "Only staff concerned may see it; a leak would disrupt the business"),
        ("誤りや改ざんがあると業務に支障が出る", "Errors or tampering would disrupt the business"),
        (
            "使えなくなると業務に支障が出るが、しばらくは別の手段でしのげる",
            "If it became unavailable, work would be disrupted but could go on another way for a while",
        ),
    ];
    const LOW: [Bi; 3] = [
        ("公開してよい情報。漏えいしても影響はほとんどない", "Public information; a leak would have almost no effect"),
        ("誤りがあっても業務への影響はほとんどない", "Errors would have almost no effect on the business"),
        ("使えなくなっても業務への影響はほとんどない", "Unavailability would have almost no effect on the business"),
    ];
    let set = if rank == 0 {
        HIGH
    } else if rank + 1 >= levels {
        LOW
    } else {
        MID
    };
    [t(lang, set[0]), t(lang, set[1]), t(lang, set[2])]
}

/// One example asset of the 記入例 sheet (ipa-2.1 values, C/I/A on 0–2).
pub(crate) struct Example {
    pub business: Bi,
    pub asset: Bi,
    pub note: Bi,
    pub users: Bi,
    pub owner: Bi,
    /// Id of the medium in the profile.
    pub medium: &'static str,
    /// 個人情報, 要配慮個人情報, マイナンバー.
    pub personal: [bool; 3],
    /// C, I, A on the 0–2 scale.
    pub cia: [u8; 3],
    pub retention: Bi,
}

/// The eight assets of the IPA sample (domain.md §2.2), with our own descriptions.
pub(crate) const EXAMPLES: [Example; 8] = [
    Example {
        business: ("人事", "HR"),
        asset: ("社員名簿", "Staff list"),
        note: ("社員の氏名・住所・連絡先（Excelファイル）", "Names, addresses, contacts of staff (Excel file)"),
        users: ("人事担当者", "HR staff"),
        owner: ("総務部", "General affairs"),
        medium: "office-pc",
        personal: [true, false, false],
        cia: [2, 0, 0],
        retention: ("退職後5年", "5 years after leaving"),
    },
    Example {
        business: ("人事", "HR"),
        asset: ("社員名簿", "Staff list"),
        note: ("印刷した控え", "Printed copy"),
        users: ("人事担当者", "HR staff"),
        owner: ("総務部", "General affairs"),
        medium: "paper",
        personal: [true, false, false],
        cia: [2, 2, 2],
        retention: ("退職後5年", "5 years after leaving"),
    },
    Example {
        business: ("人事", "HR"),
        asset: ("給与システムデータ", "Payroll data"),
        note: ("給与計算ソフトのデータ", "Data of the payroll software"),
        users: ("給与担当者", "Payroll staff"),
        owner: ("総務部", "General affairs"),
        medium: "office-pc",
        personal: [true, false, true],
        cia: [2, 2, 1],
        retention: ("7年", "7 years"),
    },
    Example {
        business: ("経理", "Accounting"),
        asset: ("当社宛請求書", "Invoices received"),
        note: ("取引先から届いた請求書", "Invoices from suppliers"),
        users: ("経理担当者", "Accounting staff"),
        owner: ("経理部", "Accounting"),
        medium: "paper",
        personal: [false, false, false],
        cia: [1, 1, 1],
        retention: ("7年", "7 years"),
    },
    Example {
        business: ("全社", "Company-wide"),
        asset: ("電子メールデータ", "E-mail"),
        note: ("社員が送受信したメール", "Mail sent and received by staff"),
        users: ("全社員", "All staff"),
        owner: ("総務部", "General affairs"),
        medium: "cloud",
        personal: [true, false, false],
        cia: [2, 2, 2],
        retention: ("3年", "3 years"),
    },
    Example {
        business: ("営業", "Sales"),
        asset: ("製品カタログ", "Product catalogue"),
        note: ("公開している製品案内", "Published product information"),
        users: ("誰でも", "Anyone"),
        owner: ("営業部", "Sales"),
        medium: "paper",
        personal: [false, false, false],
        cia: [0, 1, 1],
        retention: ("改訂まで", "Until revised"),
    },
    Example {
        business: ("営業", "Sales"),
        asset: ("キャンペーン応募者リスト", "Campaign entrants"),
        note: ("応募者の氏名・住所・連絡先", "Names, addresses, contacts of entrants"),
        users: ("営業担当者", "Sales staff"),
        owner: ("営業部", "Sales"),
        medium: "server",
        personal: [true, false, false],
        cia: [2, 1, 0],
        retention: ("締切後1年", "1 year after closing"),
    },
    Example {
        business: ("開発", "Development"),
        asset: ("製品設計図", "Product drawings"),
        note: ("開発中の製品の図面", "Drawings of products in development"),
        users: ("開発担当者", "Developers"),
        owner: ("開発部", "Development"),
        medium: "paper",
        personal: [false, false, false],
        cia: [2, 2, 2],
        retention: ("永年", "Permanent"),
    },
];
