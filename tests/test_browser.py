"""The dashboard in a real browser: Debian's Chromium driven by Playwright, against `helpline demo`
started as a user would start it. Screenshots go to docs/screenshots when SCREENSHOTS=1."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.processes import helpline_process

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-domain-reliability", "--no-first-run",
        "--disable-client-side-phishing-detection", "--disable-features=Translate,OptimizationHints,MediaRouter"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`helpline demo` on a free port; its printed URL and one-time login. The child is ended
    whatever happens; a demo that does not stop cleanly on Ctrl-C fails the test, quoting its
    output."""
    with helpline_process("demo", tmp_path_factory.mktemp("demo"), {"HELPLINE_DEADLINE_POLL_SECONDS": "1"}) as child:
        login = child.wait_for(r"(http://\S+/dash)\s+log in as (\S+) / (\S+)")  # printed once the port listens
        yield {"url": login.group(1), "user": login.group(2), "password": login.group(3)}
        assert child.stop() == 0, "Ctrl-C did not stop the demo cleanly:\n" + child.tail()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, demo):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    opened.goto(demo["url"])
    opened.fill("input[name=username]", demo["user"])
    opened.fill("input[name=password]", demo["password"])
    opened.click("button[type=submit]")
    opened.wait_for_url(re.compile(r"/dash$"))
    yield opened
    context.close()


def shot(page, name: str) -> None:
    if os.environ.get("SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_logging_in_shows_the_live_queue(page):
    assert page.locator("h1").inner_text() == "Live queue"
    assert page.locator("#queue-rows tr").count() >= 1
    shot(page, "queue")


def test_a_wrong_password_keeps_you_out(browser, demo):
    context = browser.new_context()
    login = context.new_page()
    login.goto(demo["url"])
    login.fill("input[name=username]", demo["user"])
    login.fill("input[name=password]", "not the password")
    login.click("button[type=submit]")
    assert "Wrong username or password." in login.inner_text("main")
    login.goto(demo["url"].replace("/dash", "/dash/contacts"))
    assert "/dash/login" in login.url
    context.close()


def test_filtering_the_log_by_level(page):
    page.click("text=Contacts")
    page.select_option("select[name=level]", "emergency")
    page.click("form#filters button[type=submit]")
    page.wait_for_url(re.compile(r"level=emergency"))
    badges = page.locator("table.log tbody .badge").all_inner_texts()
    assert badges and set(badges) == {"emergency"}
    shot(page, "contacts")


def test_opening_a_contact_shows_its_timeline_and_triage(page):
    page.goto(page.url.replace("/dash", "/dash/contacts?level=high"))
    page.locator("table.log tbody a").first.click()
    page.wait_for_url(re.compile(r"/dash/contacts/\d+$"))
    timeline = page.inner_text("ol.timeline")
    assert "message received" in timeline and "triage:" in timeline and "alert opened" in timeline
    shot(page, "contact")


def test_the_report_draws_its_chart(page):
    page.click("text=Reports")
    assert page.locator("svg.chart rect.bar").count() >= 12, "about thirteen weeks in the default period"
    assert int(page.inner_text("#sessions-delivered")) > 0
    assert page.locator(".card strong").first.inner_text() in ("RED", "AMBER", "GREEN")
    shot(page, "reports")


def test_exporting_the_filtered_log_downloads_a_csv(page, tmp_path):
    page.goto(page.url.replace("/dash", "/dash/contacts?level=emergency"))
    with page.expect_download() as download:
        page.click("#export")
    saved = tmp_path / "contacts.csv"
    download.value.save_as(saved)
    rows = saved.read_text().splitlines()
    assert rows[0].startswith("contact,person,opened,channel,urgency")
    assert len(rows) > 1 and all(",emergency," in row for row in rows[1:])


def test_a_message_with_a_script_tag_is_shown_as_text_and_the_queue_updates_itself(page, browser, demo):
    queue = page
    hrefs = "els => els.map(a => a.getAttribute('href'))"
    before = set(queue.eval_on_selector_all("#queue-rows a", hrefs))
    simulator = queue.context.new_page()
    simulator.goto(demo["url"] + "/simulator?channel=sms&from=%2B447700900777")
    shot(simulator, "simulator-empty")
    simulator.fill("form[action='/dash/simulator/person'] textarea", "<script>window.pwned=1</script> i took all my pills")
    simulator.click("form[action='/dash/simulator/person'] button")
    simulator.wait_for_selector("#person-phone li.theirs")  # the emergency guidance came back
    assert "<script>window.pwned=1</script>" in simulator.inner_text("#person-phone")
    assert simulator.evaluate("window.pwned") is None
    shot(simulator, "simulator")
    queue.bring_to_front()
    queue.wait_for_function(  # polled in by the page itself, no reload
        "n => document.querySelectorAll('#queue-rows a').length > n", arg=len(before), timeout=15000)
    new = [h for h in queue.eval_on_selector_all("#queue-rows a", hrefs) if h not in before]
    assert len(new) == 1
    link = queue.locator(f'#queue-rows a[href="{new[0]}"]')
    assert "emergency" in link.locator("xpath=ancestor::tr").inner_text()
    link.click()
    assert "<script>window.pwned=1</script>" in queue.inner_text("ol.timeline")
    assert queue.evaluate("window.pwned") is None


def test_the_rota_shows_the_gap_in_red(page):
    page.click("text=Rota")
    gaps = page.locator("table.rota td.gap")
    assert gaps.count() >= 8, "the sample rota has no primary on Monday 00:00-08:00"
    colour = gaps.first.evaluate("cell => getComputedStyle(cell).backgroundColor")
    assert colour == "rgb(255, 221, 221)"
    shot(page, "rota")


def test_the_mentors_page_on_a_phone_sized_screen(browser, demo, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("text=Mentors")
    assert "Anne Rowe" in page.inner_text("table")
    shot(page, "mentors-phone")
