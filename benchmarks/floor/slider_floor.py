"""Floor for the interaction-to-paint ratio: only a "Hip flexion" slider and a length read out beside it.

The anatomy page's hip control is held to this: a key press on the slider until the readout shows the new
length, in the same run (benchmarks/diagram.py). The slider has the app's label, range, step and value
format; the readout is an `st.metric` like the app's, computed by one line of arithmetic.
"""

import streamlit as st

st.set_page_config(page_title="Slider floor", layout="wide")
st.title("Slider floor")
angle = st.slider("Hip flexion", -20, 90, 0, step=5, key="a_angle", format="%d degrees")
st.metric("Psoas length", f"{26.1 - 0.04 * angle:.1f} cm")
