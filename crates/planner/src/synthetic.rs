//! Synthetic (placeholder).
