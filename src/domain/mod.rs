//! Domain types and rules (pure functions).
