

# --- testkit oracle: verdicts and the summary ------------------------------------------

def test_oracle_verdicts(abi: Abi, rules: Rules) -> None:
    same = compare_with_linux(levitate("echo-hi"), linux("echo-hi", abi), abi, rules, "echo")
    assert (same.verdict, same.rules) == ("identical", [])
    clock = levitate("echo-hi", _add_call("clock_gettime", 228, {"clockid": 1, "tp": "0x7fffffffee00"}, 0))
    ruled = compare_with_linux(clock, linux("echo-hi", abi), abi, rules, "echo")
    assert (ruled.verdict, ruled.rules) == ("same under rules", ["vdso-time"])
    edit, _ = LEVITATE_MUTATIONS["errno"]
    differs = compare_with_linux(levitate("cat-missing", edit), linux("cat-missing", abi), abi, rules, "cat")
    assert differs.verdict == "differs" and "errno changed: EACCES → ENOENT" in differs.differences[0]
    lines = summary([same, ruled, differs, differs])
    assert lines[-2] == "1 identical, 1 same under rules, 2 differs"
    assert lines[-1].startswith("  2x open errno changed: EACCES → ENOENT")
