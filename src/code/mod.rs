//! SDK, CLI and script user-agent scanner.
