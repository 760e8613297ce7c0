"""Checks of a drawn page in the browser, shared by the dashboard and export tests (and
bench/page_layout.py): sizes at a given viewport, overflow, overlapping controls, cut text, and
axe-core (Deque's accessibility engine, installed from npm by the README's test command)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"

# Visible interactive controls whose boxes must not overlap one another.
OVERLAPS = """
var selector = arguments[0];
// The part of an element a reader sees: its box clipped by every scrolling or clipping ancestor.
function shown(el) {
  var r = el.getBoundingClientRect(), s = getComputedStyle(el);
  if (!(r.width > 0 && r.height > 0) || s.visibility === 'hidden' || s.display === 'none' || s.opacity === '0' ||
      el.closest('[hidden]') || el.closest('[aria-hidden="true"]') || el.closest('details:not([open]) > :not(summary)')) {
    return null;
  }
  var box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  for (var p = el.parentElement; p; p = p.parentElement) {
    var ps = getComputedStyle(p);
    if (ps.overflowX !== 'visible' || ps.overflowY !== 'visible') {
      var c = p.getBoundingClientRect();
      box = {left: Math.max(box.left, c.left), top: Math.max(box.top, c.top),
             right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom)};
      if (box.right <= box.left || box.bottom <= box.top) { return null; }
    }
  }
  return box;
}
var els = [], boxes = [];
Array.from(document.querySelectorAll(selector)).forEach(function (el) {
  var b = shown(el);
  if (b) { els.push(el); boxes.push(b); }
});
var out = [];
for (var i = 0; i < els.length; i++) {
  for (var j = i + 1; j < els.length; j++) {
    if (els[i].contains(els[j]) || els[j].contains(els[i])) { continue; }
    var a = boxes[i], b = boxes[j];
    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && h > 1) { out.push([els[i].outerHTML.slice(0, 80), els[j].outerHTML.slice(0, 80)]); }
  }
}
return out;
"""
CONTROLS = "button, a[href], input, select, textarea, summary, [role=button], .modebar-btn, .updatemenu-button, .slider-container"

# Text cut by its box: an element whose content is wider than it and clips (ellipsis, hidden;
# not the 1-pixel boxes of text kept for screen readers only), and SVG text of a figure drawn
# outside the figure.
CUT_TEXT = """
var root = document.querySelector(arguments[0]) || document.body;
var out = [];
root.querySelectorAll('*').forEach(function (el) {
  var s = getComputedStyle(el);
  if (el.clientWidth > 1 && el.children.length === 0 && el.textContent.trim() && (s.overflow === 'hidden' || s.textOverflow === 'ellipsis' ||
      s.overflowX === 'hidden') && el.scrollWidth > el.clientWidth + 1) {
    out.push(el.textContent.trim().slice(0, 60));
  }
});
root.querySelectorAll('.js-plotly-plot').forEach(function (plot) {
  var box = plot.getBoundingClientRect();
  plot.querySelectorAll('.xtick text, .ytick text, .yaxislayer-above text, .xaxislayer-above text').forEach(function (t) {
    var r = t.getBoundingClientRect();
    if (r.width && (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)) {
      out.push('figure text outside its figure: ' + t.textContent);
    }
  });
});
return out;
"""


def set_viewport(driver, width: int, height: int) -> None:
    """The page's viewport exactly (the window's own size includes the browser's frame)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})


def box(driver, selector: str) -> dict:
    return driver.execute_script(
        "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width, height: r.height}", selector)


def horizontal_overflow(driver) -> float:
    return driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")


def overlapping_controls(driver) -> list:
    return driver.execute_script(OVERLAPS, CONTROLS)


def cut_text(driver, selector: str = "body") -> list:
    return driver.execute_script(CUT_TEXT, selector)


def axe_violations(driver, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the given impacts on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: the README's test command installs it (npm ci --prefix tests/axe)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(JSON.stringify(r.violations)); })"
        ".catch(function (e) { done(JSON.stringify([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}])); });")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n.get("target") for n in v.get("nodes", [])][:5]}
            for v in json.loads(result) if v.get("impact") in impacts]


DRAWN_MAP = """
const graph = document.querySelector(arguments[0]);
const area = graph && graph.querySelector('.geo .bg');
if (!area) { return null; }
const frame = area.getBoundingClientRect();
const labels = Array.from(graph.querySelectorAll('.scattergeo text')).filter(t => t.textContent).map(t => {
  const b = t.getBoundingClientRect();
  return {text: t.textContent, left: b.left, right: b.right, top: b.top, bottom: b.bottom};
});
return {viewport: window.innerWidth, frame: {left: frame.left, right: frame.right, top: frame.top,
        bottom: frame.bottom, width: frame.width}, labels: labels};
"""


def drawn_map(driver, selector: str, settle: float = 5.0) -> dict:
    """The map as plotly.js drew it inside the figure ``selector``, once it has kept still for
    0.3 s (a responsive graph redraws after its frame is sized): the share of the viewport's
    width its map area covers, and the stop labels that cross that area's frame (1 px slack)."""
    import time

    deadline, found = time.monotonic() + settle, None
    while True:
        previous, found = found, driver.execute_script(DRAWN_MAP, selector)
        if (found is not None and found == previous) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert found is not None, f"no map drawn in {selector}"
    frame = found["frame"]
    cut = [label["text"] for label in found["labels"]
           if label["left"] < frame["left"] - 1 or label["right"] > frame["right"] + 1
           or label["top"] < frame["top"] - 1 or label["bottom"] > frame["bottom"] + 1]
    return {"share": frame["width"] / found["viewport"], "cut_labels": cut, "labels": len(found["labels"])}
