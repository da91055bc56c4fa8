//! Open documents. OWNER: helper 5.
