//! File exports over HTTP, under the same sign-in and read rules as the GraphQL API.

use std::sync::Arc;

use graphql::context::Viewer;
use graphql::id::{NodeType, decode_global_id};
use graphql::revision::{MatrixLine, matrix_lines, version_by_id};
use poem::http::{StatusCode, header};
use poem::web::{Data, Path};
use poem::{Request, Response, handler};

use super::auth::viewer_from_headers;
use super::errors::{request_error, unauthenticated};
use super::state::AppState;

/// `GET /export/versions/{id}/comment-response.csv`: the comment-response matrix of a version
/// (`id` is the version's GraphQL id), one line per decision on each feedback the caller may read.
#[handler]
pub(super) async fn comment_response_csv(
    req: &Request,
    Path(id): Path<String>,
    Data(state): Data<&Arc<AppState>>,
) -> Response {
    let viewer = match viewer_from_headers(state, &state.db, req.headers()).await {
        Ok(Viewer::Anonymous) => return unauthenticated(),
        Ok(viewer) => viewer,
        Err(response) => return response,
    };
    let version_id = match decode_global_id(&id.clone().into(), "id") {
        Ok((NodeType::GuideVersion, key)) => key,
        _ => return request_error(StatusCode::BAD_REQUEST, "BAD_USER_INPUT", "Not a guide version id"),
    };
    let version = match version_by_id(&state.db, version_id).await {
        Ok(Some(version)) => version,
        Ok(None) => return request_error(StatusCode::NOT_FOUND, "NOT_FOUND", "No such guide version"),
        Err(error) => return internal(&error),
    };
    let lines = match matrix_lines(&state.db, &viewer, version.id).await {
        Ok(lines) => lines,
        Err(error) => return internal(&error),
    };
    let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    if let Err(error) = writer.write_record(MatrixLine::COLUMNS) {
        return internal(&error);
    }
    for mut line in lines {
        line.comment = spreadsheet_safe(line.comment);
        line.source = spreadsheet_safe(line.source);
        line.rationale = line.rationale.map(spreadsheet_safe);
        line.revision_summary = line.revision_summary.map(spreadsheet_safe);
        if let Err(error) = writer.serialize(&line) {
            return internal(&error);
        }
    }
    let body = match writer.into_inner() {
        Ok(body) => body,
        Err(error) => return internal(&error),
    };
    let filename = file_name(&version.code);
    Response::builder()
        .status(StatusCode::OK)
        .content_type("text/csv; charset=utf-8")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\""))
        .header(header::CACHE_CONTROL, "no-store")
        .body(body)
}

/// The download's name, from the version code. Codes are free text: anything but ASCII letters,
/// digits, `-`, `_` and `.` becomes `_`, so a quote cannot end the quoted name early and a line
/// break or another byte a header may not hold cannot get the header silently dropped.
fn file_name(code: &str) -> String {
    let safe: String = code
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c.to_ascii_lowercase() } else { '_' })
        .collect();
    format!("comment-response-{safe}.csv")
}

fn internal(error: &dyn std::fmt::Debug) -> Response {
    tracing::error!(?error, "comment-response export failed");
    request_error(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", "Internal error; it has been logged")
}

/// Free text as a spreadsheet shows it, not runs it: a cell starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return would be taken for a formula, so it gets a leading apostrophe.
fn spreadsheet_safe(text: String) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text,
    }
}
