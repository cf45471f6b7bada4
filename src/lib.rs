//! paralign aligns the English, Russian, German, Spanish and French versions of the same
//! statement paragraph by paragraph and writes parallel corpora.
//!
//! Data flows one way through the stages, one module each:
//! [`corpus`] (find and read documents) → [`text`] (normalize, split, check language) →
//! [`align`] (features, cost, lexicon, dynamic programming, N-way merge) →
//! [`qa`] (findings for reviewers) → [`export`] (ladder, units.jsonl, TMX, Moses, QA
//! findings and report) — driven over a corpus by [`batch`];
//! [`eval`] scores ladders against gold.

pub mod align;
pub mod aligned;
pub mod batch;
pub mod corpus;
pub mod eval;
pub mod exit_code;
pub mod export;
pub mod hash;
pub mod qa;
pub mod text;

pub use batch::{AlignOptions, RunReport, run_align};
pub use text::Lang;
