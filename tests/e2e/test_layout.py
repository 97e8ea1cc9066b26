"""Every page a role reaches from its start page through the navigation fits a phone (390×844)
and a desktop (1280×800): the document does not scroll sideways, no table or other scrolling
region inside it is wider than its box, the page's first action button lies inside the viewport,
and axe-core finds nothing serious or critical."""

import pytest

from .conftest import SCREENSHOT_DIR, check_a11y, login

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
ROLES = [
    ("anonymous", None),
    ("trainee", "azubi@demo.example"),
    ("business", "betrieb@demo.example"),
    ("instructor", "ausbilder@demo.example"),
    ("coordinator", "koordination@demo.example"),
]
# Pages that are no layout of ours (Django's admin) or only a download.
SKIP_PREFIXES = ("/admin/", "/api/")
MAX_PAGES = 40
DOWNLOADS = (".pdf", ".csv", ".xlsx", ".ics", ".json", "/pdf/")

MEASURE = """() => {
  const regions = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX);
    if (scrolls && el.scrollWidth > el.clientWidth + 1) {
      regions.push(`${el.tagName}.${el.className} ${el.scrollWidth}>${el.clientWidth}`);
    }
  }
  for (const table of document.querySelectorAll('main table')) {
    const box = table.parentElement.getBoundingClientRect();
    const own = table.getBoundingClientRect();
    if (own.width > 0 && own.right > box.right + 1) {
      regions.push(`table in ${table.parentElement.className} ends at ${own.right}>${box.right}`);
    }
  }
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const action = [...document.querySelectorAll(
    'main button, main input[type=submit], main a.kern-btn--primary')].find(visible);
  let actionBox = null;
  if (action) {
    const r = action.getBoundingClientRect();
    actionBox = {left: r.left, right: r.right, text: action.textContent.trim().slice(0, 60)};
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
          regions, action: actionBox};
}"""


def nav_paths(page, selector: str = "#site-nav a[href], main nav a[href]") -> list[str]:
    """The pages the navigation offers (header navigation and any section navigation in main)."""
    hrefs = page.eval_on_selector_all(
        selector,
        "links => links.map(a => new URL(a.href)).filter(u => u.origin === location.origin)"
        ".map(u => u.pathname + u.search)",
    )
    seen = []
    for href in hrefs:
        if href.startswith(SKIP_PREFIXES) or href.endswith(DOWNLOADS):
            continue
        if href not in seen:
            seen.append(href)
    return seen


def assert_fits(page, label: str) -> None:
    page.wait_for_load_state("networkidle")
    found = page.evaluate(MEASURE)
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{label}: the document scrolls sideways ({found['scrollWidth']} > {found['innerWidth']})"
    )
    assert not found["regions"], f"{label}: regions wider than their box: {found['regions']}"
    action = found["action"]
    if action:
        assert action["left"] >= 0 and action["right"] <= found["innerWidth"], (
            f"{label}: the first action '{action['text']}' lies outside the viewport: {action}"
        )


@pytest.mark.parametrize("role,email", ROLES, ids=[name for name, _ in ROLES])
def test_pages_of_each_role_fit_phone_and_desktop(new_page, role, email):
    checked = 0
    for viewport, size in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = new_page(viewport=viewport)
        if email:
            login(page, email)  # lands on the role's own start page
        else:
            page.goto("/")
        start = page.url
        paths = [start, *nav_paths(page)]
        assert len(paths) > 1, f"{role}: no navigation found on {start}"
        for path in paths:
            page.goto(path)
            label = f"{role}-{size} {path}"
            assert_fits(page, label)
            # One level further: a section's own navigation and the first entry of a list (a
            # run, an equipment item), so detail pages are measured too.
            for more in [
                *nav_paths(page, "main nav a[href]"),
                *nav_paths(page, "main table a[href]")[:1],
            ]:
                if more not in paths and len(paths) < MAX_PAGES:
                    paths.append(more)
            if size == "phone":
                slug = path.strip("/").replace("/", "-").replace("?", "-") or "start"
                check_a11y(page, f"layout-{role}-{slug}")
                # What the phone shows, for people to look at (CI keeps ci-artifacts).
                shot = SCREENSHOT_DIR / f"phone-{role}-{slug}.png"
                page.screenshot(path=str(shot), full_page=True)
            checked += 1
    assert checked >= 4


def test_phone_menu_opens_closes_and_works_by_keyboard(new_page):
    page = new_page(viewport=PHONE)
    login(page, "koordination@demo.example")
    page.goto("/staff/runs/")
    nav = page.locator("#site-nav")
    menu = page.get_by_role("button", name="Menü")
    assert menu.is_visible() and not nav.is_visible(), "the navigation folds behind the button"
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    link = nav.get_by_role("link", name="Geräte")
    assert link.is_visible()
    link.focus()
    page.keyboard.press("Escape")
    assert not nav.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('site-menu-toggle')")
    assert menu.get_attribute("aria-expanded") == "false"
    page.set_viewport_size(DESKTOP)
    assert not menu.is_visible() and nav.is_visible(), "a desktop shows the navigation, no button"


def test_filters_fold_on_a_phone_and_stay_open_on_a_desktop(new_page):
    page = new_page(viewport=PHONE)
    page.goto("/")
    search = page.locator("#id_q")
    assert not search.is_visible()
    page.get_by_text("Filter anzeigen").click()
    assert search.is_visible()
    desktop = new_page(viewport=DESKTOP)
    desktop.goto("/")
    assert desktop.locator("#id_q").is_visible()
    assert not desktop.get_by_text("Filter anzeigen").is_visible()
