"""Calculator: apportion a chamber among the states, compare it with today's House and Senate,
and write the chosen rule into the open draft."""

import streamlit as st

from constitutions.model import Kind
from convene.errors import ConveneError
from design.apportion import METHODS, apportion, seats_per_population
from design.census import load_census
from drafting.ops import Write
from studio import state
from studio.views import CHART_CSS, bars_html, rule_text

st.header("Calculator")
state.flash()

census = load_census(2020)
st.caption(f"Populations: {census.source}")
chamber = st.text_input("Chamber", value="Senate")
mode = st.radio("Rule", ["One seat per so many people", "A fixed number of seats"], horizontal=True)
c1, c2, c3 = st.columns(3)
min_seats = c2.number_input("At least, per state", 0, 100, 1)
max_raw = c3.number_input("At most, per state (0: no maximum)", 0, 1000, 0)
max_seats = int(max_raw) or None
ROUNDING_LABELS = {"round": "To the nearest whole number", "floor": "Down", "ceil": "Up"}
labels = {name: (m.title if m is not None else "Hamilton / largest remainder") for name, m in METHODS.items()}
if mode.startswith("One seat"):
    per = c1.number_input("People per seat", 10_000, 100_000_000, 8_000_000, step=500_000)
    rounding = st.radio("Round each state's population ÷ people per seat", list(ROUNDING_LABELS),
                        format_func=ROUNDING_LABELS.get, horizontal=True)
    seats, method = None, ""
else:
    per, rounding = None, "round"
    seats = c1.number_input("Seats", 1, 10_000, 100)
    method = st.selectbox("Method", list(labels), format_func=labels.get)

try:
    if per:
        result = seats_per_population(census.populations, int(per), min_seats=int(min_seats), max_seats=max_seats,
                                      rounding=rounding)
        proposed, total, ties = dict(result.seats), result.total, ()
    else:
        result = apportion(census.populations, int(seats), method=method, min_seats=int(min_seats),
                           max_seats=max_seats)
        proposed, total, ties = dict(result.seats), result.house_size, result.ties
except ConveneError as exc:
    st.error(f"The calculation failed: {exc}")
    st.stop()

st.subheader(f"{chamber}: {total} seats")
for tie in ties:
    st.warning(f"Tie: {', '.join(tie.candidates)} have equal claims to {tie.seats} seat(s) (value {tie.value:.6g}); "
               "the rule must say how to break it.")
order = sorted(census.populations, key=lambda s: -census.populations[s])
series = {f"Proposed {chamber}": [proposed.get(s, 0) for s in order],
          "House today (2020)": [census.house[s] for s in order],
          "Senate today": [census.senate[s] for s in order]}
with st.container(height=520):
    st.html(CHART_CSS + bars_html([census.names[s] for s in order], series,
                                  caption="Seats per state, most populous first (2020 census)."))
with st.expander("Seats per state"):
    st.dataframe([{"state": census.names[s], "population": census.populations[s],
                   f"Proposed {chamber}": proposed.get(s, 0), "House today": census.house[s],
                   "Senate today": census.senate[s]} for s in order], hide_index=True)

st.subheader("Write the rule into the draft")
text = rule_text(per=int(per) if per else None, seats=int(seats) if seats else None,
                 method_label=labels.get(method, ""), min_seats=int(min_seats), max_seats=max_seats,
                 chamber=chamber, rounding=rounding)
st.caption("Provision text (you can edit it in the draft afterwards)")
st.code(text, language=None, wrap_lines=True)  # read-only, at full contrast (a disabled text area is greyed out)


def write_rule() -> None:
    draft_id = state.open_draft_id()
    if not draft_id:
        st.session_state["flash"] = ("warning", "Open or create a draft on the Draft page first.")
        return
    largest = order[0]
    why = (f"Calculator, 2020 census: {total} seats; {census.names[largest]} {proposed.get(largest, 0)}, "
           f"smallest states {min(proposed.values())}.")
    try:
        tops = {p.node.kind for p in state.drafts().get(draft_id).tree}
        kind = Kind.ARTICLE if Kind.ARTICLE in tops else Kind.SECTION  # beside the draft's articles, an article
        draft = state.drafts().apply(draft_id, Write(kind=kind, heading=f"Apportionment of the {chamber}",
                                                     text=text, rationale=why), base=None)
    except ConveneError as exc:
        st.session_state["flash"] = ("error", f"Writing the rule failed: {exc}")
        return
    st.session_state["flash"] = ("success", f"Added “Apportionment of the {chamber}” to “{draft.title}” "
                                            f"(revision {draft.revision}).")


st.button("Add as a new provision of the open draft", on_click=write_rule, disabled=not state.open_draft_id())
