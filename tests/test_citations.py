"""Citations: parsing (tables), resolution and canonical forms on synthetic trees shaped like each
jurisdiction's, a hypothesis round trip, and the real corpus documents."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constitutions.canonical import canonical, canonical_citations
from constitutions.citations import Citation, Step, parse, split_reference
from constitutions.headings import titled
from constitutions.model import Document, Kind, Provision, int_to_roman, renumber_eids
from constitutions.resolve import resolve
from convene.errors import CitationError

K = Kind


def P(kind: Kind, num: str = "", *children: Provision, heading: str = "") -> Provision:
    """A provision factory; eIds are filled in by :func:`doc`."""
    return Provision(eid="", kind=kind, num=num, heading=heading, text=f"{kind.value} {num}".strip(),
                     children=tuple(children))


def doc(jurisdiction: str, *provisions: Provision) -> Document:
    return Document(id=jurisdiction, title="Synthetic", jurisdiction=jurisdiction,
                    provisions=renumber_eids(tuple(provisions)))


# ------------------------------------------------------------------ synthetic documents

US = doc("us",
         P(K.PREAMBLE),
         P(K.ARTICLE, "I", P(K.SECTION, "8", P(K.CLAUSE, "1"), P(K.CLAUSE, "3")),
           P(K.SECTION, "9", P(K.CLAUSE, "1"), P(K.CLAUSE, "2"))),
         P(K.ARTICLE, "II", P(K.SECTION, "1", *(P(K.CLAUSE, str(n)) for n in range(1, 6)))),
         P(K.DIVISION, "", P(K.AMENDMENT, "I"), P(K.AMENDMENT, "IV"),
           P(K.AMENDMENT, "XIV", P(K.SECTION, "1"), P(K.SECTION, "2")), heading="Amendments"))

CAL = doc("us-ca",
          P(K.ARTICLE, "I", P(K.SECTION, "1"), P(K.SECTION, "1.1"),
            P(K.SECTION, "7", P(K.SUBSECTION, "(a)", P(K.PARAGRAPH, "(1)")), P(K.SUBSECTION, "(b)"))),
          P(K.ARTICLE, "IV", P(K.SECTION, "19", P(K.SUBSECTION, "(e)"), P(K.SUBSECTION, "(f)"),
                               P(K.SUBSECTION, "(f)"))),
          P(K.ARTICLE, "IX", P(K.SECTION, "6"), P(K.SECTION, "6½")),
          P(K.ARTICLE, "XIII", P(K.SECTION, "1")),
          P(K.ARTICLE, "XIII A", P(K.SECTION, "1"), P(K.SECTION, "2")))

IRELAND = doc("ie",
              P(K.PREAMBLE),
              P(K.DIVISION, "", P(K.ARTICLE, "1"), heading="THE NATION"),
              P(K.DIVISION, "", heading="FUNDAMENTAL RIGHTS"),
              P(K.ARTICLE, "40", P(K.SECTION, "1."),
                P(K.SECTION, "6.", P(K.SUBSECTION, "1°", P(K.PARAGRAPH, "i.")), P(K.SUBSECTION, "2°"))),
              P(K.ARTICLE, "28A", P(K.SECTION, "1."), P(K.SECTION, "2.")))

GERMANY = doc("de",
              P(K.DIVISION, "I", P(K.ARTICLE, "1", P(K.CLAUSE, "(1)")), heading="Basic Rights"),
              P(K.DIVISION, "II", P(K.ARTICLE, "5", P(K.CLAUSE, "(1)"), P(K.CLAUSE, "(2)")),
                P(K.ARTICLE, "20", P(K.CLAUSE, "(1)")), P(K.ARTICLE, "20a")))

SOUTH_AFRICA = doc("za",
                   P(K.PREAMBLE),
                   P(K.CHAPTER, "1", P(K.SECTION, "1", P(K.PARAGRAPH, "(a)"))),
                   P(K.CHAPTER, "2",
                     P(K.SECTION, "9", P(K.SUBSECTION, "(1)"), P(K.SUBSECTION, "(3)")),
                     P(K.SECTION, "14", P(K.SUBSECTION, "(1)", P(K.PARAGRAPH, "(a)")))),
                   P(K.CHAPTER, "4", P(K.DIVISION, "", P(K.SECTION, "46", P(K.SUBSECTION, "(1)",
                                                                         P(K.PARAGRAPH, "(d)"))),
                                       heading="The National Assembly")),
                   P(K.SCHEDULE, "1", P(K.ITEM, "1"), P(K.ITEM, "2")),
                   P(K.SCHEDULE, "6", P(K.ITEM, "1"),
                     P(K.DIVISION, "", P(K.PARAGRAPH, "1"), heading="Annexure A")))

CANADA = doc("ca",
             P(K.DIVISION, "", P(K.PART, "I", P(K.SECTION, "1")), P(K.SECTION, "2"), P(K.SECTION, "91"),
               heading="Constitution Act 1867"),
             P(K.DIVISION, "", P(K.PART, "I", P(K.SECTION, "1"), P(K.SECTION, "2", P(K.PARAGRAPH, "(a)"))),
               P(K.PART, "II", P(K.SECTION, "35")), heading="Constitution Act 1982"))

NEPAL = doc("np",
            P(K.PREAMBLE),
            P(K.PART, "1", P(K.ARTICLE, "1", P(K.CLAUSE, "1"), P(K.CLAUSE, "2")), P(K.ARTICLE, "2")),
            P(K.PART, "3", P(K.ARTICLE, "16")))

INDIA = doc("in",
            P(K.PART, "III", P(K.ARTICLE, "21"), P(K.ARTICLE, "21A")),
            P(K.PART, "V", P(K.CHAPTER, "IV", P(K.ARTICLE, "142", P(K.CLAUSE, "(1)"), P(K.CLAUSE, "(2)")))),
            P(K.PART, "VI", P(K.CHAPTER, "IV", P(K.ARTICLE, "214"))),
            P(K.SCHEDULE, "1", P(K.PART, "I", P(K.ITEM, "1"))))

GENERIC = doc("atlantis", P(K.ARTICLE, "3", P(K.SECTION, "2", P(K.PARAGRAPH, "(b)"))))

DOCS = {"us": US, "us-ca": CAL, "ie": IRELAND, "de": GERMANY, "za": SOUTH_AFRICA, "ca": CANADA, "np": NEPAL,
        "in": INDIA, "atlantis": GENERIC}


# ------------------------------------------------------------------ parsing

PARSES = [
    ("Art. I, § 9, cl. 2", [(K.ARTICLE, "I"), (K.SECTION, "9"), (K.CLAUSE, "2")], None),
    ("U.S. Const. art. I, § 8, cl. 3", [(K.ARTICLE, "I"), (K.SECTION, "8"), (K.CLAUSE, "3")], None),
    ("Article II, Section 1, Clause 5", [(K.ARTICLE, "II"), (K.SECTION, "1"), (K.CLAUSE, "5")], None),
    ("Amend. XIV, § 1", [(K.AMENDMENT, "XIV"), (K.SECTION, "1")], None),
    ("Fourteenth Amendment, Section 1", [(K.AMENDMENT, "14"), (K.SECTION, "1")], None),
    ("Twenty-first Amendment", [(K.AMENDMENT, "21")], None),
    ("14th Amendment", [(K.AMENDMENT, "14")], None),
    ("Amendment IV", [(K.AMENDMENT, "IV")], None),
    ("Preamble", [(K.PREAMBLE, "")], None),
    ("U.S. Const. pmbl.", [(K.PREAMBLE, "")], None),
    ("Cal. Const. art. I, § 7(a)", [(K.ARTICLE, "I"), (K.SECTION, "7"), (None, "a")], None),
    ("art. XIII A, § 1", [(K.ARTICLE, "XIII A"), (K.SECTION, "1")], None),
    ("Article I Section 1", [(K.ARTICLE, "I"), (K.SECTION, "1")], None),
    ("Cal. Const., art. I, § 3, subd. (b)", [(K.ARTICLE, "I"), (K.SECTION, "3"), (K.SUBSECTION, "b")], None),
    ("Art. IX, § 6½", [(K.ARTICLE, "IX"), (K.SECTION, "6½")], None),
    ("Art. I, § 1.1", [(K.ARTICLE, "I"), (K.SECTION, "1.1")], None),
    ("Art. IV, § 19(f)[2]", [(K.ARTICLE, "IV"), (K.SECTION, "19"), (None, "f"), (None, "[2]")], None),
    ("Article 40.6.1", [(K.ARTICLE, "40"), (None, "6"), (None, "1")], None),
    ("Art. 40.6.1°", [(K.ARTICLE, "40"), (None, "6"), (None, "1°")], None),
    ("Art. 5(1)", [(K.ARTICLE, "5"), (None, "1")], None),
    ("Art. 20a", [(K.ARTICLE, "20a")], None),
    ("s 24", [(K.SECTION, "24")], None),
    ("s. 24", [(K.SECTION, "24")], None),
    ("§7", [(K.SECTION, "7")], None),
    ("section 9(3)", [(K.SECTION, "9"), (None, "3")], None),
    ("Section 46(1)(d)", [(K.SECTION, "46"), (None, "1"), (None, "d")], None),
    ("Art. 142(2)", [(K.ARTICLE, "142"), (None, "2")], None),
    ("Constitution Act, 1982, s. 2", [(K.SECTION, "2")], "Constitution Act, 1982"),
    ("Constitution Act 1867", [], "Constitution Act, 1867"),
    ("Chapter 2", [(K.CHAPTER, "2")], None),
    ("Part III", [(K.PART, "III")], None),
    ("Pt. IVA", [(K.PART, "IVA")], None),
    ("Schedule 1", [(K.SCHEDULE, "1")], None),
    ("Sch. 2, item 1", [(K.SCHEDULE, "2"), (K.ITEM, "1")], None),
    ("Art. 1, cl. 2", [(K.ARTICLE, "1"), (K.CLAUSE, "2")], None),
    ("Title 2", [(K.TITLE, "2")], None),
    ("40.6.1", [(None, "40"), (None, "6"), (None, "1")], None),
    # abbreviations without their period, when a space follows
    ("art. 1, sec 13", [(K.ARTICLE, "1"), (K.SECTION, "13")], None),
    ("Art. I, Sec. 8, cl 3", [(K.ARTICLE, "I"), (K.SECTION, "8"), (K.CLAUSE, "3")], None),
    ("amdt 4", [(K.AMENDMENT, "4")], None),
    ("ch 2", [(K.CHAPTER, "2")], None),
    ("sch 6, item 1", [(K.SCHEDULE, "6"), (K.ITEM, "1")], None),
    ("Art. 2 subsec 1", [(K.ARTICLE, "2"), (K.SUBSECTION, "1")], None),
    ("Art. 13 Abs. 1", [(K.ARTICLE, "13"), (K.PARAGRAPH, "1")], None),  # German "Absatz"
    ("Article 21 A", [(K.ARTICLE, "21 A")], None),  # a separate capital letter
    ("art 1 s 8", [(K.ARTICLE, "1"), (K.SECTION, "8")], None),  # not "1 s": a small letter is a kind word
    ("Charter, s. 8", [(K.SECTION, "8")], "Constitution Act, 1982"),
    ("Canadian Charter of Rights and Freedoms, s. 2(b)", [(K.SECTION, "2"), (None, "b")], "Constitution Act, 1982"),
    # the usual short form, and the British North America Acts' former names (renamed in 1982, same years)
    ("CA 1867, s. 24", [(K.SECTION, "24")], "Constitution Act, 1867"),
    ("C.A., 1982 s. 35", [(K.SECTION, "35")], "Constitution Act, 1982"),
    ("British North America Act, 1867, s. 91(24)", [(K.SECTION, "91"), (None, "24")], "Constitution Act, 1867"),
    ("BNA Act 1867, s. 133", [(K.SECTION, "133")], "Constitution Act, 1867"),
    ("Cable Act, 1867, s. 1", [(K.SECTION, "1")], "Cable Act, 1867"),  # other acts keep their names
]


@pytest.mark.parametrize(("text", "steps", "act"), PARSES, ids=[p[0] for p in PARSES])
def test_parse(text, steps, act):
    parsed = parse(text)
    assert parsed == Citation(steps=tuple(Step(k, n) for k, n in steps), act=act, text=text)


def test_parse_eid():
    parsed = parse("art_1__sec_8__cl_3")
    assert parsed.eid == "art_1__sec_8__cl_3"
    assert parsed.steps == (Step(K.ARTICLE, "1"), Step(K.SECTION, "8"), Step(K.CLAUSE, "3"))


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty"),
    ("   ", "empty"),
    ("§§ 1-3", "range"),
    ("ss. 4-6", "range"),
    ("Art. I, § 8, cl. 3-5", "range"),
    ("Arts. 1 to 3", "range"),
    ("Art. 5 et seq.", "range"),
    ("hello world", "cannot read"),
    ("Art. I; banana", "cannot read"),
    ("x" * 400, "too long"),
    ("Art. 21 a", "cannot read"),  # a small letter standing alone is no part of a number
    ("Charter, s. 35", "sections 1 to 34"),  # s. 35 is in Part II, not the Charter
    ("Charter", "sections 1 to 34"),
])
def test_parse_rejects(text, message):
    with pytest.raises(CitationError, match=message):
        parse(text)


@pytest.mark.parametrize(("ref", "expected"), [
    ("us-ca:Art. I, § 13", ("us-ca", "Art. I, § 13")),
    ("us:Preamble", ("us", "Preamble")),
    ("de: Art. 5(1)", ("de", "Art. 5(1)")),
    ("my-draft-2:Art. 3", ("my-draft-2", "Art. 3")),
    ("Art. I", (None, "Art. I")),
    ("Art. I, § 13", (None, "Art. I, § 13")),
    ("Constitution Act, 1982, s. 2", (None, "Constitution Act, 1982, s. 2")),
    ("XX:Art. I", (None, "XX:Art. I")),  # ids are lower case; capitals only for a known jurisdiction's code
    # a jurisdiction named as lawyers and drafters write it
    ("US:Art. I", ("us", "Art. I")),
    ("DE Art. 13", ("de", "Art. 13")),
    ("Germany Art. 13", ("de", "Art. 13")),
    ("Germany: art. 13(2)", ("de", "art. 13(2)")),
    ("germany:Art. 1", ("germany", "Art. 1")),  # lower case before a colon: a document id
    ("CA 1867, s. 91", (None, "CA 1867, s. 91")),  # the Constitution Act, 1867 (a bare code needs a kind word)
    ("South Africa s 14", ("za", "s 14")),
    ("Republic of South Africa, section 9(3)", ("za", "section 9(3)")),
    ("California Art. I, Sec. 13", ("us-ca", "Art. I, Sec. 13")),
    ("Cal. Const. art. I, § 13", ("us-ca", "art. I, § 13")),
    ("U.S. Const. amend. IV", ("us", "amend. IV")),
    ("US Amendment IV", ("us", "Amendment IV")),
    ("the United States Constitution, Amendment XIV, Section 1", ("us", "Amendment XIV, Section 1")),
    ("Japan's Article 9", ("jp", "Article 9")),
    ("Constitution of India, Art. 21", ("in", "Art. 21")),
    ("Ireland 40.3.1°", ("ie", "40.3.1°")),  # several levels, no kind word
    ("Canada, Charter s. 8", ("ca", "Charter s. 8")),
    # what is not a citation after the name stays as written (free text, or a heading)
    ("Kenya Defence Forces", (None, "Kenya Defence Forces")),
    ("Kenya shall have a President", (None, "Kenya shall have a President")),
    ("India 1950", (None, "India 1950")),  # one bare number: a year as often as an article
    ("in Art. 21", (None, "in Art. 21")),  # a code only in capitals ("in" is a word)
    ("Germanic Art. 3", (None, "Germanic Art. 3")),
])
def test_split_reference(ref, expected):
    assert split_reference(ref) == expected


def test_a_named_jurisdiction_resolves_in_its_own_document_only():
    assert resolve(GERMANY, "Germany Art. 1").provision.eid == "dvs_I__art_1"
    with pytest.raises(CitationError, match="cites document 'de', not 'us'"):
        resolve(US, "Germany Art. 1")


@pytest.mark.parametrize("value", range(1, 51))
def test_every_roman_article_number_up_to_l(value):
    roman = int_to_roman(value)
    document = doc("us", *(P(K.ARTICLE, int_to_roman(n)) for n in range(1, 51)))
    assert resolve(document, f"Art. {roman}").provision.num == roman
    assert resolve(document, f"Article {value}").provision.num == roman
    assert canonical(document, f"art_{value}") == f"Art. {roman}"


# ------------------------------------------------------------------ resolving (synthetic)

RESOLVES = [
    ("us", "Art. I, § 9, cl. 2", "art_1__sec_9__cl_2"),
    ("us", "U.S. Const. art. I, § 8, cl. 3", "art_1__sec_8__cl_3"),
    ("us", "Article II, Section 1, Clause 5", "art_2__sec_1__cl_5"),
    ("us", "Amend. XIV, § 1", "dvs_nn_4__amdt_14__sec_1"),
    ("us", "Fourteenth Amendment, Section 1", "dvs_nn_4__amdt_14__sec_1"),
    ("us", "Amendment IV", "dvs_nn_4__amdt_4"),
    ("us", "First Amendment", "dvs_nn_4__amdt_1"),
    ("us", "Preamble", "preamble"),
    ("us", "Article 1", "art_1"),
    ("us", "Art. I", "art_1"),  # not Amendment I
    ("us", "art_1__sec_8__cl_3", "art_1__sec_8__cl_3"),
    ("us-ca", "Cal. Const. art. I, § 7(a)", "art_1__sec_7__subsec_a"),
    ("us-ca", "Art. I, § 7(a)(1)", "art_1__sec_7__subsec_a__para_1"),
    ("us-ca", "Cal. Const., art. I, § 7, subd. (b)", "art_1__sec_7__subsec_b"),
    ("us-ca", "art. XIII A, § 1", "art_13A__sec_1"),
    ("us-ca", "Art. 13A, § 2", "art_13A__sec_2"),
    ("us-ca", "Art. XIII, § 1", "art_13__sec_1"),
    ("us-ca", "Art. I, § 1.1", "art_1__sec_1.1"),
    ("us-ca", "Art. IX, § 6½", "art_9__sec_6half"),
    ("us-ca", "Art. IV, § 19(f)", "art_4__sec_19__subsec_f"),
    ("us-ca", "Art. IV, § 19(f)[2]", "art_4__sec_19__subsec_f_2"),
    ("ie", "Article 40.6.1", "art_40__sec_6__subsec_1"),
    ("ie", "Art. 40.6.1°", "art_40__sec_6__subsec_1"),
    ("ie", "Art. 40.6.1°(i)", "art_40__sec_6__subsec_1__para_i"),
    ("ie", "Article 40, Section 6", "art_40__sec_6"),
    ("ie", "Art. 28A.2", "art_28A__sec_2"),
    ("ie", "Art. 1", "dvs_nn_2__art_1"),
    ("de", "Art. 5(1)", "dvs_II__art_5__cl_1"),
    ("de", "Art. 20a", "dvs_II__art_20a"),
    ("de", "Art. 20", "dvs_II__art_20"),
    ("za", "s 24", None),  # absent: see errors
    ("za", "s 14(1)(a)", "chp_2__sec_14__subsec_1__para_a"),
    ("za", "s. 9(3)", "chp_2__sec_9__subsec_3"),
    ("za", "section 9(3)", "chp_2__sec_9__subsec_3"),
    ("za", "Section 46(1)(d)", "chp_4__dvs_nn_1__sec_46__subsec_1__para_d"),
    ("za", "Chapter 2", "chp_2"),
    ("za", "Ch. 2", "chp_2"),
    ("za", "Schedule 1", "sched_1"),
    ("za", "Sch. 6, item 1", "sched_6__item_1"),
    ("ca", "Constitution Act, 1982, s. 2", "dvs_nn_2__part_1__sec_2"),
    ("ca", "Constitution Act, 1982, s. 2(a)", "dvs_nn_2__part_1__sec_2__para_a"),
    ("ca", "Constitution Act 1867, s. 91", "dvs_nn_1__sec_91"),
    ("ca", "CA 1867, s. 91", "dvs_nn_1__sec_91"),
    ("ca", "BNA Act, 1867, s. 91", "dvs_nn_1__sec_91"),
    ("ca", "s. 35", "dvs_nn_2__part_2__sec_35"),
    ("ca", "Constitution Act, 1982", "dvs_nn_2"),
    ("np", "Art. 1, cl. 2", "part_1__art_1__cl_2"),
    ("np", "Art. 1(2)", "part_1__art_1__cl_2"),
    ("np", "Part 3", "part_3"),
    ("in", "Art. 142(2)", "part_5__chp_4__art_142__cl_2"),
    ("in", "Article 21A", "part_3__art_21A"),
    ("in", "Article 21 A", "part_3__art_21A"),
    ("in", "Art. 21-A", "part_3__art_21A"),
    ("ca", "Charter, s. 2(a)", "dvs_nn_2__part_1__sec_2__para_a"),
    ("us-ca", "art. 1, sec 7(b)", "art_1__sec_7__subsec_b"),
    ("de", "Art. 5 Abs. 2", "dvs_II__art_5__cl_2"),
    ("in", "Part III", "part_3"),
    ("in", "Part 3", "part_3"),
    ("atlantis", "Art. 3, Sec. 2(b)", "art_3__sec_2__para_b"),
    ("us-ca", "us-ca:Art. I, § 1.1", "art_1__sec_1.1"),
    # a level the text lacks under that parent: its numbered subdivision stands for it (Swiss "para.")
    ("us-ca", "Art. I, § 7, para. (b)", "art_1__sec_7__subsec_b"),
    ("us-ca", "Art. I, § 7(a), cl. 1", "art_1__sec_7__subsec_a__para_1"),
]


@pytest.mark.parametrize(("key", "citation", "eid"), [r for r in RESOLVES if r[2]],
                         ids=[f"{r[0]}:{r[1]}" for r in RESOLVES if r[2]])
def test_resolve(key, citation, eid):
    located = resolve(DOCS[key], citation)
    assert located.provision.eid == eid
    assert DOCS[key].locate(eid).ancestors == located.ancestors


@pytest.mark.parametrize(("key", "citation", "message"), [
    ("us-ca", "Art. I, § 99", "no Section 99 in Article I of us-ca"),
    ("us", "Art. IX", "no Article IX in us"),
    ("us", "§ 8", "no Section 8 in us"),  # sections sit inside articles
    ("us", "Amend. II", "no Amendment II in us"),
    ("us", "Art. I, § 8, cl. 7", "no Clause 7 in Section 8 of Article I of us"),
    ("us-ca", "Art. I, § 7, para. (c)", "no Paragraph"),
    ("us-ca", "Art. I, para. 7", "no Paragraph 7 in Article I of us-ca"),  # a section is no subdivision
    ("za", "s 24", "no Section 24 in za"),
    ("ca", "s. 2", "ambiguous"),
    ("ca", "Constitution Act, 1999, s. 2", "no Constitution Act, 1999 in ca"),
    ("in", "Ch. IV", "ambiguous"),
    ("us", "art_99", "no Article 99 in us"),
    ("us", "§§ 8-9", "range"),
    ("us", "us-ca:Art. I", "cites document 'us-ca', not 'us'"),
])
def test_resolve_errors(key, citation, message):
    with pytest.raises(CitationError, match=message):
        resolve(DOCS[key], citation)


CANONICAL = [
    ("us", "art_1__sec_8__cl_3", "Art. I, § 8, cl. 3"),
    ("us", "dvs_nn_4__amdt_14__sec_1", "Amend. XIV, § 1"),
    ("us", "dvs_nn_4__amdt_14", "Amend. XIV"),
    ("us", "preamble", "Preamble"),
    ("us", "dvs_nn_4", "“Amendments”"),  # an unnumbered container is cited by its heading
    ("ie", "dvs_nn_2", "“The Nation”"),  # printed in capitals: title case
    ("us-ca", "art_1__sec_7__subsec_a__para_1", "Art. I, § 7(a)(1)"),
    ("us-ca", "art_13A__sec_1", "Art. XIII A, § 1"),
    ("us-ca", "art_9__sec_6half", "Art. IX, § 6½"),
    ("us-ca", "art_4__sec_19__subsec_f", "Art. IV, § 19(f)"),
    ("us-ca", "art_4__sec_19__subsec_f_2", "Art. IV, § 19(f)[2]"),
    ("ie", "art_40__sec_6__subsec_1", "Art. 40.6.1°"),
    ("ie", "art_40__sec_6", "Art. 40.6"),
    ("ie", "art_40__sec_6__subsec_1__para_i", "Art. 40.6.1°(i)"),
    ("de", "dvs_II__art_5__cl_1", "Art. 5(1)"),
    ("de", "dvs_II__art_20a", "Art. 20a"),
    ("de", "dvs_II", "Div. II"),
    ("za", "chp_2__sec_14__subsec_1__para_a", "s 14(1)(a)"),
    ("za", "chp_2", "Ch. 2"),
    ("za", "sched_1", "Sch. 1"),
    ("za", "sched_1__item_2", "Sch. 1, item 2"),
    ("ca", "dvs_nn_2__part_1__sec_2", "Constitution Act, 1982, s. 2"),
    ("ca", "dvs_nn_1__sec_2", "Constitution Act, 1867, s. 2"),
    ("ca", "dvs_nn_2__part_1", "Constitution Act, 1982, Pt. I"),
    ("ca", "dvs_nn_2", "Constitution Act, 1982"),
    ("np", "part_1__art_1__cl_2", "Art. 1(2)"),
    ("np", "part_3", "Pt. 3"),
    ("in", "part_5__chp_4__art_142__cl_2", "Art. 142(2)"),
    ("in", "part_5__chp_4", "Pt. V, Ch. IV"),  # chapter numbers repeat across parts
    ("in", "sched_1__part_1__item_1", "Sch. 1, Pt. I, item 1"),
    ("atlantis", "art_3__sec_2__para_b", "Art. 3, Sec. 2(b)"),
]


@pytest.mark.parametrize(("key", "eid", "expected"), CANONICAL, ids=[f"{c[0]}:{c[1]}" for c in CANONICAL])
def test_canonical(key, eid, expected):
    assert canonical(DOCS[key], eid) == expected
    assert resolve(DOCS[key], expected).provision.eid == eid


def test_canonical_unknown_eid():
    with pytest.raises(CitationError, match="no provision 'art_99'"):
        canonical(US, "art_99")


@pytest.mark.parametrize("key", sorted(DOCS))
def test_every_synthetic_provision_round_trips(key):
    assert_round_trip(DOCS[key])


def assert_round_trip(document: Document) -> None:
    citations = canonical_citations(document)
    assert set(citations) == {loc.provision.eid for loc in document.walk()}
    assert len(set(citations.values())) == len(citations), "canonical citations must be unique"
    wrong = {}
    for eid, citation in citations.items():
        try:
            got = resolve(document, citation).provision.eid
        except CitationError as exc:
            got = str(exc)
        if got != eid:
            wrong[eid] = (citation, got)
    assert wrong == {}


# ------------------------------------------------------------------ hypothesis: generated trees

ROMAN_KINDS = (K.ARTICLE, K.AMENDMENT)
SUB_STYLES = ("arabic", "lower", "paren-arabic", "paren-lower")


def _sub_num(style: str, n: int) -> str:
    letter = chr(96 + n)
    return {"arabic": str(n), "lower": letter, "paren-arabic": f"({n})", "paren-lower": f"({letter})"}[style]


@st.composite
def sublevels(draw, depth: int) -> tuple[Provision, ...]:
    if depth == 0:
        return ()
    count = draw(st.integers(0, 3))
    style = draw(st.sampled_from(SUB_STYLES))
    kind = draw(st.sampled_from((K.SUBSECTION, K.PARAGRAPH, K.CLAUSE, K.SUBPARAGRAPH)))
    nums = [_sub_num(style, n) for n in range(1, count + 1)]
    if nums and draw(st.booleans()):
        nums.append(nums[-1])  # a repeated number, as in Cal. Const. art. IV, sec. 19
    return tuple(P(kind, num, *draw(sublevels(depth - 1))) for num in nums)


@st.composite
def documents(draw) -> Document:
    jurisdiction = draw(st.sampled_from(["us", "us-ca", "ie", "de", "za", "ca", "np", "in", "xx"]))
    unit = draw(st.sampled_from((K.ARTICLE, K.SECTION)))
    roman = unit in ROMAN_KINDS and draw(st.booleans())
    numbers = iter(range(1, 100))
    groups = []
    for g in range(1, draw(st.integers(1, 3)) + 1):
        units = []
        for _ in range(draw(st.integers(0, 3))):
            n = next(numbers)
            num = int_to_roman(n) if roman else str(n) + draw(st.sampled_from(["", "", "a"]))
            units.append(P(unit, num, *draw(sublevels(3))))
        grouping = draw(st.sampled_from((K.CHAPTER, K.PART, K.DIVISION, None)))
        if grouping is None:
            groups.extend(units)
        else:
            # unnumbered groupings are cited by heading when it is unique ("GENERAL" == "General": not unique)
            heading = draw(st.sampled_from(["", "GENERAL", "General", "THE COURTS:", "Dáil", "Article 1", "Preamble"]))
            groups.append(P(grouping, draw(st.sampled_from([str(g), "", int_to_roman(g)])), *units, heading=heading))
    if draw(st.booleans()):
        groups.insert(0, P(K.PREAMBLE))
    if draw(st.booleans()):
        groups.append(P(K.SCHEDULE, "1", *(P(K.ITEM, str(n), *draw(sublevels(2))) for n in range(1, 3))))
    return doc(jurisdiction, *groups)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_round_trip_on_generated_trees(document):
    assert_round_trip(document)


# ------------------------------------------------------------------ the real corpus

# (file, citation, the numbers on the path to the provision, outermost first, containers left out)
CORPUS = [
    ("us/HMAN-117-constitution.xml", "Art. I, § 9, cl. 2", ["I", "9", "2"]),
    ("us/HMAN-117-constitution.xml", "U.S. Const. art. I, § 8, cl. 3", ["I", "8", "3"]),
    ("us/HMAN-117-constitution.xml", "Article II, Section 1, Clause 5", ["II", "1", "5"]),
    ("us/HMAN-117-constitution.xml", "Amend. XIV, § 1", ["XIV", "1"]),
    ("us/HMAN-117-constitution.xml", "Fourteenth Amendment, Section 1", ["XIV", "1"]),
    ("us/HMAN-117-constitution.xml", "Amendment IV", ["IV"]),
    ("us/HMAN-117-constitution.xml", "First Amendment", ["I"]),
    ("us/HMAN-117-constitution.xml", "Preamble", [""]),
    ("us/constitution.xml", "Art. I, § 8", ["I", "8"]),
    ("us-ca/CA Code - California Constitution.txt", "Cal. Const. art. I, § 7(a)", ["I", "7", "a"]),
    ("us-ca/CA Code - California Constitution.txt", "art. XIII A, § 1", ["XIII A", "1"]),
    ("us-ca/CA Code - California Constitution.txt", "Art. IX, § 6½", ["IX", "6½"]),
    ("us-ca/CA Code - California Constitution.txt", "Art. I, § 3(b)(4)", ["I", "3", "b", "4"]),
    ("us-ca/nolta-california-constitution/README.md", "Preamble", [""]),
    ("us-ca/nolta-california-constitution/README.md", "Art. 13A, § 1", ["XIII A", "1"]),
    ("ireland/Ireland_2012.txt", "Article 40.6.1", ["40", "6", "1"]),
    ("ireland/Ireland_2012.txt", "Art. 40.6.1°", ["40", "6", "1"]),
    ("germany/German_Federal_Republic_2012.txt", "Art. 5(1)", ["5", "1"]),
    ("germany/German_Federal_Republic_2012.txt", "Art. 20a", ["20a"]),
    ("south-africa/constitution.json", "s 24", ["24"]),
    ("south-africa/constitution.json", "s. 24", ["24"]),
    ("south-africa/constitution.json", "section 9(3)", ["9", "3"]),
    ("south-africa/constitution.json", "Section 46(1)(d)", ["46", "1", "d"]),
    ("south-africa/constitution.json", "s 12(1)(a)", ["12", "1", "a"]),
    ("south-africa/constitution.json", "Chapter 2", ["2"]),
    ("south-africa/constitution.json", "Schedule 1", ["1"]),
    ("south-africa/South_Africa_2012.txt", "section 9(3)", ["9", "3"]),
    ("india/India_2012.txt", "Art. 142(2)", ["142", "2"]),
    ("india/India_2012.txt", "Part III", ["III"]),
    ("india/indian-law-git", "Art. 142(2)", ["142", "2"]),
    ("kenya/Kenya_2010.txt", "Art. 2(1)", ["2", "1"]),
    ("kenya/Kenya_2010.txt", "Chapter 2", ["2"]),
    ("canada/Canada_2011.txt", "Constitution Act, 1982, s. 2", ["2"]),
    ("canada/Canada_2011.txt", "Constitution Act 1867, s. 91", ["91"]),
    ("nepal", "Art. 1, cl. 2", ["1", "2"]),
    ("japan/Japan_1946.txt", "Art. 9", ["9"]),
    ("japan/Japan_1946.txt", "Article 9, paragraph 2", ["9", "2"]),  # numbered as Japanese citation numbers it
    ("japan/Japan_1946.txt", "Art. 9(2)", ["9", "2"]),
    ("japan/Japan_1946.txt", "Art. 79, para. 5", ["79", "5"]),
    ("japan/Japan_1946.txt", "Chapter II", ["II"]),
    ("switzerland/Switzerland_2002.txt", "Art. 5(1)", ["5", "1"]),
]


def _path(located) -> list[str]:
    """Printed numbers down to the provision, decoration off, grouping containers left out."""
    chain = [*located.ancestors, located.provision]
    groups = (K.PART, K.CHAPTER, K.TITLE, K.DIVISION)
    out = [p.num.strip().strip("()").rstrip(".°") for p in chain
           if (p.kind not in groups or p is located.provision) and (p.num or p.kind is K.PREAMBLE)]
    return out


@pytest.mark.parametrize(("name", "citation", "path"), CORPUS, ids=[f"{c[0].split('/')[0]}:{c[1]}" for c in CORPUS])
def test_corpus_citations(corpus_doc, name, citation, path):
    document = corpus_doc(name)
    located = resolve(document, citation)
    assert _path(located) == path
    assert resolve(document, canonical(document, located.provision.eid)).provision.eid == located.provision.eid


def test_corpus_canada_needs_the_act(corpus_doc):
    with pytest.raises(CitationError, match="ambiguous"):
        resolve(corpus_doc("canada/Canada_2011.txt"), "s. 2")


ALL_CORPUS = sorted({c[0] for c in CORPUS} | {"us/usconstitution.full.json"})


@pytest.mark.parametrize("name", ALL_CORPUS)
def test_corpus_every_provision_round_trips(corpus_doc, name):
    assert_round_trip(corpus_doc(name))


@pytest.mark.parametrize(("citation", "heading", "expected"), [
    ("Art. 140", "Mandatory Referendum", "Art. 140 — Mandatory Referendum"),
    ("“The Referendum”", "THE REFERENDUM", "“The Referendum”"),  # cited by its heading: not twice
    ("“Dáil Éireann”", "DÁIL  ÉIREANN", "“Dáil Éireann”"),
    ("Art. 12", "", "Art. 12"),
    ("Art. 1", "A", "Art. 1 — A"),  # a heading that happens to be part of the citation is still shown
    ("", "The President", "The President"),
])
def test_titled(citation, heading, expected):
    assert titled(citation, heading) == expected
