"""The pages in a real browser (headless Chromium), by what a person sees and clicks."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import API_KEY, DATA, HOSTILE_ID, MAX_DOCUMENT_BYTES
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import browser as chromium

SALARY_Q = "What does a senior ML engineer earn in London?"
UNANSWERABLE_Q = "What is the salary of an ML engineer in Tokyo?"
LEEDS_Q = "Which companies hire machine learning engineers in Leeds?"
LEEDS_ID = "leeds-ml-jobs"


def wait(driver, seconds: float = 30) -> WebDriverWait:
    """Polls until the condition holds; a page reloading under a lookup (the upload/delete flows) is retried."""
    return WebDriverWait(driver, seconds, ignored_exceptions=(WebDriverException,))


def css(driver, selector: str):
    return driver.find_elements(By.CSS_SELECTOR, selector)


def visible_in_viewport(driver, el) -> bool:
    return driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;", el)


def test_ask_then_follow_a_citation_to_the_highlighted_quote(browser, web_server):
    browser.get(web_server + "/")
    label = browser.find_element(By.CSS_SELECTOR, "label[for=q]")
    assert "question" in label.text.lower()
    box = browser.find_element(By.ID, "q")
    assert browser.switch_to.active_element == box  # focused on load: type straight away
    box.send_keys(SALARY_Q, Keys.ENTER)
    wait(browser).until(EC.presence_of_element_located((By.ID, "answer-text")))
    assert "/?q=" in browser.current_url
    answer = browser.find_element(By.ID, "answer-text").text
    assert "£95,000" in answer and "[1]" in answer
    marker = browser.find_element(By.CSS_SELECTOR, "a.marker[data-cite]")
    n = marker.get_attribute("data-cite")
    quote_text = browser.find_element(By.CSS_SELECTOR, f"#cite-{n} blockquote").text
    marker.click()
    panel = browser.find_element(By.ID, "cite-panel")
    wait(browser, 5).until(lambda d: panel.is_displayed())
    assert marker.get_attribute("aria-expanded") == "true"
    assert quote_text in panel.text and "Fintech ML Roles" in panel.text
    link = panel.find_element(By.CSS_SELECTOR, "a.open-guide")
    href = link.get_attribute("href")
    assert f"/guides/fintech-ml-roles#" in href
    link.click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "mark.hl")))
    marks = css(browser, "mark.hl")
    assert "".join(m.text for m in marks).replace("\n", " ") == quote_text.replace("\n", " ")
    assert visible_in_viewport(browser, marks[0])
    assert browser.find_element(By.ID, "hl-status").is_displayed()


def test_citation_markers_work_from_the_keyboard(browser, web_server):
    browser.get(web_server + "/?q=" + quote(SALARY_Q))
    marker = browser.find_element(By.CSS_SELECTOR, "a.marker[data-cite]")
    marker.send_keys(Keys.ENTER)
    panel = browser.find_element(By.ID, "cite-panel")
    wait(browser, 5).until(lambda d: panel.is_displayed())
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser, 5).until(lambda d: not panel.is_displayed())
    assert browser.switch_to.active_element == marker  # focus goes back to the marker


def test_q_link_asks_on_load_with_entity_chips(browser, web_server):
    browser.get(web_server + "/?q=" + quote(SALARY_Q))
    assert browser.find_element(By.ID, "q").get_attribute("value") == SALARY_Q
    assert "Answer" in browser.find_element(By.ID, "answer-h").text
    chips = {c.text.split("\n")[0]: c.get_attribute("href") for c in css(browser, ".answer .chip")}
    assert chips.get("London", "").endswith("/entities/city/london")
    browser.get(chips["London"])
    assert browser.find_element(By.TAG_NAME, "h1").text == "London"
    assert css(browser, ".facts li"), "the entity page lists facts with citations"
    sparql_link = browser.find_element(By.PARTIAL_LINK_TEXT, "SPARQL editor").get_attribute("href")
    assert "/sparql#query=" in sparql_link


def test_abstention_shows_what_is_missing_and_nearest_evidence(browser, web_server):
    browser.get(web_server + "/?q=" + quote(UNANSWERABLE_Q))
    section = browser.find_element(By.CSS_SELECTOR, "section.answer.abstained")
    assert "do not answer" in section.text
    unmet = browser.find_element(By.CSS_SELECTOR, ".unmet").text
    assert "Tokyo" in unmet and "place" in unmet.lower()
    nearest = browser.find_element(By.CSS_SELECTOR, ".sources")
    assert "Nearest evidence" in nearest.text
    assert css(browser, ".sources a.guide-link")


def _unlock(browser, key: str) -> None:
    field = browser.find_element(By.ID, "api-key")
    field.clear()
    field.send_keys(key, Keys.ENTER)


def test_upload_ask_delete_with_the_key(browser, web_server):
    browser.get(web_server + "/guides")
    titles = [h.text for h in css(browser, ".guide-card h2")]
    assert "Fintech ML Roles in the UK: A Short Field Note" in titles
    assert not browser.find_element(By.ID, "upload-form").is_displayed()
    assert not any(o.is_displayed() for o in css(browser, ".ops")), "no write controls without a key"

    _unlock(browser, "not-the-key")
    status = browser.find_element(By.ID, "key-status")
    wait(browser, 10).until(lambda d: status.text)
    assert status.text == "Wrong API key."
    assert not browser.find_element(By.ID, "upload-form").is_displayed()

    _unlock(browser, API_KEY)
    upload = browser.find_element(By.ID, "upload-form")
    wait(browser, 10).until(lambda d: upload.is_displayed())
    # a guide over the size limit is refused before it is sent
    browser.execute_script("document.getElementById('doc-id').value = 'too-big';"
                           "document.getElementById('paste').value = 'x'.repeat(arguments[0]);", MAX_DOCUMENT_BYTES + 1)
    upload.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    op = browser.find_element(By.ID, "op-status")
    wait(browser, 5).until(lambda d: "at most" in op.text)
    browser.execute_script("document.getElementById('paste').value = ''; document.getElementById('doc-id').value = '';")

    browser.find_element(By.ID, "file").send_keys(str(DATA / f"{LEEDS_ID}.md"))
    assert browser.find_element(By.ID, "doc-id").get_attribute("value") == LEEDS_ID
    upload.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser, 120).until(lambda d: css(d, f'.guide-card[data-doc-id="{LEEDS_ID}"]'))
    wait(browser, 10).until(lambda d: "added" in d.find_element(By.ID, "op-status").text)

    browser.get(web_server + "/?q=" + quote(LEEDS_Q))
    assert any(f"/guides/{LEEDS_ID}#" in (a.get_attribute("href") or "") for a in css(browser, ".sources a.guide-link"))

    browser.get(web_server + "/guides")  # the key is kept for this tab: the controls are back
    card = browser.find_element(By.CSS_SELECTOR, f'.guide-card[data-doc-id="{LEEDS_ID}"]')
    delete = card.find_element(By.CSS_SELECTOR, "button.delete")
    wait(browser, 10).until(lambda d: delete.is_displayed())
    delete.click()
    assert delete.text == "Confirm delete"
    delete.click()
    wait(browser, 60).until(lambda d: "Deleted" in d.find_element(By.ID, "op-status").text)
    assert not css(browser, f'.guide-card[data-doc-id="{LEEDS_ID}"]')

    browser.get(web_server + "/?q=" + quote(LEEDS_Q))
    assert not any(f"/guides/{LEEDS_ID}" in (a.get_attribute("href") or "") for a in css(browser, "a"))


def test_sparql_editor_runs_an_example_query(browser, web_server):
    browser.get_log("browser")  # drop earlier pages' messages
    browser.get(web_server + "/sparql")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    browser.find_element(By.XPATH, "//button[normalize-space()='Salaries by city']").click()
    wait(browser).until(lambda d: css(d, ".yasr table tbody tr td"))
    cells = " ".join(td.text for td in css(browser, ".yasr table tbody td"))
    assert "London" in cells and "Machine Learning Engineer" in cells
    logs = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not [m for m in logs if "favicon" not in m], logs


def test_docs_renders_the_openapi_operations(browser, web_server):
    browser.get(web_server + "/docs")
    wait(browser).until(lambda d: css(d, ".opblock-summary-path"))
    paths = {p.text.replace("\u200b", "") for p in css(browser, ".opblock-summary-path")}
    assert {"/ask", "/sparql", "/documents/{doc_id}"} <= paths
    assert "Unable to render" not in browser.find_element(By.TAG_NAME, "body").text


@pytest.mark.parametrize("path", ["/", "/?q=" + quote(SALARY_Q), "/?q=" + quote(UNANSWERABLE_Q), "/guides",
                                  "/guides/healthcare-ml-notes", "/guides/fintech-ml-roles#120-180",
                                  "/entities/city/london", "/sparql", "/docs"])
def test_phone_viewport_has_no_horizontal_scroll(browser, web_server, path):
    chromium.set_viewport(browser, 375)
    browser.get(web_server + path)
    if path == "/sparql":
        wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".yasqe .CodeMirror")))
    if path == "/docs":
        wait(browser).until(lambda d: css(d, ".opblock-summary-path"))
    assert browser.execute_script("return window.innerWidth") == 375
    assert chromium.horizontal_overflow(browser) == 0


def test_script_in_guides_and_questions_stays_text(browser, web_server):
    for path in ["/guides", f"/guides/{HOSTILE_ID}", "/?q=" + quote("<script>window.__pwned = 9</script> pay in London?"),
                 "/?q=" + quote("What does a senior ML engineer earn in London? <img src=x onerror=window.__pwned=8>")]:
        browser.get(web_server + path)
        assert browser.execute_script("return window.__pwned === undefined"), path
        body = browser.find_element(By.TAG_NAME, "body").text
        if path.startswith("/guides"):
            assert "<script>window." in body and "onerror=" in body, path  # shown as text
    # hovering the <b onmouseover> text does nothing either
    browser.get(web_server + f"/guides/{HOSTILE_ID}")
    assert "onmouseover" in browser.find_element(By.ID, "guide-text").text
    assert not css(browser, "#guide-text b, #guide-text img, #guide-text script")


def test_conflicting_figures_are_side_by_side(browser, web_server):
    browser.get(web_server + "/?q=" + quote(SALARY_Q))
    cols = css(browser, "section.conflict .col")
    assert len(cols) >= 2
    for col in cols:
        assert col.find_element(By.CSS_SELECTOR, ".value").text
        assert col.find_element(By.CSS_SELECTOR, "blockquote.quote").text
        assert "/guides/" in col.find_element(By.CSS_SELECTOR, ".src a").get_attribute("href")
    tops = {round(c.rect["y"]) for c in cols}
    assert len(tops) == 1, "desktop: the disagreeing values sit in one row"


# ------------------------------------------------------------------ streamed answers (POST /ask, Server-Sent Events)
WATCH_LIVE = """
window.__samePage = 1; window.__live = [];
new MutationObserver(function () {
  var l = document.getElementById('answer-live'), s = document.getElementById('answer-status');
  if (l) window.__live.push([l.getAttribute('aria-live'), l.getAttribute('aria-label'), l.textContent,
                             s ? s.textContent : '']);
}).observe(document.body, {subtree: true, childList: true, characterData: true});
"""


def _ask_streamed(browser, web_server, question: str):
    """Type a question on the ask page and press Enter; the streamed answer section once it is rendered."""
    browser.get(web_server + "/")
    browser.execute_script(WATCH_LIVE)
    browser.find_element(By.ID, "q").send_keys(question, Keys.ENTER)
    wait(browser).until(lambda d: css(d, 'section#answer[data-streamed="1"]'))
    assert browser.execute_script("return window.__samePage") == 1, "no page load: the answer was streamed in place"
    return browser.find_element(By.ID, "answer")


def test_typed_question_streams_its_answer_in_place(browser, web_server):
    from urllib.parse import parse_qs, urlsplit

    section = _ask_streamed(browser, web_server, SALARY_Q)
    assert parse_qs(urlsplit(browser.current_url).query)["q"] == [SALARY_Q]  # shareable /?q=
    assert urlsplit(browser.current_url).path == "/"
    live = browser.execute_script("return window.__live")
    assert live and live[0][:2] == ["polite", "Answer so far"] and live[0][3] == "Answering…"
    assert any("£" in text for _, _, text, _ in live), "the answer text was shown before the sources"
    assert browser.switch_to.active_element == browser.find_element(By.ID, "answer-h")  # focus on the answer
    assert "£95,000" in browser.find_element(By.ID, "answer-text").text
    assert section.get_attribute("aria-busy") is None and not css(browser, "#answer-live")
    # a marker opens its citation; the quote is the guide's text at the cited span
    marker = browser.find_element(By.CSS_SELECTOR, "#answer-text a.marker[data-cite]")
    n = marker.get_attribute("data-cite")
    quote_text = browser.find_element(By.CSS_SELECTOR, f"#cite-{n} blockquote").get_attribute("textContent")
    marker.send_keys(Keys.ENTER)  # keyboard works on the streamed markup too
    panel = browser.find_element(By.ID, "cite-panel")
    wait(browser, 5).until(lambda d: panel.is_displayed())
    assert marker.get_attribute("aria-expanded") == "true"
    href = panel.find_element(By.CSS_SELECTOR, "a.open-guide").get_attribute("href")
    doc_id, span = urlsplit(href).path.rsplit("/", 1)[1], urlsplit(href).fragment
    start, end = (int(x) for x in span.split("-"))
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser, 5).until(lambda d: not panel.is_displayed())
    assert browser.switch_to.active_element == marker
    # the streamed page shows what the server renders for /?q= (same markup)
    streamed = browser.execute_script(
        "return document.getElementById('result').innerHTML.replace(' data-streamed=\"1\"', '')")
    browser.get(href)
    text = browser.execute_script("return document.getElementById('guide-text').textContent")
    assert doc_id == "fintech-ml-roles" and text[start:end] == quote_text
    browser.get(web_server + "/?q=" + quote(SALARY_Q))
    served = browser.execute_script("return document.getElementById('result').innerHTML")
    norm = lambda s: re.sub(r">\s+<", "><", s).strip()  # noqa: E731
    assert norm(streamed) == norm(served)


def test_streamed_abstention_shows_what_is_missing_on_a_phone(browser, web_server):
    chromium.set_viewport(browser, 375)
    section = _ask_streamed(browser, web_server, UNANSWERABLE_Q)
    assert "abstained" in section.get_attribute("class") and "do not answer" in section.text
    unmet = browser.find_element(By.CSS_SELECTOR, ".unmet").text
    assert "Tokyo" in unmet and "place" in unmet.lower()
    assert "Nearest evidence" in browser.find_element(By.CSS_SELECTOR, ".sources").text
    assert css(browser, ".sources a.guide-link")
    assert browser.switch_to.active_element == browser.find_element(By.ID, "answer-h")
    assert chromium.horizontal_overflow(browser) == 0


def test_streamed_hostile_question_stays_text(browser, web_server):
    q = "<script>window.__pwned = 9</script> pay in London? <img src=x onerror=window.__pwned=8>"
    _ask_streamed(browser, web_server, q)
    assert browser.execute_script("return window.__pwned === undefined")
    assert not css(browser, "#result script, #result img")
    assert "onerror" in browser.find_element(By.CSS_SELECTOR, ".share a").get_attribute("href")


def test_stream_error_event_is_an_alert_as_text(browser, web_server):
    browser.get(web_server + "/")
    browser.execute_script("""
      window.__samePage = 1;
      window.fetch = function () {
        return Promise.resolve(new Response(
          'event: delta\\ndata: {"text": "Half an answer", "citations": []}\\n\\n' +
          'event: error\\ndata: {"error": {"code": "llm_error", "message": "The model <b>failed</b>"}}\\n\\n',
          {headers: {"Content-Type": "text/event-stream"}}));
      };""")
    browser.find_element(By.ID, "q").send_keys(SALARY_Q, Keys.ENTER)
    alert = wait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#result .error[role=alert]"))
    assert alert.text == "The model <b>failed</b>" and not css(browser, "#result b, #answer")
    assert browser.execute_script("return window.__samePage") == 1
