"A number in a table of the README or of the claims page is one an executed notebook (or the benchmarks' record) printed, never typed."
import json, re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DECIMAL = re.compile(r"(?<![\w.])[-+]?\d+\.\d+")

def printed():
    "Every decimal number in the executed outputs of the notebooks and in the benchmarks' record, signs dropped."
    found = {n.lstrip("+-") for n in DECIMAL.findall((ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8"))}
    for nb in (ROOT / "nbs").glob("*.ipynb"):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                text = "".join(out.get("text", "")) + "".join(data.get("text/markdown", "")) + "".join(data.get("text/plain", ""))
                found |= {n.lstrip("+-") for n in DECIMAL.findall(text)}
    return found

def table_numbers(text):
    "The decimal numbers of the markdown table rows in `text` (headings and separators skipped)."
    rows = [line for line in text.splitlines() if line.startswith("|") and not set(line) <= set("|-: ")]
    return {n.lstrip("+-") for line in rows[1:] for n in DECIMAL.findall(line)}

def test_the_readme_tables_hold_only_printed_numbers():
    missing = sorted(table_numbers((ROOT / "README.md").read_text(encoding="utf-8")) - printed())
    assert not missing, f"README table numbers no notebook output prints: {missing}"

def test_the_claims_page_types_no_table():
    nb = json.loads((ROOT / "nbs" / "93_claims.ipynb").read_text(encoding="utf-8"))
    typed = [n for c in nb["cells"] if c["cell_type"] == "markdown" for n in table_numbers("".join(c["source"]))]
    assert not typed, f"the claims page's markdown types table numbers: {typed}"

READING = re.compile(r": (holds|does not hold|not measurable)(?=;|$| \()")

def notebook_rows():
    "Each notebook's claims table rows (the claims page, which reprints them, left out)."
    from ensdiff.claims import notebook_claims
    pages = [nb for nb in sorted((ROOT / "nbs").glob("*.ipynb")) if nb.name != "93_claims.ipynb"]
    return {nb.name: rows for nb in pages if (rows := notebook_claims(nb))}

def claim_rows():
    "Every claims table row the notebooks printed."
    return [(name, r) for name, rows in notebook_rows().items() for r in rows]

def test_every_claim_is_printed_under_the_current_rules():
    "Every printed claim carries its p-value (the rules that print evidence as it decides, and adjust over families)."
    old = sorted({(name, r["id"]) for name, r in claim_rows() if r.get("p") is None})
    assert not old, f"claims printed without a p column (re-run their notebooks): {old}"

def test_evidence_reads_as_it_decides():
    "No printed requirement beside an interval: each contrast's reading is the verdict it gives, and the claim's verdict follows from them (a two-stage claim's from its confirmation's, the first data having left it open)."
    for name, r in claim_rows():
        assert not re.search(r"\((95% interval (below|above) 0|(no better|no worse|equivalent) within margin)", r["evidence"]), (name, r["id"], r["evidence"])
        first, _, confirmation = r["evidence"].partition("confirmation on new data")
        if confirmation: assert set(READING.findall(first)) == {"not measurable"}, (name, r["id"], first)
        reads = READING.findall(confirmation or first)
        if r["verdict"] == "holds": assert reads and set(reads) == {"holds"}, (name, r["id"], reads)
        if r["verdict"] == "does not hold": assert "does not hold" in reads, (name, r["id"], reads)
