"""Screenshots of the main pages for the README: ``python tests/web/screenshots.py [BASE_URL] [OUT_DIR]``.

Point it at a running server with the seeds ingested (``make run``); it writes
``docs/ask.png``, ``docs/guide.png``, ``docs/guides.png`` and ``docs/sparql.png``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).parent))

from browser import chrome  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

QUESTION = "What does a senior MLE earn in London?"


def main(base: str = "http://127.0.0.1:8000", out: str = "docs") -> None:
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    d = chrome(1200, 1000)
    wait = WebDriverWait(d, 30)
    try:
        d.get(f"{base}/?q={quote(QUESTION)}")
        d.find_element(By.CSS_SELECTOR, "a.marker[data-cite]").click()
        time.sleep(0.3)
        d.execute_script("window.scrollTo(0, 0)")
        d.save_screenshot(str(out_dir / "ask.png"))
        href = d.find_element(By.CSS_SELECTOR, "#cite-panel a.open-guide").get_attribute("href")
        d.get(href)
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, "mark.hl"))
        time.sleep(0.3)
        d.save_screenshot(str(out_dir / "guide.png"))
        d.get(f"{base}/guides")
        d.save_screenshot(str(out_dir / "guides.png"))
        d.get(f"{base}/sparql")
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, ".yasqe .CodeMirror"))
        d.find_element(By.XPATH, "//button[normalize-space()='Salaries by city']").click()
        wait.until(lambda x: x.find_elements(By.CSS_SELECTOR, ".yasr table tbody tr td"))
        time.sleep(0.5)
        d.execute_script("document.querySelector('.yasqe').scrollIntoView({block: 'start'})")
        d.save_screenshot(str(out_dir / "sparql.png"))
    finally:
        d.quit()


if __name__ == "__main__":
    main(*sys.argv[1:])
