//! Profiles: versioned rule data (scales, labels, media, threats, check items, chapters).
