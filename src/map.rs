//! The attribution map (`cua-check map`).
