//! GraphiQL, served from the binary: the page at `GET /graphql` (for browsers) and its pinned
//! assets under `/graphiql/`. Queries and mutations go over HTTP, subscriptions over graphql-ws at
//! `/graphql/ws`, and the headers typed into the page's Headers tab (the token) go with both.
//! `build.rs` beside this file fetches and checks the assets; the page loads each with its
//! Subresource Integrity hash, under a Content-Security-Policy that allows only this origin.

use poem::http::{StatusCode, header};
use poem::web::Path;
use poem::{Response, handler};

pub(crate) struct Asset {
    name: &'static str,
    integrity: &'static str,
    bytes: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/graphiql_assets.rs"));

/// Where assets are served; the names carry versions or content hashes, so they never change.
const ASSET_ROUTE: &str = "/graphiql/";

/// What the page may load: scripts, styles and connections to this origin alone (`'self'`
/// covers the same host's `ws:`/`wss:`). GraphiQL sets element styles and shows inline images.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// The page's HTML: each asset once, stylesheets in the head, scripts in load order.
pub fn page() -> String {
    let mut head = String::new();
    let mut scripts = String::new();
    for asset in ASSETS {
        if asset.name.ends_with(".css") {
            head.push_str(&format!(
                "<link rel=\"stylesheet\" href=\"{ASSET_ROUTE}{}\" integrity=\"{}\">\n",
                asset.name, asset.integrity
            ));
        } else {
            scripts.push_str(&format!(
                "<script src=\"{ASSET_ROUTE}{}\" integrity=\"{}\"></script>\n",
                asset.name, asset.integrity
            ));
        }
    }
    let body = match NOT_BUILT_IN {
        None => format!("<div id=\"graphiql\">Loading GraphiQL…</div>\n{scripts}"),
        Some(why) => format!(
            "<main class=\"not-built-in\"><h1>GraphiQL is not built into this server</h1>\
             <p>The build could not fetch its files: {}.</p><p>Build the server where <code>npm</code> \
             can reach its registry, or set <code>GRAPHIQL_PACKAGES_DIR</code> to a folder holding the \
             tarballs listed in <code>src/graphiql/packages.json</code>. The API at this address works \
             without it.</p></main>",
            escape_html(why)
        ),
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>champion-tracker · GraphiQL</title>\n{head}</head>\n<body>\n{body}</body>\n</html>\n"
    )
}

/// The page as a response, with its security headers.
pub fn page_response() -> Response {
    Response::builder()
        .content_type("text/html; charset=utf-8")
        .header(header::CONTENT_SECURITY_POLICY, PAGE_POLICY)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .header(header::REFERRER_POLICY, "no-referrer")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(page())
}

/// `GET /graphiql/:name`: one asset, cacheable for good since its name never changes.
#[handler]
pub fn serve_asset(Path(name): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == name) else {
        return Response::builder().status(StatusCode::NOT_FOUND).finish();
    };
    let content_type =
        if asset.name.ends_with(".css") { "text/css; charset=utf-8" } else { "text/javascript; charset=utf-8" };
    Response::builder()
        .content_type(content_type)
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        .body(asset.bytes)
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
