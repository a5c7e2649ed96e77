// Starts GraphiQL on this server. The page is served at the GraphQL endpoint itself, so the
// endpoint is the page's own address and subscriptions use `<endpoint>/ws` with graphql-ws.
// GraphiQL sends the Headers tab with every HTTP request and, for a subscription, as the
// WebSocket's connection_init payload, which is where the server reads the token.
(function () {
  "use strict";
  var endpoint = window.location.origin + window.location.pathname.replace(/\/+$/, "");
  var socket = endpoint.replace(/^http/, "ws") + "/ws";

  var welcome = [
    "# champion-tracker",
    "#",
    "# Sign in first (a demo server prints its accounts when it starts):",
    "#",
    '#   mutation { login(email: "you@example.org", password: "…") { token expiresAt } }',
    "#",
    "# then open Headers below and enter",
    "#",
    '#   { "Authorization": "Bearer <token>" }',
    "#",
    "# and press the re-fetch button (or Shift-Ctrl-R): the schema, and with it the Docs",
    "# pane, is shown to signed-in users only. Queries and mutations go over HTTP,",
    "# subscriptions over the WebSocket at " + socket + "; both send",
    "# those headers.",
    "",
    "query Me {",
    "  me {",
    "    email",
    "    role",
    "  }",
    "}",
    "",
  ].join("\n");

  var fetcher = GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socket });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: welcome,
      defaultEditorToolsVisibility: true,
    }),
  );
})();
