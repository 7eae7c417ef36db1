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


def test_readme_answers_first_with_a_figure_drawn_by_a_notebook():
    "At most 2,000 words; its first screen (before the first section) gives the answer in plain words and a figure, which is the committed output of the notebook that drew it."
    from ensdiff.docs import README_FIGURE, notebook_image
    text = (ROOT / "README.md").read_text()
    assert len(text.split()) <= 2000, len(text.split())
    first_screen = text.split("\n## ")[0]
    for words in ("lowers the score-matching loss", "improves likelihood", "FID", "does not sample the product of experts"):
        assert words in first_screen, words
    nb_name, cell_id, rel = README_FIGURE
    assert f"]({rel})" in first_screen
    assert (ROOT / rel).read_bytes() == notebook_image(ROOT / "nbs" / nb_name, cell_id), f"{rel} is not {nb_name}'s figure: run nbs/91_docs.ipynb"


def test_readme_links_and_lists_every_notebook():
    "Every relative link of the README leads to a file, and 'What is here' names every notebook but the home page."
    text = (ROOT / "README.md").read_text()
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)\)", text): assert (ROOT / target).exists(), target
    table = text[text.index("## What is here"):]
    missing = [nb.stem for nb in sorted((ROOT / "nbs").glob("*.ipynb")) if nb.stem != "index" and f"`{nb.stem}`" not in table]
    assert not missing, missing
