//! Bicep reader.
