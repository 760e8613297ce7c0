// The itinerary as a story, drawn in the browser from its plain data (dashboard/figures/text.py's
// itinerary_story, sent by dashboard/features/trip_view.py as the story component's 'data').
//
// Why here: a 200-stop trip's story is some 12,000 elements. As Dash components, built and
// serialised on the server and each watched by Dash's renderer, an edit took some 15 s of the
// browser's time to settle; as one component (dashboard/features/story.py) with its data, React
// draws plain elements, and a change of the chosen stop redraws it with no request at all.
//
// Every value is a text child (React escapes it), a link's href only what the server checked
// as plain http(s) ('link'). Each stop's name is a button (the keyboard way to a stop) that
// sets the component's 'chosen' prop, which the selection follows.
(function () {
  function ItineraryStory(props) {
    var h = window.React.createElement;

    function eventItem(e, i) {
      var parts = [h('span', {key: 'k', className: 'kind'}, e.kind), ' '];
      if (e.time) { parts.push(h('time', {key: 't', className: 'time'}, e.time), ' '); }
      parts.push(e.text);
      if (e.people) { parts.push(' ', h('span', {key: 'p', className: 'people'}, '(' + e.people + ')')); }
      var source = e.source ? ['Source: ', e.link ? h('a', {key: 'a', href: e.link, target: '_blank',
                                                        rel: 'noopener noreferrer'}, e.source) : e.source]
                            : '(no source given)';
      parts.push(' ', h('span', {key: 's', className: 'source'}, source));
      return h('li', {key: i}, parts);
    }

    function stopItem(stop) {
      var pressed = stop.key === props.selected;
      var name = [h('span', {key: 'h', className: 'visually-hidden'}, 'Stop ' + stop.number + ': '), stop.place];
      if (stop.country) { name.push(h('span', {key: 'c', className: 'country'}, ', ' + stop.country)); }
      return h('li', {key: stop.key, className: 'story-stop' + (pressed ? ' selected' : ''),
                      style: {'--stop-colour': stop.colour}}, [
        h('button', {key: 'b', type: 'button', className: 'stop-select', 'aria-pressed': pressed ? 'true' : 'false',
                     'data-stop': stop.number,
                     onClick: function () { props.setProps({chosen: {stop_no: stop.number, at: Date.now()}}); }}, [
          h('span', {key: 'n', className: 'stop-number', 'aria-hidden': 'true'}, String(stop.number)),
          h('span', {key: 'p'}, name)
        ]),
        h('p', {key: 'd', className: 'stop-dates'}, h('time', {dateTime: stop.arrive}, stop.dates)),
        stop.note ? h('p', {key: 'o', className: 'stop-note'}, stop.note) : null,
        stop.events.length ? h('ul', {key: 'e', className: 'events'}, stop.events.map(eventItem)) : null
      ]);
    }

    return h('div', {id: props.id}, (props.data || []).map(function (trip) {
      return h('ol', {key: trip.trip_id, className: 'story-stops', 'aria-label': trip.heading},
               trip.stops.map(stopItem));
    }));
  }

  window.tripviz = Object.assign({}, window.tripviz, {ItineraryStory: ItineraryStory});

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    story: {
      // The chosen stop shown pressed: "trip|stop" when it is a stop of the trip on screen.
      selected: function (selection, tripId) {
        return selection && selection.trip_id === tripId && selection.stop_no != null
          ? selection.trip_id + '|' + selection.stop_no : null;
      },
      // A stop's name pressed (mouse or keyboard): it is chosen.
      select: function (chosen, tripId) {
        if (!chosen || !tripId) { return window.dash_clientside.no_update; }
        return {trip_id: tripId, stop_no: parseInt(chosen.stop_no, 10)};
      }
    }
  });
})();
