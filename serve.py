"""The app's server entry: Streamlit's own ASGI app (st.App) running app.py, with the security headers of
psoas_explorer/web/headers.py on every response and web/addresses.py sending a nested unknown address to the
not-found page. Run it as `streamlit run serve.py` (scripts/run.sh, the Dockerfile and the test servers all do);
`streamlit run app.py` would serve the same pages without them."""

import streamlit as st
from starlette.middleware import Middleware

from psoas_explorer.web.addresses import NestedAddresses
from psoas_explorer.web.headers import SecurityHeaders

app = st.App("app.py", middleware=[Middleware(SecurityHeaders), Middleware(NestedAddresses)])
