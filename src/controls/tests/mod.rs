use super::*;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn counts() {
    let c = Catalog::bundled();
    assert_eq!(c.v2013.len(), 114);
    assert_eq!(c.v2022.len(), 93);
    assert_eq!(c.mappings.len(), 115);
    let themes = |t| c.v2022.iter().filter(|x| x.theme == t).count();
    assert_eq!([themes(Theme::Organizational), themes(Theme::People), themes(Theme::Physical), themes(Theme::Technological)], [37, 8, 14, 34]);
    let domains: BTreeSet<&str> = c.v2013.iter().map(|x| x.domain.as_str()).collect();
    assert_eq!(domains.len(), 14);
    assert!(c.v2022.iter().all(|x| !x.title_ja.is_empty() && !x.title_en.is_empty()));
    let ids: BTreeSet<&str> = c.v2013.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids.len(), 114);
    let ids: BTreeSet<&str> = c.v2022.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids.len(), 93);
}

#[test]
fn every_2013_control_is_covered() {
    let c = Catalog::bundled();
    for old in &c.v2013 {
        assert!(!c.successors(&old.id).is_empty(), "{} has no successor", old.id);
    }
    for m in &c.mappings {
        assert!(c.control_2013(&m.old).is_some() && c.control_2022(&m.new).is_some());
    }
    let pairs: BTreeSet<(&str, &str)> = c.mappings.iter().map(|m| (m.old.as_str(), m.new.as_str())).collect();
    assert_eq!(pairs.len(), 115, "no duplicate pairs");
}

#[test]
fn new_controls_merges_and_the_split() {
    let c = Catalog::bundled();
    let new: Vec<&str> = c.new_in_2022().iter().map(|x| x.id.as_str()).collect();
    assert_eq!(new, ["5.7", "5.23", "5.30", "7.4", "8.9", "8.10", "8.11", "8.12", "8.16", "8.23", "8.28"]);
    let mut into: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &c.mappings {
        *into.entry(m.new.as_str()).or_default() += 1;
    }
    assert_eq!(into.values().filter(|&&n| n > 1).count(), 24, "24 merges");
    assert_eq!(into["5.18"], 3);
    let splits: Vec<&str> = c.v2013.iter().filter(|o| c.successors(&o.id).len() > 1).map(|o| o.id.as_str()).collect();
    assert_eq!(splits, ["A.18.2.3"]);
    assert!(c.successors("A.18.2.3").iter().all(|m| m.relation == Relation::Intersect));
    assert_eq!(c.successors("A.13.2.1")[0].new, "5.14");
    assert_eq!(c.range_2013("A.13.2.1", "A.13.2.3").unwrap().len(), 3);
    assert!(c.range_2013("A.13.2.3", "A.13.2.1").is_none());
}

#[test]
fn titles_load_over_the_bundled_ones() {
    let mut c = Catalog::bundled().clone();
    c.apply_titles("5.1,方針\n１２．６．１,技術的脆弱性の管理,Management of technical vulnerabilities\n").unwrap();
    assert_eq!(c.control_2022("5.1").unwrap().title_ja, "方針");
    assert_eq!(c.control_2013("A.12.6.1").unwrap().title_ja.as_deref(), Some("技術的脆弱性の管理"));
    assert!(c.apply_titles("9.9,x\n").is_err());
    assert!(c.apply_titles("5.2,,\n").is_err());
    assert!(c.apply_titles("5.2,\"x\n").is_err());
}
