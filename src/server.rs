//! The LSP layer. OWNER: helper 5.
