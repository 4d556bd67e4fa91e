"""End to end: the whole corpus imported by the real command line, ``streamlit run app.py`` on
127.0.0.1, and Debian's Chromium driven by Playwright.  Every wait is on a visible result."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.e2e

LONG = 120_000  # ms: the first comparison builds the corpus index on a cold server


def _expect():
    from playwright.sync_api import expect

    return expect


def _goto(page, url: str, heading: str, query: str = "") -> None:
    """Open the page by its own address (a deep link, as a bookmark or a shared link does: the first test
    does it on a server nobody has visited yet) and check that it shows, with no "Page not found" dialog."""
    page.goto(f"{url}/{heading.lower()}{query}")
    expect = _expect()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=LONG)
    expect(page.get_by_text("Page not found")).to_have_count(0)


def _nav(page, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=heading).click()
    _expect()(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=LONG)


def _row(page, citation: str):
    return page.locator("[class*='st-key-cmprow-']").filter(
        has=page.get_by_text(citation, exact=True)).last


def _jump(page, citation: str) -> None:
    box = page.get_by_label(re.compile("^Jump to a citation"))
    box.fill(citation)
    box.press("Enter")


def test_the_library_answers_at_its_own_address_and_at_the_root(studio_url, new_context):
    expect = _expect()
    page = new_context("library").new_page()
    _goto(page, studio_url, "Library")
    expect(page).to_have_url(re.compile(r"/library$"))
    page.goto(studio_url)  # the root opens the Library under its own name
    expect(page).to_have_url(re.compile(r"/library$"), timeout=LONG)
    expect(page.get_by_role("heading", name="Library", exact=True)).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_compare_us_with_california_shows_amendment_iv_beside_art_i_sec_13(studio_url, new_context, shots):
    expect = _expect()
    page = new_context("compare").new_page()
    _goto(page, studio_url, "Compare")
    expect(page.locator(".cmp-text").first).to_be_visible(timeout=LONG)
    _jump(page, "Amendment IV")
    row = _row(page, "us: Amend. IV")
    expect(row).to_be_visible(timeout=LONG)
    expect(row.get_by_text("us-ca: Art. I, § 13")).to_be_visible()
    expect(row.locator(".cmp-text del").first).to_be_visible()
    expect(row.locator(".cmp-text ins").first).to_be_visible()
    expect(row.locator(".cmp-text[data-cite='us-ca']")).to_contain_text("unreasonable")
    # what the counterpart shares with the Amendment, and the candidates ranked after it
    expect(row.get_by_text(re.compile(r"shared words: .*\bsearch\b"))).to_be_visible()
    expect(row.get_by_text(re.compile(r"next candidates: Art\. I, § \d+"))).to_be_visible()
    row.scroll_into_view_if_needed()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    page.screenshot(path=str(shots / "compare-amendment-iv.png"))
    # a counterpart section whose first subdivision carries the match names it
    _jump(page, "Amend. XIV, § 1")
    row = _row(page, "us: Amend. XIV, § 1")
    expect(row).to_be_visible(timeout=LONG)
    expect(row.get_by_text("us-ca: Art. I, § 7")).to_be_visible()
    expect(row.get_by_text("where the match lies: Art. I, § 7(a)")).to_be_visible()
    counterpart = row.locator(".cmp-text[data-cite='us-ca']")
    expect(counterpart).to_contain_text("granted on the same terms to all citizens")  # 7(b): the whole section
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "compare-focus.png"))
    # asked to, the page shows and compares the clause where the match lies, alone
    page.get_by_text("Show only where a match lies").click()
    row = _row(page, "us: Amend. XIV, § 1")
    expect(row.get_by_text("where the match lies: Art. I, § 7(a) (shown below)")).to_be_visible(timeout=LONG)
    counterpart = row.locator(".cmp-text[data-cite='us-ca']")
    expect(counterpart).to_contain_text("without due process of law")
    expect(counterpart).not_to_contain_text("granted on the same terms to all citizens")
    row.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "compare-focus-only.png"))


def test_build_a_draft_reload_it_and_download_docx(studio_url, new_context, shots, tmp_path):
    from docx import Document as WordDocument

    expect = _expect()
    page = new_context("draft").new_page()
    _goto(page, studio_url, "Draft")
    page.get_by_label("Title of a new draft").fill("E2E charter")
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_role("heading", name="E2E charter")).to_be_visible()
    expect(page).to_have_url(re.compile(r"draft=d"))
    draft_id = re.search(r"draft=(\w+)", page.url).group(1)

    _nav(page, "Compare")
    expect(page.locator(".cmp-text").first).to_be_visible(timeout=LONG)
    _jump(page, "Amendment IV")
    row = _row(page, "us: Amend. IV")
    expect(row.get_by_text("us-ca: Art. I, § 13")).to_be_visible(timeout=LONG)
    row.get_by_role("button", name="Adopt into draft").first.click()  # us: Amend. IV
    expect(page.get_by_text(re.compile(r"Adopted us:Amend\. IV into"))).to_be_visible()
    _row(page, "us: Amend. IV").get_by_role("button", name="Adopt into draft").last.click()  # us-ca
    expect(page.get_by_text(re.compile(r"Adopted us-ca:Art\. I, § 13 into"))).to_be_visible()
    _jump(page, "Amendment I")
    row = _row(page, "us: Amend. I")
    expect(row).to_be_visible(timeout=LONG)
    row.get_by_role("button", name="Adopt into draft").first.click()
    expect(page.get_by_text(re.compile(r"Adopted us:Amend\. I into"))).to_be_visible()

    _nav(page, "Draft")
    lines = page.locator(".draft-tree .line")
    expect(lines).to_have_count(3, timeout=LONG)
    expect(page).to_have_url(re.compile(f"draft={draft_id}"))
    page.reload()
    expect(page.get_by_role("heading", name="E2E charter")).to_be_visible(timeout=LONG)
    expect(lines).to_have_count(3)
    expect(page.locator(".draft-tree")).to_contain_text("from us-ca:Art. I, § 13")
    page.screenshot(path=str(shots / "draft-after-reload.png"))

    _nav(page, "Export")
    button = page.get_by_role("button", name="Word (DOCX)")
    expect(button).to_be_visible(timeout=LONG)
    with page.expect_download() as info:
        button.click()
    target = tmp_path / "charter.docx"
    info.value.save_as(target)
    text = "\n".join(p.text for p in WordDocument(str(target)).paragraphs)
    assert "E2E charter" in text
    assert "unreasonable searches and seizures" in text  # US Amendment IV
    assert "unreasonable seizures and searches" in text  # California Art. I, § 13
    assert "Congress shall make no law" in text  # US Amendment I
    page.screenshot(path=str(shots / "export.png"))


def test_two_browsers_editing_one_provision_the_second_gets_a_conflict(studio_url, studio_home, new_context,
                                                                       shots):
    from drafting.ops import Write
    from drafting.store import DraftStore

    expect = _expect()
    drafts = DraftStore(studio_home / "convene.sqlite3")
    draft = drafts.create("Shared draft", author="setup")
    draft = drafts.apply(draft.id, Write(heading="Assembly", text="The first words."), base=0, author="setup")
    pid = next(iter(draft.nodes))
    pages = []
    for name in ("alice", "bob"):
        page = new_context(name).new_page()
        _goto(page, studio_url, "Draft", f"?draft={draft.id}")
        expect(page.get_by_role("textbox", name="Text", exact=True).first).to_have_value("The first words.")
        pages.append(page)
    alice, bob = pages

    box = alice.get_by_role("textbox", name="Text", exact=True).first
    box.fill("Alice wrote this.")
    alice.get_by_role("button", name="Save", exact=True).click()
    expect(alice.get_by_text(re.compile(r"^Saved \(revision 2\)"))).to_be_visible()

    box = bob.get_by_role("textbox", name="Text", exact=True).first
    box.fill("Bob wrote that.")
    bob.get_by_role("button", name="Save", exact=True).click()
    expect(bob.get_by_role("heading", name="Conflict: your change was not saved")).to_be_visible()
    expect(bob.locator(".theirs")).to_have_text("Alice wrote this.")
    expect(bob.get_by_test_id("stCode").get_by_text("Bob wrote that.").first).to_be_visible()
    bob.screenshot(path=str(shots / "conflict.png"))

    assert drafts.get(draft.id).nodes[pid].text == "Alice wrote this."
    assert [r.change.get("text") for r in drafts.rejected(draft.id)] == ["Bob wrote that."]


def test_topic_explorer_and_calculator_write_into_the_open_draft(studio_url, studio_home, new_context, shots):
    """Issue 6 in a real browser: a reform idea's topics found across the corpus and one provision adopted,
    then the "one senator per 2 million people, at least one per state" rule computed, charted against
    today's House and Senate, and written into the same draft."""
    from design.apportion import seats_per_population
    from design.census import load_census
    from drafting.store import DraftStore

    expect = _expect()
    drafts = DraftStore(studio_home / "convene.sqlite3")
    draft = drafts.create("Design tools draft", author="setup")
    census = load_census(2020)
    expected = seats_per_population(census.populations, 2_000_000, min_seats=1)

    page = new_context("design").new_page()
    _goto(page, studio_url, "Topics", f"?draft={draft.id}")
    page.get_by_label("Start from a reform idea").click()
    page.get_by_role("option", name="Environmental protection").click()
    expect(page.get_by_text(re.compile(r"^Addressed by \d+ of \d+ constitutions"))).to_be_visible(timeout=LONG)
    expect(page.get_by_text(re.compile(r"Basic Law for the Federal Republic of Germany \(de\)"))).to_be_visible()
    expander = page.get_by_test_id("stExpander").filter(has_text="Art. 20a — Protection of the natural").first
    expander.get_by_text("Art. 20a — Protection of the natural").click()
    expect(expander).to_contain_text("natural foundations of life")
    page.screenshot(path=str(shots / "topics-environment.png"))
    expander.get_by_role("button", name="Adopt into draft").click()
    expect(page.get_by_text(re.compile(r"Adopted de:Art\. 20a into “Design tools draft”"))).to_be_visible()

    _nav(page, "Calculator")
    box = page.get_by_label("People per seat", exact=True)
    box.fill("2000000")
    box.press("Enter")
    expect(page.get_by_role("heading", name=f"Senate: {expected.total} seats")).to_be_visible(timeout=LONG)
    expect(page.get_by_text("Seats per state, most populous first (2020 census).")).to_be_visible()
    page.screenshot(path=str(shots / "calculator-senate-2m.png"))
    page.get_by_role("button", name="Add as a new provision of the open draft").click()
    added = "Added “Apportionment of the Senate” to “Design tools draft” (revision 2)."
    expect(page.get_by_text(added)).to_be_visible()

    saved = drafts.get(draft.id)
    rule = [n for n in saved.nodes.values() if n.heading == "Apportionment of the Senate"]
    assert len(rule) == 1 and "2,000,000" in rule[0].text and rule[0].rationale.startswith("Calculator")
    assert [n.origin.citation for n in saved.nodes.values() if n.origin.document == "de"] == ["de:Art. 20a"]
    _nav(page, "Draft")
    expect(page.locator(".draft-tree")).to_contain_text("Apportionment of the Senate")
    expect(page.locator(".draft-tree")).to_contain_text("from de:Art. 20a")
