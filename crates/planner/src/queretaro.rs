//! Querétaro (placeholder).
