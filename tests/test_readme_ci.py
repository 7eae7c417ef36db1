"The README's two commands are exactly the ones CI runs, so they cannot drift apart."
import re

from conftest import ROOT


def readme_commands():
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", text, re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def test_readme_opens_with_two_commands():
    cmds = readme_commands()
    assert len(cmds) == 2, cmds
    assert "pip install" in cmds[0] and "ensdiff reproduce" in cmds[0]
    assert "pytest" in cmds[1]


def test_ci_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    for cmd in readme_commands():
        assert cmd in ci, f"{cmd!r} is in the README but not a line of .ci/run"


def test_readme_python_snippet_shows_the_ensemble_below_its_members():
    "The README's Python snippet runs and prints the paper's point: the mean's L_DDSM below both members'."
    import contextlib, io
    text = (ROOT / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    out = io.StringIO()
    with contextlib.redirect_stdout(out): exec(compile(code, "README.md", "exec"), {})
    losses = {line.split("L_DDSM")[0].strip(): float(line.split("=")[1]) for line in out.getvalue().splitlines()}
    assert set(losses) == {"member 1", "member 2", "their mean"}, losses
    assert losses["their mean"] < min(losses["member 1"], losses["member 2"]), losses
