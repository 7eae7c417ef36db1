"Results kept in the repository travel with it: every digest under results/ has its file beside it, git does not ignore it, and its bytes match."
import subprocess
from pathlib import Path

import pytest

from ensdiff.files import file_digest

ROOT = Path(__file__).resolve().parents[1]
DIGESTS = sorted((ROOT / "results").rglob("*.sha256"))

def test_there_are_kept_results():
    assert len(DIGESTS) >= 50, f"only {len(DIGESTS)} digests under results/"

def test_every_kept_digest_has_its_file():
    missing = [str(d.relative_to(ROOT)) for d in DIGESTS if not d.with_suffix("").exists()]
    assert not missing, f"kept results whose file a clone lacks (ignored by git when committed?): {missing[:5]} and {max(0, len(missing) - 5)} more"

def test_git_ignores_no_kept_result():
    if not (ROOT / ".git").exists(): pytest.skip("not a git checkout")
    files = [str(d.with_suffix("").relative_to(ROOT)) for d in DIGESTS]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *files], cwd=ROOT, capture_output=True, text=True).stdout.split()
    assert not ignored, f"git ignores kept results, so a commit leaves only their digests: {ignored[:5]}"

def test_kept_results_match_their_digests():
    damaged = [str(d.relative_to(ROOT)) for d in DIGESTS if d.with_suffix("").exists() and file_digest(d.with_suffix("")) != d.read_text().strip()]
    assert not damaged, f"kept results whose bytes differ from their SHA-256: {damaged}"
