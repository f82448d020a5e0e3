//! Encounter planner (placeholder, being written).
