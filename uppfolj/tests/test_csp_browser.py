"""The main pages work under the strict Content-Security-Policy: nothing is refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from uppfolj.conftest import browser_login

pytestmark = pytest.mark.browser


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def watch_console(page: Any) -> list[str]:
    """Collect the CSP refusals chromium logs to the console, and script errors."""
    messages: list[str] = []

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            messages.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: messages.append(f"{page.url}: {error}"))
    return messages


def same_site_links(page: Any, selector: str, limit: int) -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    unique = [h for h in dict.fromkeys(hrefs) if h and h.startswith("/") and "logga-ut" not in h]
    return unique[:limit]


def visit_all(page: Any, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(page.base + path)
        assert response is not None and response.status < 500, path
        page.wait_for_load_state()


@pytest.fixture
def running_case(make_case):
    return make_case(
        [
            {"date": days_ago(60), "type": "kommunicerat"},
            {"date": days_ago(50), "type": "beslut", "utfall": "bifall", "from": days_ago(50)},
            {"date": days_ago(48), "type": "uppdrag_skickat"},
            {"date": days_ago(47), "type": "kontakt_tagen"},
            {"date": days_ago(40), "type": "verkstallt", "grad": "helt"},
        ],
        case_id="CSP-1",
    )


@pytest.mark.parametrize(
    "role", ["socialsekreterare", "enhetschef", "boendestodjare", "inspektor", "administrator"]
)
def test_main_pages_report_no_csp_violation(browser_page, cast, running_case, role):
    page = browser_page
    messages = watch_console(page)
    page.goto(page.base + "/logga-in/")
    browser_login(page, cast[role].username)
    assert page.locator(".user").is_visible()  # signed in
    visit_all(page, same_site_links(page, "nav a", limit=10))
    if role in ("socialsekreterare", "enhetschef"):
        case_page = f"/arenden/{running_case.arende_id}/"
        visit_all(page, [case_page])
        visit_all(page, same_site_links(page, f"main a[href^='{case_page}']", limit=8))
        # An htmx request (the filtered case list) works too.
        page.goto(page.base + "/arenden/")
        with page.expect_response(lambda r: "insats=" in r.url):
            page.get_by_label("Insats").select_option("boendestod")
        page.wait_for_load_state()
    if role == "administrator":
        admin_user = cast["administrator"]
        admin_user.is_staff = admin_user.is_superuser = True
        admin_user.save()
        visit_all(
            page,
            ["/admin/", "/admin/accounts/user/", f"/admin/accounts/user/{admin_user.pk}/change/"],
        )
        assert page.locator("input[name='username']").input_value() == admin_user.username
    if role == "boendestodjare":
        visit_all(page, same_site_links(page, "main a[href^='/utforare/']", limit=8))
    assert messages == []


def test_the_browser_enforces_the_policy_so_the_check_can_fail(browser_page, db):
    page = browser_page
    messages = watch_console(page)
    page.goto(page.base + "/logga-in/")
    # Markup with an inline style attribute and an inline script, as a template might add.
    refused_style = lambda m: "Content Security Policy" in m.text and "style" in m.text  # noqa: E731
    with page.expect_console_message(refused_style):
        page.evaluate(
            """() => {
                const div = document.createElement('div');
                div.innerHTML = '<p style="color: red">x</p>';
                document.body.append(div);
            }"""
        )
    refused_script = lambda m: "Content Security Policy" in m.text and "script" in m.text  # noqa: E731
    with page.expect_console_message(refused_script):
        page.evaluate(
            """() => {
                const script = document.createElement('script');
                script.textContent = 'window.inlineRan = true';
                document.body.append(script);
            }"""
        )
    assert page.evaluate("() => window.inlineRan === undefined")
    assert len([m for m in messages if "Content Security Policy" in m]) == 2, messages
