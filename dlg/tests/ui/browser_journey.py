"""The Connections page in a real browser (Debian's chromium, headless, through Selenium).

Run by dlg/tests/ui.rs: browser_journey.py START_URL HTTPBIN_BASE OIDC_BASE SCREENSHOT_DIR DLG
with DLG_HOME set to the page's store. Prints JOURNEY OK when every step passed; a failed
step raises with what the page showed. Each page is saved as a PNG under SCREENSHOT_DIR.
"""

import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

START, HTTPBIN, OIDC, SHOTS, DLG = sys.argv[1:6]
ORIGIN = START.split("/start")[0]
API_SECRET = "sk-ui-browser-secret-7731"
SECRETS = [API_SECRET, "conf-secret", "short-secret"]
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument("--user-data-dir=" + tempfile.mkdtemp(prefix="dlg-ui-chromium-"))
    options.add_argument("--window-size=1100,1300")
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


driver = browser()
driver.set_page_load_timeout(30)


def shot(name):
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))


def page():
    html = driver.page_source
    for secret in SECRETS:
        assert secret not in html, f"a secret is in the page at {driver.current_url}"
    return html


def expect(text, where=""):
    html = page()
    assert text in html, f"{where}: expected {text!r} at {driver.current_url}:\n{html[:3000]}"


def go(path):
    driver.get(ORIGIN + path)
    page()


def fill(field_id, value):
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(value)


def has_left_the_page(element):
    """Whether `element` is gone with the page it was on. Chrome, asked in the middle of the
    navigation, may answer that the node "does not belong to the document" instead of the
    stale-element error `expected_conditions.staleness_of` expects."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


def click(element):
    """Clicks and waits for the next page to replace this one."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(lambda _: has_left_the_page(old))
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )


def submit():
    click(driver.find_element(By.CSS_SELECTOR, "main form[method=post] button[type=submit]"))


