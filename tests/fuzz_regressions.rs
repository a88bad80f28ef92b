//! Inputs the fuzzer (fuzz/) found crashing; each must now be read without a panic.

/// user_agent target: the first byte picks the file name (index 0 = app.py in
/// fuzz/fuzz_targets/user_agent.rs); a `curl -A "user-agent:` value whose closing quote is
/// preceded by whitespace made the value start after its end (src/sources/code/mod.rs, slice panic).
#[test]
fn user_agent_curl_a_value_ending_in_whitespace() {
    let data = include_bytes!("fuzz_inputs/user_agent-curl-a-empty.bin");
    let text = std::str::from_utf8(&data[1..]).unwrap();
    for name in ["app.py", "deploy.sh", "Dockerfile", ".github/workflows/deploy.yml"] {
        let _ = cua_check::sources::code::scan(name, text);
    }
}

/// Found by the `config` target: a config file whose lines end in lone CRs (old Mac line ends)
/// reports its error on the line an editor shows (70: 69 CRs before the bad key), and the fuzz
/// target now counts lines the same way.
#[test]
fn config_error_line_counts_lone_cr_line_ends_as_an_editor_does() {
    let text = std::fs::read_to_string("tests/fuzz_inputs/config-lone-cr-lines.bin").unwrap();
    let (line, msg) = cua_check::options::config_file::parse(&text).expect_err("the key has no '='");
    assert_eq!(line, 70, "{msg}");
    assert!(msg.contains("expected '='"), "{msg}");
}
