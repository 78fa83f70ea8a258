// Intentionally empty: this crate only pins the corpus download.
