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
