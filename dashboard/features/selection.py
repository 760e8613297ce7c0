"""Which stop is selected: a click on the map, the timeline or the grid, or a stop's name
pressed in the itinerary (mouse or keyboard). The selection lives in the browser
(``dcc.Store`` "selection"); the trip view redraws (patches) from it."""

from __future__ import annotations

from dash import ClientsideFunction, Input, Output, State, ctx, no_update


def selection_from_click(trigger, map_click, timeline_click, grid_rows_selected, trip_id):
    """The stop a click chose, from whichever of the map, the timeline or the grid was clicked.
    A click on anything that is not a stop (a route line, an empty area) changes nothing."""
    try:
        if trigger == "map" and map_click:
            data = map_click["points"][0].get("customdata")
        elif trigger == "timeline" and timeline_click:
            data = timeline_click["points"][0].get("customdata")
        elif trigger == "stops-grid" and grid_rows_selected:
            data = [trip_id, grid_rows_selected[0]["stop_no"]]
        else:
            return no_update
        return {"trip_id": data[0], "stop_no": int(data[1])} if data else no_update
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return no_update


def register(app) -> None:
    @app.callback(Output("selection", "data"), Input("map", "clickData"), Input("timeline", "clickData"),
                  Input("stops-grid", "selectedRows"), State("trip-picker", "value"), prevent_initial_call=True)
    def _select(map_click, timeline_click, grid_selected, trip_id):
        return selection_from_click(ctx.triggered_id, map_click, timeline_click, grid_selected, trip_id)

    # In the browser (assets/story.js): a stop's name pressed in the story.
    app.clientside_callback(ClientsideFunction("story", "select"), Output("selection", "data", allow_duplicate=True),
                            Input("itinerary-story", "chosen"), State("trip-picker", "value"),
                            prevent_initial_call=True)
