"""Walks every page a signed-in person can reach by following links, one address
per kind of page (Django URL name), and checks each one at phone width: nothing
wider than the screen, and no critical or serious axe-core finding."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, resolve

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Not pages: the admin, the API, files and feeds, and what signs the person out.
SKIP_PREFIXES = ("/admin/", "/api/", "/cuenta/salir/", "/media/", "/static/")
SKIP_URL_NAMES = {
    "bulletins:press_rss",
    "bulletins:press_atom",
    "bulletins:press_sitemap",
    "bulletins:press_sitemap_year",
}
# Every page gets axe, the composer included (its error lists were fixed).
AXE_EXCLUDED_URL_NAMES: set[str] = set()

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => v.impact === 'critical' || v.impact === 'serious')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""

WIDEST = r"""() => {
  const limit = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > limit + 1 && box.width > 0 && !clipped(el)) {
      const cls = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\s+/).join('.') : '';
      wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls +
        ' (' + Math.round(box.right) + ' px)');
    }
  }
  return wide.slice(0, 5);
}"""


@dataclass
class WalkReport:
    visited: list[str] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def is_page(path: str) -> bool:
    if path.startswith(SKIP_PREFIXES) or "descargar" in path:
        return False
    if path.rsplit("/", 1)[-1].count("."):  # file.pdf, vista-previa.png, agenda.ics
        return False
    return url_name(path) not in SKIP_URL_NAMES


def links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        href = urldefrag(href)[0]
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if is_page(parts.path):
            found.append(path)
    return found


def check_page(page, path: str, report: WalkReport, *, axe: bool) -> bool:
    """Opens `path`; False when it is not an HTML page (a download, an error)."""
    response = page.request.get(path, max_redirects=0)
    if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
        return False
    page.goto(path, wait_until="load")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        report.too_wide.append(f"{path}: {width} px; {', '.join(page.evaluate(WIDEST))}")
    if axe and url_name(urlsplit(path).path) not in AXE_EXCLUDED_URL_NAMES:
        page.add_script_tag(path=str(AXE))
        for finding in page.evaluate(AXE_RUN):
            report.axe.append(
                f"{path}: {finding['impact']} {finding['id']} ({finding['help']}) "
                f"en {finding['targets']}"
            )
    return True


def walk(
    page, origin: str, *, start: list[str] | None = None, axe: bool = True, limit: int = 400
) -> WalkReport:
    """Breadth-first from `start` (the home page), one address per URL name and
    set of query parameters."""
    report = WalkReport()
    seen_names: set[str] = set()
    queue = deque(start or ["/"])
    while queue and len(report.visited) < limit:
        path = queue.popleft()
        parts = urlsplit(path)
        name = url_name(parts.path)
        params = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
        key = f"{name}?{'&'.join(params)}"
        if name is None or key in seen_names:
            continue
        seen_names.add(key)
        if not check_page(page, path, report, axe=axe):
            continue
        report.visited.append(path)
        queue.extend(links(page, origin))
    return report
