"""The review report in a real headless Chromium (Debian's `chromium` and `chromium-driver`, driven by Selenium).

On the report of the five bundled pages: the page loads without a console error (a refused asset or script would
log one under the report's Content-Security-Policy); every `<mark>` belongs to one finding of the same run's JSON,
with its rule, severity and words, and every finding is marked; the severity and rule filters hide and show the
right cards and marks; print media hides the filters and shows every card; a screenshot is written (to a temporary
folder, and to `KB_SCREENSHOT_DIR` when set, so CI keeps it). On the hostile fixture (`tests/formats/hostile.py`) no
script from the page or the knowledge base runs, hovering included.

Without a browser the tests skip, unless `KB_REQUIRE_BROWSER=1` (CI), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kb.formats import html as html_format
from kb.formats.report import Report
from kb.formats.review import ClaimNote, Review, SourceNote, links_of
from kb.pages.read import read_bytes
from kb.records import Finding, Severity
from kb.text.normalise import normalise
from tests.formats.hostile import hostile_site

ROOT = Path(__file__).parents[2]
KB = str(Path(sys.executable).with_name("kb"))
CHROMIUM = Path("/usr/bin/chromium")
DRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
)  # fmt: skip
MARKS = """return Array.from(document.querySelectorAll('mark')).map(function (mark) {
  var copy = mark.cloneNode(true);
  copy.querySelectorAll('sup.ref').forEach(function (ref) { ref.remove(); });
  return [mark.dataset.finding, mark.dataset.rule, mark.dataset.severity, copy.textContent,
          mark.classList.contains('filtered')];
});"""


def _unavailable(reason: str) -> None:
    if os.environ.get("KB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KB_REQUIRE_BROWSER=1 but {reason} (apt-get install chromium chromium-driver)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed")
    if not (CHROMIUM.exists() and DRIVER.exists()):
        _unavailable(f"{CHROMIUM} or {DRIVER} is missing")
    profile = tempfile.mkdtemp(prefix="kb-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(DRIVER)))  # no driver download: the system one
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _kb(*args: object, cwd: Path) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("KB_DATA", "KB_DATABASE_URL")}
    # The installed entry point, not `python -m kb`: a knowledge-base folder named kb/ in `cwd` would shadow it.
    done = subprocess.run([KB, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1) and not done.stderr, done.stderr
    return done.stdout


def _open(driver: Any, page: Path) -> list[dict[str, Any]]:
    """Load a report; the console entries it logged (errors, warnings)."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(page.as_uri())
    assert driver.title == "kb check: review report"  # the report, not the browser's error page
    return [entry for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]


