//! paralign aligns the English, Russian, German, Spanish and French versions of the same
//! statement paragraph by paragraph and writes parallel corpora.
//!
//! Data flows one way through the stages, one module each:
//! [`corpus`] (find and read documents) → [`text`] (normalize, split, check language) →
//! [`align`] (features, cost, lexicon, dynamic programming, N-way merge) →
//! [`export`] (ladder, units.jsonl, TMX, Moses) — driven over a corpus by [`batch`];
//! [`eval`] scores ladders against gold.

pub mod align;
pub mod batch;
pub mod corpus;
pub mod eval;
pub mod export;
pub mod text;

pub use batch::{AlignOptions, RunReport, run_align};
pub use text::Lang;
