import { exclusionTable } from "../../../../test/support/exclusion-table.js";

exclusionTable("pytest configuration and Python drivers", [
  {
    name: "pytest.ini addopts over continuation lines and norecursedirs",
    path: "pytest.ini",
    source:
      '[pytest]\naddopts =\n    -ra\n    --deselect tests/test_api.py::test_timeout\n    -m "not slow"\nnorecursedirs = .git node_modules legacy\n',
    found: [
      [4, "pytest", "--deselect", "tests/test_api.py::test_timeout"],
      [5, "pytest", "-m", "not slow"],
      [6, "pytest", "norecursedirs", "legacy"],
    ],
  },
  {
    name: "setup.cfg's tool:pytest section; other sections ignored",
    path: "setup.cfg",
    source: "[flake8]\nexclude = tests/legacy\n\n[tool:pytest]\naddopts = --ignore-glob=tests/*_slow.py\n",
    found: [[5, "pytest", "--ignore-glob", "tests/*_slow.py"]],
  },
  {
    name: "tox commands",
    path: "tox.ini",
    source:
      "[tox]\nenvlist = py312\n\n[testenv]\ndeps = pytest\ncommands =\n    pytest --ignore=tests/integration {posargs}\n",
    found: [[7, "pytest", "--ignore", "tests/integration"]],
  },
  {
    name: "pyproject.toml addopts as a list",
    path: "pyproject.toml",
    source:
      '[project]\nname = "api"\n\n[tool.pytest.ini_options]\naddopts = [\n  "-ra",\n  "--deselect=tests/test_db.py::test_pool",\n]\n',
    found: [[7, "pytest", "--deselect", "tests/test_db.py::test_pool"]],
  },
  {
    name: "pyproject.toml that does not parse",
    path: "pyproject.toml",
    source: "[tool.pytest.ini_options\naddopts = 1",
    found: { unparsed: "" },
  },
  {
    name: "conftest collect_ignore and a deselecting hook",
    path: "tests/conftest.py",
    source:
      'collect_ignore = ["test_legacy.py"]\ncollect_ignore_glob = ["*_old.py"]\n\ndef pytest_collection_modifyitems(config, items):\n    for item in items:\n        item.add_marker("unit")\n    deselected = [i for i in items if "flaky" in i.keywords]\n    config.hook.pytest_deselected(items=deselected)\n\ndef helper():\n    items.remove(1)\n',
    found: [
      [1, "pytest", "collect_ignore", "test_legacy.py"],
      [2, "pytest", "collect_ignore_glob", "*_old.py"],
      [
        8,
        "pytest",
        "pytest_collection_modifyitems",
        "the tests the pytest_collection_modifyitems hook deselects",
      ],
    ],
  },
  {
    name: "conftest pytest_ignore_collect and collect_ignore.append",
    path: "conftest.py",
    source:
      'import sys\n\ncollect_ignore = []\nif sys.version_info < (3, 12):\n    collect_ignore.append("tests/test_new_syntax.py")\n\ndef pytest_ignore_collect(collection_path, config):\n    return "slow" in str(collection_path)\n',
    found: [
      [5, "pytest", "collect_ignore", "tests/test_new_syntax.py"],
      [7, "pytest", "pytest_ignore_collect", "the files the pytest_ignore_collect hook ignores"],
    ],
  },
  {
    name: "noxfile session.run over lines",
    path: "noxfile.py",
    source:
      'import nox\n\n@nox.session\ndef tests(session):\n    session.install("-e", ".")\n    session.run(\n        "pytest",\n        "--deselect", "tests/test_db.py::test_pool",\n    )\n',
    found: [[6, "pytest", "--deselect", "tests/test_db.py::test_pool"]],
  },
]);
