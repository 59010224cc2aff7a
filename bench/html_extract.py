"""Main-content extraction of HTML guides: careerkg's selectolax rules against trafilatura.

    .venv/bin/python bench/html_extract.py      # trafilatura is optional: `pip install trafilatura==2.3.1`

For each HTML fixture in tests/data it counts the content lines kept (headings, paragraphs,
list items, table rows: each must appear as a line, in page order), the furniture strings
left (navigation, cookie banner, footer ...) and the time per page (median of 20 runs).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from careerkg.ingest.htmltext import main_text  # noqa: E402

DATA = ROOT / "tests" / "data"
CASES = {
    "html/bristol-ml-jobs-guide.html": (
        ["Machine Learning Jobs in Bristol: Salaries and Skills", "What employers look for", "- Python and PyTorch",
         "Salaries in Bristol", "| Level | Salary |", "| Junior ML engineer | £38,000 – £50,000 |",
         "| Senior ML engineer | £80,000 – £110,000 |", "How to get hired",
         "- Apply to graduate schemes in September.", "Contract ML engineers in Bristol earn £500 – £650 per day."],
        ["cookies", "Home", "Jobs | About", "Breadcrumb", "›", "Share on", "Subscribe", "Related guides",
         "ML jobs in London", "©", "All rights reserved", "Privacy policy"]),
    "html/edinburgh-data-roles.html": (
        ["Data Science Roles in Edinburgh", "Pay by level", "| Role | Typical salary |",
         "| Senior data scientist | £65,000 – £85,000 |", "Where the jobs are", "- Travel technology",
         "Edinburgh salaries are about 20% lower than in London, but so are living costs."],
        ["cookies", "Home", "Sign in", "Popular posts", "interview tips", "©", "Registered in Scotland"]),
    "autonomy-ml-jobs.html": (
        ["Robotics and Autonomy ML Jobs",
         "Oxford and London host the UK's autonomy cluster. Wayve and Oxa hire ML engineers to work on "
         "self-driving systems.", "- Computer vision", "| Level | Salary |", "| Mid MLE | £70,000 – £95,000 |",
         "Contractors earn £600 – £750 per day."],
        ["UA-SHOULD-NOT-APPEAR", "injected by script", "enable JavaScript", "Home"]),
    "untitled-page.html": (
        ["Graduate ML Schemes", "Graduate schemes at Arm and Ocado take ML graduates every September."], []),
}


def selectolax_rules(html: str) -> str:
    return main_text(html)[0]


def trafilatura_txt(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, output_format="txt", include_tables=True, include_comments=False,
                               include_links=False) or ""


def score(text: str, keep: list[str], gone: list[str]) -> tuple[int, bool, int]:
    lines = [ln.strip() for ln in text.split("\n")]
    found = [lines.index(k) for k in keep if k in lines]
    return len(found), found == sorted(found), sum(1 for g in gone if g in text)


def main() -> None:
    extractors = {"selectolax rules": selectolax_rules}
    try:
        import trafilatura  # noqa: F401

        extractors["trafilatura 2.3.1"] = trafilatura_txt
    except ImportError:
        print("(trafilatura not installed: only the selectolax rules are measured)")
    print(f"{'page':<34} {'extractor':<18} {'content kept':>12} {'in order':>8} {'furniture left':>14} {'ms':>6}")
    for name, (keep, gone) in CASES.items():
        html = (DATA / name).read_text("utf-8")
        for label, fn in extractors.items():
            fn(html)  # warm up
            times = []
            for _ in range(20):
                t0 = time.perf_counter()
                text = fn(html)
                times.append((time.perf_counter() - t0) * 1000)
            kept, ordered, left = score(text, keep, gone)
            print(f"{name:<34} {label:<18} {f'{kept}/{len(keep)}':>12} {'yes' if ordered else 'NO':>8} "
                  f"{f'{left}/{len(gone)}':>14} {statistics.median(times):6.2f}")


if __name__ == "__main__":
    main()
