//! Exact check (placeholder).