def _screenshot(driver: Any, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    assert driver.save_screenshot(str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000
    if keep := os.environ.get("KB_SCREENSHOT_DIR"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(target, Path(keep) / name)


def _shown(driver: Any) -> dict[str, bool]:
    """Finding number -> whether its card is displayed."""
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('article.finding'))"
        ".map(function (card) { return [card.dataset.finding, card.getClientRects().length > 0]; });"
    )
    return dict(shown)


def _toggle(driver: Any, name: str, value: str) -> None:
    driver.find_element("css selector", f'#filters input[name="{name}"][value="{value}"]').click()


def test_bundled_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    db = tmp_path / "index.sqlite"
    _kb("check", "--format", "html", "--fail-on", "none", "--db", db, "--output", tmp_path / "report.html", cwd=ROOT)
    findings = json.loads(_kb("check", "--format", "json", "--fail-on", "none", "--db", db, cwd=ROOT))
    assert len(findings) > 50
    assert _open(browser, tmp_path / "report.html") == []  # no console error, no refused resource

    marked: dict[str, list[str]] = {}
    for number, rule, severity, text, _ in browser.execute_script(MARKS):
        expected = findings[int(number) - 1]
        assert (rule, severity) == (expected["rule"], expected["severity"]), number
        marked.setdefault(number, []).append(text)
    assert set(marked) == {str(n) for n in range(1, len(findings) + 1)}  # every finding marked, no stray mark
    for number, pieces in marked.items():
        words = findings[int(number) - 1]["text"]
        assert "".join(pieces) in (" ".join(words.split()), normalise(words)), number
    as_json = {(f["rule"], normalise(f["text"])) for f in findings}
    assert {(findings[int(n) - 1]["rule"], normalise("".join(p))) for n, p in marked.items()} == as_json
    _screenshot(browser, tmp_path, "report-top.png")

    severity = {str(n): f["severity"] for n, f in enumerate(findings, 1)}
    rules = {str(n): f["rule"] for n, f in enumerate(findings, 1)}
    assert all(_shown(browser).values())
    _toggle(browser, "severity", "warning")
    assert _shown(browser) == {n: severity[n] != "warning" for n in severity}
    hidden_marks = {number for number, _, _, _, filtered in browser.execute_script(MARKS) if filtered}
    assert hidden_marks == {n for n in severity if severity[n] == "warning"}
    errors = sum(1 for s in severity.values() if s == "error")
    assert browser.find_element("id", "shown").text == f"Showing {errors} of {len(findings)} findings."
    _toggle(browser, "severity", "warning")
    _toggle(browser, "rule", "contradiction")
    assert _shown(browser) == {n: rules[n] != "contradiction" for n in rules}
    _toggle(browser, "rule", "unsupported-claim")
    assert _shown(browser) == {n: rules[n] not in ("contradiction", "unsupported-claim") for n in rules}

    browser.execute_script("document.querySelector('#page-0 .text mark').scrollIntoView()")
    _screenshot(browser, tmp_path, "report-page.png")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element("id", "filters").is_displayed()
        assert all(_shown(browser).values())  # printed: every finding, whatever the filters
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    _toggle(browser, "rule", "contradiction")
    _toggle(browser, "rule", "unsupported-claim")
    assert all(_shown(browser).values())


def _assert_nothing_ran(driver: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.action_chains import ActionChains

    for element in driver.find_elements("css selector", "mark, blockquote, cite, dd, .link")[:60]:
        ActionChains(driver).move_to_element(element).perform()  # an injected onmouseover would fire here
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018 (the property raises when no alert is open)
    assert driver.execute_script("return document.scripts.length") == 1
    injected = "img, iframe, object, [onmouseover], [onerror], a[href^='javascript']"
    assert driver.execute_script(f'return document.querySelectorAll("{injected}").length') == 0


def test_hostile_text_runs_no_script(browser: Any, tmp_path: Path) -> None:
    site = hostile_site(tmp_path / "site")
    _kb("check", "--data", "kb", "--db", tmp_path / "i.sqlite", "page.txt", "-f", "html", "-o", "r.html", cwd=site)
    assert _open(browser, site / "r.html") == []
    _assert_nothing_ran(browser)
    text = browser.find_element("css selector", ".text").text
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text

    # A source URL kb validate would refuse (`javascript:`), as a server-side index could still hold it.
    links = links_of({"url": "javascript:alert(1)"})
    source = SourceNote("s", "supports", "<script>alert(3)</script>", '" onmouseover="alert(4)', None, links)
    claim = ClaimNote("c", "<script>alert(5)</script>", "low", "approved", None, (), (source,))
    doc = read_bytes(b"Some page text that says a thing.\n", "p.txt")
    finding = Finding("p.txt", 1, 1, 1, 34, "weak-evidence", Severity.WARNING, "m", doc.sentences[0].text, "c")
    review = Review("kb", "error", date(2026, 12, 1), {"p.txt": doc}, {"c": claim})
    (tmp_path / "j.html").write_text(
        html_format.render([finding], Report(1, "0.1.0", tmp_path, review=review)), encoding="utf-8"
    )
    assert _open(browser, tmp_path / "j.html") == []
    browser.find_element("css selector", ".link").click()  # text, not a link: nothing happens
    _assert_nothing_ran(browser)
    assert browser.current_url == (tmp_path / "j.html").as_uri()
