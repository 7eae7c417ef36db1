"The docs site builds offline, and a real browser renders its pages: text, API signatures and typeset math."
import functools
import http.server
import shutil
import subprocess
import tempfile
import threading

import pytest

from conftest import NBS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from ensdiff.docs import build_site
    return build_site(tmp_path_factory.mktemp("site"), nbs_dir=NBS)


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def rendered_dom(url):
    "The DOM of `url` after its scripts (MathJax) have run, from headless Chromium."
    with tempfile.TemporaryDirectory() as profile:
        res = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom", url],
                             capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def test_site_has_a_page_per_notebook(site):
    pages = {p.name for p in site.glob("*.html")}
    assert {"index.html", "sde.html", "theory_ddsm.html", "theory_poe.html", "runs.html", "docs.html"} <= pages
    assert (site / "mathjax" / "MathJax.js").exists()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); .ci/run installs it")
def test_index_renders_in_chromium(server):
    dom = rendered_dom(f"{server}/index.html")
    assert "ensdiff answers a practical question" in dom
    assert "DDSM loss: member 1" in dom  # a cell output
    assert 'href="sde.html"' in dom and "Theory II" in dom  # navigation to the other pages
    assert "MathJax_" in dom and "class=\"MathJax" in dom  # math typeset by the local MathJax


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); .ci/run installs it")
def test_api_page_renders_in_chromium(server):
    dom = rendered_dom(f"{server}/sde.html")
    assert 'id="vpsde"' in dom and 'id="vpsde.marginal"' in dom  # show_doc headings, with nbdev's anchors
    assert "beta_min" in dom and "Mean coefficient" in dom  # the signature and docstring of VPSDE / VPSDE.marginal
    n_math = dom.count('class="arithmatex"')
    assert n_math > 20 and dom.count('class="MathJax"') + dom.count('class="MathJax_Display"') >= n_math  # every formula typeset
    assert 'class="MathJax_Error"' not in dom  # no TeX that MathJax could not parse


class _Prose(__import__("html.parser").parser.HTMLParser):
    "The text of a page outside code, typeset math and scripts: what a reader sees as prose."
    SKIP = {"code", "pre", "script", "style", "svg"}

    def __init__(self):
        super().__init__()
        self.depth, self.stack, self.text = 0, [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "meta", "link", "input"): return  # void elements
        skip = tag in self.SKIP or "arithmatex" in (dict(attrs).get("class") or "")
        self.stack.append(skip); self.depth += skip

    def handle_endtag(self, tag):
        if tag in ("br", "img", "hr", "meta", "link", "input") or not self.stack: return
        self.depth -= self.stack.pop()

    def handle_data(self, data):
        if not self.depth: self.text.append(data)


def test_no_raw_tex_backticks_or_machine_paths(site):
    "No `$`, `\\(`, `\\[` or backtick left in rendered prose (outside code and typeset math), and no temporary or absolute machine path anywhere."
    problems = []
    for page in sorted(site.glob("*.html")):
        html = page.read_text()
        parser = _Prose(); parser.feed(html)
        prose = " ".join(parser.text)
        for mark in ("$", "\\(", "\\[", "`"):
            for i in [i for i in range(len(prose)) if prose.startswith(mark, i)][:3]:
                problems.append(f"{page.name}: {mark!r} in ...{prose[max(0, i - 50):i + 50]!r}...")
        for path in ("/tmp/", "/root/", "/work/", "/home/"):
            if path in html: problems.append(f"{page.name}: machine path {path!r} in ...{html[max(0, html.index(path) - 60):html.index(path) + 60]!r}...")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:60])
