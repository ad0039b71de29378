//! The one place where HTTP errors are decided and turned into pages.
//!
//! Handlers return [`AppError`]; it becomes a bare response carrying an [`ErrorKind`]
//! extension, and [`finish`] (run by the request middleware, which knows the language and
//! the signed-in person) renders the friendly page. Responses of the framework itself (an
//! unknown route, a wrong method) are caught there too, so no raw error text ever reaches
//! people and a user's mistake never gives a 500.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use wegbereiter_core::Lang;
use wegbereiter_core::access::Right;
use wegbereiter_core::ports::StorageError;

use crate::context::ReqCtx;
use crate::views::Layout;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// Not signed in (or signed out by the idle timeout): go to the sign-in page.
    #[error("not signed in")]
    Unauthenticated,
    /// No such page, or a case whose existence is confidential.
    #[error("not found")]
    NotFound,
    /// The role does not allow this.
    #[error("forbidden")]
    Forbidden,
    /// Core's access policy refused this right (403, with the policy's sentence naming what
    /// was refused, [`Right::refusal`]).
    #[error("forbidden: {0}")]
    Refused(Right),
    /// The CSRF token was missing or wrong.
    #[error("csrf token missing or invalid")]
    Csrf,
    /// The request could not be read.
    #[error("bad request")]
    BadRequest,
    /// Storage failed.
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    /// Anything else unexpected.
    #[error("internal: {0}")]
    Internal(String),
}

/// The kind of error page, attached to a response for [`finish`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// 404.
    NotFound,
    /// 403.
    Forbidden,
    /// 403 for a right core's access policy refused.
    Refused(Right),
    /// 403 for a failed CSRF check.
    Csrf,
    /// 400.
    BadRequest,
    /// 405.
    MethodNotAllowed,
    /// 503 (database unavailable).
    Unavailable,
    /// 500.
    Internal,
}

impl ErrorKind {
    fn status(self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::Refused(_) | Self::Csrf => StatusCode::FORBIDDEN,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn from_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::FORBIDDEN => Self::Forbidden,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::SERVICE_UNAVAILABLE => Self::Unavailable,
            s if s.is_client_error() => Self::BadRequest,
            _ => Self::Internal,
        }
    }

    fn keys(self) -> (&'static str, &'static str) {
        match self {
            Self::NotFound => ("err.not_found.title", "err.not_found.text"),
            Self::Forbidden | Self::Refused(_) => ("err.forbidden.title", "err.forbidden.text"),
            Self::Csrf => ("err.csrf.title", "err.csrf.text"),
            Self::BadRequest => ("err.bad_request.title", "err.bad_request.text"),
            Self::MethodNotAllowed => ("err.not_found.title", "err.not_found.text"),
            Self::Unavailable => ("err.unavailable.title", "err.unavailable.text"),
            Self::Internal => ("err.internal.title", "err.internal.text"),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let kind = match self {
            Self::Unauthenticated => return Redirect::to("/login").into_response(),
            Self::NotFound => ErrorKind::NotFound,
            Self::Forbidden => ErrorKind::Forbidden,
            Self::Refused(right) => ErrorKind::Refused(right),
            Self::Csrf => ErrorKind::Csrf,
            Self::BadRequest => ErrorKind::BadRequest,
            Self::Storage(StorageError::Unavailable(e)) => {
                tracing::error!(status = 503, cause = %e, "database unavailable");
                ErrorKind::Unavailable
            }
            Self::Storage(e) => {
                tracing::error!(status = 500, cause = %e, "storage failure");
                ErrorKind::Internal
            }
            Self::Internal(e) => {
                tracing::error!(status = 500, cause = %e, "internal error");
                ErrorKind::Internal
            }
        };
        let mut res = kind.status().into_response();
        res.extensions_mut().insert(kind);
        res
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        Self::Internal(format!("template: {e}"))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    text: &'static str,
    signed_in: bool,
}

fn is_html(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Turns error responses into friendly pages in `lang` (see the module docs).
pub fn finish(res: Response, lang: Lang, ctx: Option<&ReqCtx>) -> Response {
    let status = res.status();
    let kind = match res.extensions().get::<ErrorKind>() {
        Some(kind) => *kind,
        None if (status.is_client_error() || status.is_server_error()) && !is_html(&res) => {
            ErrorKind::from_status(status)
        }
        None => return res,
    };
    let (title, text) = kind.keys();
    let l = match ctx {
        Some(ctx) => Layout::new(ctx, title, ""),
        None => Layout::bare(lang, title),
    };
    let text = match kind {
        // The access policy's own sentence, naming what was refused.
        ErrorKind::Refused(right) => right.refusal(ctx.map_or(lang, |c| c.lang)),
        _ => l.t(text),
    };
    let page = ErrorPage {
        text,
        signed_in: ctx.is_some_and(|c| c.user.is_some()),
        l,
    };
    match page.render() {
        Ok(html) => (kind.status(), Html(html)).into_response(),
        Err(_) => kind.status().into_response(),
    }
}
