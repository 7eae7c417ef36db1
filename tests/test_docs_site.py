"The docs site builds offline, and a real browser renders its pages: text, API signatures and typeset math."
import functools
import re
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


def rendered_dom(url, budget_ms=15000):
    "The DOM of `url` after its scripts (MathJax, search) have run, from headless Chromium."
    with tempfile.TemporaryDirectory() as profile:
        res = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", "--dump-dom", url],
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


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); .ci/run installs it")
def test_search_works_opened_from_disk(site):
    "Opened as a file (no server, no network: `--disable-background-networking`), a search for a word lists the pages that hold it."
    dom = rendered_dom(site.joinpath("index.html").as_uri() + "?q=aggregation", budget_ms=20000)
    results = re.findall(r'<li class="md-search-result__item">.*?href="([^"]+)"', dom, re.S)
    assert len(results) >= 3, dom[dom.find("md-search-result"):][:500]
    assert any("aggregate.html" in r for r in results), results
    assert re.search(r'md-search-result__meta">\d+ matching documents', dom)
    assert "unpkg.com" not in (site / "index.html").read_text()  # the worker shim comes from the site itself


def _sections(dom):
    "{section label: the page files linked under it} of the sidebar in `dom`."
    parts = re.split(r'md-nav__item--section md-nav__item--nested">', dom)[1:]
    out = {}
    for part in parts:
        label = " ".join(re.sub(r"<[^>]+>", " ", part[:part.find("</label>") + 8]).split())
        out[label] = re.findall(r'href="([\w.-]+\.html)"', part.split("md-nav__item--section")[0])
    return out


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); .ci/run installs it")
def test_sidebar_in_sections(site):
    sections = _sections(rendered_dom(site.joinpath("index.html").as_uri()))
    assert list(sections) == ["Start here", "Theory", "Library", "Experiments of the paper", "Beyond the paper", "Tutorials", "API"], list(sections)
    assert {"index.html", "claims.html"} <= set(sections["Start here"])
    assert {"theory_ddsm.html", "theory_poe.html"} <= set(sections["Theory"])
    assert {"sde.html", "ensemble.html", "docs.html"} <= set(sections["Library"])
    assert {"exp_ensemble_size.html", "exp_forest.html"} <= set(sections["Experiments of the paper"])
    assert {"exp_truth.html", "exp_truth_map.html", "fk_correctors.html"} <= set(sections["Beyond the paper"])
    assert "tutorial_own_models.html" in sections["Tutorials"] and "api.html" in sections["API"]


def test_no_placeholder_source_links(site):
    "Source links point at `[tool.ensdiff] repository` of pyproject.toml, or are left out when it is empty: never at nbdev's placeholder."
    from ensdiff.docs import repository
    from nbdev.config import get_config
    repo, git_url = repository(get_config()), get_config().git_url
    pages = {p.name: p.read_text() for p in site.glob("*.html")}
    if not repo: assert not [n for n, html in pages.items() if ">source</a>" in html or git_url + "/blob" in html]
    else: assert all(git_url + "/blob" not in html for html in pages.values()) and any(repo in html for html in pages.values())


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