def wait_for(fragment, seconds=30, on_page=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if fragment in driver.current_url:
            return
        if on_page:
            on_page()
        time.sleep(0.3)
    raise AssertionError(f"never reached {fragment}; at {driver.current_url}:\n{driver.page_source[:3000]}")


def row_status(link):
    return driver.find_element(By.ID, "conn-" + link).find_element(By.CLASS_NAME, "status").text


consent_shots = []


def provider_step():
    """Logs in and approves on oidc-provider's development pages (whatever they show)."""
    if not driver.current_url.startswith(OIDC):
        return
    forms = driver.find_elements(By.CSS_SELECTOR, "form")
    if not forms:
        return
    logins = driver.find_elements(By.NAME, "login")
    if logins:
        if not consent_shots:
            shot("09-provider-login")
        logins[0].send_keys("alice")
        driver.find_element(By.NAME, "password").send_keys("any")
    elif not consent_shots:
        shot("10-consent")
        consent_shots.append(True)
    buttons = driver.find_elements(By.CSS_SELECTOR, "form button[type=submit]")
    if buttons:
        buttons[0].click()
        time.sleep(0.5)


def oauth2_service(name, client_id, secret):
    go("/services/new")
    fill("name", name)
    fill("display_name", "Local OIDC " + client_id)
    Select(driver.find_element(By.ID, "auth")).select_by_value("oauth2")
    fill("hosts", "127.0.0.1")
    Select(driver.find_element(By.ID, "grant")).select_by_value("authorization-code")
    fill("authorize_url", OIDC + "/auth")
    fill("token_url", OIDC + "/token")
    fill("revoke_url", OIDC + "/token/revocation")
    fill("client_id", client_id)
    fill("client_secret", secret)
    Select(driver.find_element(By.ID, "scope_delimiter")).select_by_value("space")


def connect_oauth2(service, link):
    wait_for("/new?service=" + service)
    fill("link_name", link)
    fill("scopes", "openid")
    submit()
    wait_for(f"/c/{link}/done", on_page=provider_step)
    expect("is <span class=\"status connected\">connected</span>", "oauth2 summary")


try:
    # The session: the one-time address, then the list (one connection made by the CLI).
    driver.get(START)
    expect("My connections")
    assert row_status("legacy_acct") == "needs re-authorization"
    shot("01-connections")

    # Pick a catalog service (search), create and connect an API-key connection.
    click(driver.find_element(By.LINK_TEXT, "New connection"))
    expect("Pick your service")
    shot("02-services")
    fill("q", "anthropic")
    click(driver.find_element(By.CSS_SELECTOR, "form[role=search] button"))
    expect("Anthropic")
    shot("03-pick-service")
    click(driver.find_element(By.CSS_SELECTOR, "a[aria-label='Choose Anthropic']"))
    expect("Create and Connect")
    fill("link_name", "claude")
    fill("display_name", "Claude key")
    secret_field = driver.find_element(By.CSS_SELECTOR, "input[type=password]")
    secret_field.send_keys(API_SECRET)
    shot("04-connection-details")
    submit()
    wait_for("/c/claude/done")
    expect("x-api-key=***")
    expect("is <span class=\"status connected\">connected</span>")
    shot("05-summary")

    # Edit: allow httpbin's host, rename.
    go("/c/claude/edit")
    fill("display_name", "Claude (test)")
    fill("add_hosts", "127.0.0.1")
    shot("06-edit")
    submit()
    expect("updated connection")

    # Use it from dlg run against httpbin.
    script = os.path.join(tempfile.mkdtemp(), "use.dg")
    with open(script, "w") as out:
        out.write(
            'r = invokeurl\n[\n  url: "%s/headers"\n  type: GET\n  connection: "claude"\n];\n'
            'info r.get("headers").get("X-Api-Key").length();\n' % HTTPBIN
        )
    run = subprocess.run([DLG, "run", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, f"dlg run failed: {run.stdout} {run.stderr}"
    assert run.stdout.strip() == str(len(API_SECRET)), f"the key was not sent: {run.stdout!r}"

    go("/")
    assert row_status("claude") == "connected"
    last_used = driver.find_element(By.ID, "conn-claude").find_elements(By.TAG_NAME, "td")[4].text
    assert "never" not in last_used, f"last use not shown: {last_used!r}"
    shot("07-connections")

    # A custom OAuth 2 service, connected through oidc-provider's consent page.
    oauth2_service("oidc_local", "conf", "conf-secret")
    shot("08-create-service")
    submit()
    expect("This page's callback URL")
    expect(ORIGIN + "/cb")
    connect_oauth2("oidc_local", "oidc_acct")
    shot("11-summary-oauth2")

    # A second one whose access tokens live 2 s (and no refresh token): "expired".
    oauth2_service("oidc_short", "short", "short-secret")
    submit()
    connect_oauth2("oidc_short", "short_acct")
    time.sleep(3)

    # Revoke the API-key connection (confirmation first).
    go("/c/claude/revoke")
    expect("Revoke this connection?")
    shot("12-revoke-confirm")
    submit()
    expect("was revoked")

    # Every status in the list.
    go("/")
    statuses = {link: row_status(link) for link in ["claude", "oidc_acct", "short_acct", "legacy_acct"]}
    assert statuses == {
        "claude": "revoked",
        "oidc_acct": "connected",
        "short_acct": "expired",
        "legacy_acct": "needs re-authorization",
    }, statuses
    shot("13-connections-every-status")
    driver.set_window_size(320, 1400)
    go("/")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 320, f"the list is {width}px wide at 320px"
    shot("14-connections-320px")
    driver.set_window_size(1100, 1300)

    # Delete (confirmation first).
    go("/c/oidc_acct/delete")
    expect("Delete this connection?")
    shot("15-delete-confirm")
    submit()
    expect("deleted connection")
    go("/")
    assert not driver.find_elements(By.ID, "conn-oidc_acct"), "still listed after delete"
    shot("16-connections-after-delete")
    print("JOURNEY OK")
finally:
    driver.quit()
