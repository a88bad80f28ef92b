//! JSON with comments (JSONC) reader that keeps exact positions. See `parse`.
