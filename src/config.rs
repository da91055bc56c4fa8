//! Settings. OWNER: helper 5.
