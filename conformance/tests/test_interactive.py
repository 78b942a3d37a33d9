"""Interactive sessions: the pexpect driver on a real Levitate guest with a
stand-in shell (fakebox.c `sh -i`), and the judgement of transcripts: a
changed prompt, reply or status is a difference, a missing one a failure."""
from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest

from conformance import compare, guests, interactive
from conformance.cli import RUNNER
from conformance.interactive import Line, Session, Transcript

HERE = Path(__file__).resolve().parent
LINUX = interactive.load_transcripts(interactive.LINUX_TRANSCRIPTS)


def test_linux_transcripts_are_current():
    """Every session has a Linux transcript made from what it types now."""
    for s in interactive.load():
        digest, t = LINUX[s.name]
        assert digest == interactive.digest(s), f"stale Linux transcript for {s.name}"
        assert t.failure is None and t.status is not None
        assert len(t.replies) == len(s.lines) - 1


def test_issue_asks_prompt_pipeline_substitution_exit_7():
    t = LINUX["tty-ash-basics"][1]
    assert t.prompt.endswith("# ") and t.status == "exit 7"
    assert "HELLO" in t.replies[0] and "subst" in t.replies[1]


def test_changes_are_differences():
    t = LINUX["tty-ash-basics"][1]
    assert interactive.judge(t, dataclasses.replace(t)).result == compare.SAME
    changed = [dataclasses.replace(t, prompt="/ $ "),
               dataclasses.replace(t, status="exit 0"),
               dataclasses.replace(t, replies=[t.replies[0].replace("HELLO", "HELLP")] +
                                   t.replies[1:]),
               dataclasses.replace(t, replies=t.replies[:-1])]
    for c in changed:
        assert interactive.judge(t, c).result == compare.DIFFERS
    hung = Transcript(t.name, t.prompt, failure="TIMEOUT waiting for a reply to line 2")
    assert interactive.judge(t, hung).result == compare.FAILS


def test_control_sequences_are_not_text():
    assert interactive.clean("/ # \x1b[6necho hi\r\r\nhi\x1b[K\r\n") == "/ # echo hi\nhi\n"


@pytest.fixture(scope="module")
def fake_shell_image(tmp_path_factory) -> Path:
    if not RUNNER.is_file():
        pytest.skip("build/conformance/conform-run is not built (make all)")
    tmp = tmp_path_factory.mktemp("fakesh")
    box = tmp / "fakebox"
    subprocess.run(["musl-gcc", "-static", "-O2", "-Wall", "-Werror", "-o", str(box),
                    str(HERE / "fakebox.c")], check=True)
    return guests.levitate_image(guests.payload(RUNNER, HERE, [], box), tmp)


def _boot(image: Path) -> list[str]:
    return guests.levitate_command(image, ["/" + guests.RUNNER, "--tty"])


@pytest.mark.qemu
def test_session_on_levitate(fake_shell_image):
    s = Session("t", "t", (Line("say hello"), Line("say two words"), Line("exit 7")))
    t = interactive.run_session(_boot(fake_shell_image), s, timeout=20, boot_timeout=60)
    assert t.failure is None, t.failure
    assert t.prompt == "/ # " and t.status == "exit 7"
    assert [r.splitlines()[-1] for r in t.replies] == ["said hello", "said two words"]


@pytest.mark.qemu
def test_hung_session_fails(fake_shell_image):
    s = Session("t", "t", (Line("say hi"), Line("hang"), Line("exit 0")))
    t = interactive.run_session(_boot(fake_shell_image), s, timeout=6, boot_timeout=60)
    # A timeout, not the end of the console: a shell that exited at "hang"
    # (EOF) would fail too, without proving that a hang is caught.
    assert t.failure and t.failure.startswith("TIMEOUT") and "line 2" in t.failure
    assert interactive.judge(LINUX["tty-ash-basics"][1], t).result == compare.FAILS
