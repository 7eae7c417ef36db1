"The package's layout: short modules, no private names shared across modules, an import graph without cycles that only reaches down the layers."
import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "ensdiff"
MAX_LINES = 450

LAYERS = {
    # 0 foundation: argument checks, files and caches, seeds and random streams, the diffusion processes
    "checks": 0, "files": 0, "seeding": 0, "sde": 0,
    # 1 models: score models in closed form and as networks, data, training, ensembles and samplers
    "theory": 1, "poe": 1, "nets": 1, "data": 1, "testbed": 1, "train": 1, "aggregate": 1, "ensemble": 1, "samplers": 1,
    # 2 evaluation: metrics, statistics, exact references and plots of results
    "metrics": 2, "stats": 2, "sequential": 2, "exact": 2, "plots": 2,
    # 3 methods: the paper's alternatives to plain ensembling, built on models and evaluation
    "forest": 3, "hist_forest": 3, "adapters": 3, "fk": 3, "learned": 3, "snapshots": 3, "guidance": 3, "uncertainty": 3,
    "distill": 3, "distributed": 3,
    # 4 experiments: presets, parameters and records of runs, the experiments and their claims
    "params": 4, "records": 4, "presets": 4, "features": 4, "claims": 4, "experiments": 4, "truth": 4,
    # 5 orchestration: running, scheduling and reporting experiments, clusters, the documentation site
    "execution": 5, "schedule": 5, "report": 5, "runs": 5, "cluster": 5, "docs": 5,
    # 6 the command line
    "cli": 6,
}
"Each module's layer: a module imports from its own layer or a lower one."


def sources(pkg=PKG):
    "The source of every module of the package by name (`_modidx` left out: nbdev's index, not code)."
    return {p.stem: p.read_text() for p in sorted(pkg.glob("*.py")) if p.stem not in ("_modidx", "__init__")}


def imports(src, module, known):
    "The `(module, name)` pairs `src` of `module` imports from the other modules in `known`, at any depth (inside functions too); `name` is None for a whole-module import."
    found = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.ImportFrom):
            if node.level: base = (node.module or "").split(".")[0] if node.level == 1 else None
            elif (node.module or "").split(".")[0] == "ensdiff": base = (node.module.split(".") + [""])[1]
            else: continue
            if base == "":  # `from . import x` / `from ensdiff import x`: each name is a module
                found += [(a.name, None) for a in node.names if a.name in known]
            elif base in known: found += [(base, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name.split(".")[1], None) for a in node.names if a.name.startswith("ensdiff.") and a.name.split(".")[1] in known]
    return [(m, n) for m, n in found if m != module]


def graph(srcs):
    "The import graph: each module to the set of other package modules it imports from."
    return {m: {d for d, _ in imports(s, m, srcs)} for m, s in srcs.items()}


def long_modules(srcs, limit=MAX_LINES):
    "Modules with more than `limit` lines."
    return {m: len(s.splitlines()) for m, s in srcs.items() if len(s.splitlines()) > limit}


def private_imports(srcs):
    "`module <- other._name` for every private name a module imports from another package module."
    return sorted(f"{m} <- {d}.{n}" for m, s in srcs.items() for d, n in imports(s, m, srcs) if n and n.startswith("_") and not n.startswith("__"))


def find_cycle(g):
    "A list of modules that import each other in a ring (first repeated at the end), or None when the graph has no cycle."
    state, stack = {}, []
    def visit(m):
        state[m] = "open"; stack.append(m)
        for d in sorted(g.get(m, ())):
            if state.get(d) == "open": return stack[stack.index(d):] + [d]
            if d not in state and (c := visit(d)): return c
        state[m] = "done"; stack.pop()
    for m in sorted(g):
        if m not in state and (c := visit(m)): return c
    return None


def unplaced(srcs, layers=LAYERS):
    "Modules that have no layer in `layers`."
    return sorted(set(srcs) - set(layers))


def upward_imports(srcs, layers=LAYERS):
    "`module (layer) -> other (layer)` for every import from a higher layer."
    return sorted(f"{m} ({layers[m]}) -> {d} ({layers[d]})" for m, ds in graph(srcs).items() for d in ds
                  if m in layers and d in layers and layers[d] > layers[m])


@pytest.fixture(scope="module")
def srcs(): return sources()


def test_no_module_is_too_long(srcs):
    long = long_modules(srcs)
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_private_name_crosses_modules(srcs):
    private = private_imports(srcs)
    assert not private, f"private names imported from another module: {private}"


def test_imports_have_no_cycle(srcs):
    assert (c := find_cycle(graph(srcs))) is None, f"import cycle: {' -> '.join(c)}"


def test_every_module_has_a_layer(srcs):
    missing = unplaced(srcs)
    assert not missing, f"modules missing from LAYERS (place each in a layer): {missing}"


def test_imports_only_reach_down(srcs):
    upward = upward_imports(srcs)
    assert not upward, f"imports from a higher layer: {upward}"


FAKE = {
    "checks": "import math\n",
    "sde": "from .checks import whole\n",
    "nets": "from .sde import VPSDE\ndef f():\n    from ensdiff.checks import number\n",
}


def test_checker_passes_a_clean_package():
    assert not long_modules(FAKE) and not private_imports(FAKE) and find_cycle(graph(FAKE)) is None
    assert not unplaced(FAKE) and not upward_imports(FAKE)


def test_checker_catches_a_long_module():
    assert long_modules({**FAKE, "sde": "x = 1\n" * (MAX_LINES + 1)}) == {"sde": MAX_LINES + 1}


@pytest.mark.parametrize("src", ["from .sde import _vmapped\n", "def f():\n    from ensdiff.sde import VPSDE, _vmapped\n",
                                 "from .sde import (\n    VPSDE,\n    _vmapped,\n)\n"])
def test_checker_catches_a_private_import(src):
    assert private_imports({**FAKE, "nets": src}) == ["nets <- sde._vmapped"]


def test_checker_catches_a_cycle():
    bad = {**FAKE, "checks": "def f():\n    import ensdiff.nets\n"}
    assert find_cycle(graph(bad)) == ["checks", "nets", "checks"]


def test_checker_catches_an_unplaced_module():
    assert unplaced({**FAKE, "newthing": ""}) == ["newthing"]


def test_checker_catches_an_upward_import():
    assert upward_imports({**FAKE, "sde": "from . import nets\n"}) == ["sde (0) -> nets (1)"]
