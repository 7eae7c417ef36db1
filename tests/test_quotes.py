"The paper as the claims quote it: every quote in package data occurs verbatim in the paper's text, in the section it names; every notebook quotes through `ensdiff.stats.quote`."
import ast
import json
import re

import pytest

from conftest import NBS, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"  # the paper's text beside the repository (absent on a clean clone, e.g. CI)
TITLE = "# When Are Two Scores Better Than One?"  # the full text (`002_*`): the title, then "### Abstract" and numbered sections

# the paper's inline math as the quotes write it in plain text; `$` delimiters and markdown bold are dropped
MATH = [(r"L_{\text{DDSM}}", "L_DDSM"), ("L_{DDSM}", "L_DDSM"), (r"\Delta", "Δ"), (r"\lambda", "λ"), ("10^{-10}", "1e-10")]


def plain(text):
    "Whitespace collapsed, inline math as plain text, typographic quotes as straight ones: applied alike to the paper and to each quote."
    for latex, shown in MATH: text = text.replace(latex, shown)
    text = text.replace("$", "").replace("**", "").replace("’", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


def paper_text():
    "The paper's full text from `../shared/seeds/` (titled, with its abstract and numbered sections; not a summary of it), or None where it is not at hand."
    if not SEEDS.is_dir(): return None
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if TITLE in text[:2000] and "\n### Abstract" in text and "\n## 5 Experiments" in text: return text
    return None


def is_float(paragraph):
    "A table or a caption: the text extraction puts them inside the running text they interrupt."
    return "\t" in paragraph or re.match(r"\s*(Table|Figure) \d+:", paragraph) is not None


def section_text(paper, section):
    "The paper's text where `section` ('Abstract', 'Section 5.1', 'Appendix E.2', 'Figure 4', 'Table 6') says things: a caption, or a heading's text up to the next heading."
    kind, _, name = section.partition(" ")
    if kind in ("Figure", "Table"):
        caption = [p for p in re.split(r"\n\s*\n", paper) if re.match(rf"\s*{kind} {re.escape(name)}:", p)]
        return "\n\n".join(caption) or None
    token = "Abstract" if kind == "Abstract" else name
    lines, out, inside = paper.splitlines(), [], False
    for line in lines:
        heading = re.match(r"#+\s+(\S+)", line)
        if heading:
            if inside: break
            inside = heading.group(1) == token
            continue
        if inside: out.append(line)
    return "\n".join(out) if out else None


def occurs(quote_text, where):
    "The quote in `where`, as printed or with the tables and captions taken out of the running text."
    body = " ".join(p for p in re.split(r"\n\s*\n", where) if not is_float(p))
    return plain(quote_text) in plain(where) or plain(quote_text) in plain(body)


def test_quotes_are_verbatim_in_the_section_they_name():
    from ensdiff.stats import quotes
    paper = paper_text()
    if paper is None: pytest.skip(f"the paper's full text is not at hand ({SEEDS} holds no file titled {TITLE[2:]!r} with its sections): the quotes are checked where it is")
    table, wrong = quotes(), []
    for key, q in table.items():
        where = section_text(paper, q["section"])
        if where is None: wrong.append(f"{key}: the paper has no {q['section']!r}")
        elif not occurs(q["text"], where):
            elsewhere = occurs(q["text"], paper)
            wrong.append(f"{key}: {q['text']!r} is " + ("in the paper but not in " if elsewhere else "nowhere in the paper, nor in ") + q["section"])
    assert not wrong, "\n".join(wrong)
    assert len(table) >= 30, f"only {len(table)} quotes"


def test_the_normalisation_finds_what_the_extraction_splits():
    "'FID degrades from 4.83 (no' ... Tables 2 and 3 ... 'dropout) to 5.85' is one sentence of Section 5.2.2."
    paper = "## 5.2.2 MC\n\nFID degrades from 4.83 (no\n\nTable 2: a caption.\n\nrow\t4.79\n\ndropout) to 5.85 at best.\n\n## 5.2.3 Next\n\nother"
    where = section_text(paper, "Section 5.2.2")
    assert occurs("FID degrades from 4.83 (no dropout) to 5.85 at best", where) and not occurs("other", where)
    assert plain(r"$L_{\text{DDSM}}$  slightly  increases") == "L_DDSM slightly increases"
    assert section_text(paper, "Table 2") == "Table 2: a caption." and section_text(paper, "Section 5.2.9") is None


def _code(nb_path):
    return ["".join(c["source"]) for c in json.loads(nb_path.read_text())["cells"] if c["cell_type"] == "code"]


def test_notebooks_quote_known_keys_and_nothing_inline():
    "Every `quote('key')` of a notebook names a quote of the package, and no string literal of a notebook quotes the paper by hand ('Section 5.1: \"...\"')."
    from ensdiff.stats import quotes
    known, unknown, inline = set(quotes()), [], []
    by_hand = re.compile(r"^(Abstract|Section|Table|Tables|Figure|Appendix)\b[^\"]*: \"")
    for nb_path in sorted(NBS.glob("*.ipynb")):
        code = _code(nb_path)
        claims = any("Claims(" in src for src in code)  # the notebooks whose claims cite the paper
        for src in code:
            unknown += [f"{nb_path.name}: {k}" for k in re.findall(r"\bquote\(\s*[\"']([^\"']+)[\"']\s*\)", src) if k not in known]
            if not claims: continue
            try: tree = ast.parse("\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%", "!"))))
            except SyntaxError: continue
            for node in ast.walk(tree):
                if isinstance(node, ast.JoinedStr):  # f'{T1}: "..."': a label from a variable, then the paper's words
                    text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
                    if re.match(r'^\{\}: "', text) or by_hand.match(text): inline.append(f"{nb_path.name}: {text[:90]}")
                elif isinstance(node, ast.Constant) and isinstance(node.value, str) and by_hand.match(node.value):
                    inline.append(f"{nb_path.name}: {node.value[:90]}")
    assert not unknown, f"quote keys the package does not have: {unknown}"
    assert not inline, "quotes of the paper typed into notebooks (add them to ensdiff/data/paper_quotes.json, use quote(key)):\n" + "\n".join(inline)
