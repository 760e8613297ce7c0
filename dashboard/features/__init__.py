"""The dashboard, feature by feature: each module holds one feature's layout pieces, its
callbacks as plain functions (what tests call) and their wiring (``register``); the feature's
browser-side code, if any, is in ``dashboard/assets`` (Dash's clientside functions).

- ``trip_view``: the trip on screen (map, timeline, story, stop details) and its redraws
- ``tour``: playing the tour day by day under the map (clientside)
- ``selection``: which stop is selected, from any of the views
- ``editing``: the stops grid, place candidates and saved choices
- ``files``: uploads, and the HTML/CSV/JSON downloads
- ``draft_panel``: a trip drafted from a news article
- ``traveller_record``: a traveller's whole record and comparisons
- ``shared_store``: saving, deleting and restoring trips in the shared store
- ``common``: what several features share (problem lists, patches, the drawings cache)

With ``layout``, ``callbacks`` and ``app`` these are the only modules that import Dash.
"""
