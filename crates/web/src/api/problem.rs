//! Every error of the JSON API as an RFC 9457 problem document (`application/problem+json`),
//! decided in this one place.
//!
//! A problem names its `kind` (a stable snake_case key, also the last part of its `type`),
//! and for a refusal of a process rule the rule's key (`rule`, core's
//! [`DomainError::rule`]); `detail` is in the language of `Accept-Language` (German unless
//! English is asked for), and `messages` carries the sentence in both languages.
//! Handlers return [`Problem`] as a bare response; [`render`], the API's outermost layer,
//! writes it, and turns every other error response into a problem too.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use wegbereiter_core::ports::StorageError;
use wegbereiter_core::{DomainError, Lang, ServiceError};

/// The `type` of every problem begins with this; the `kind` follows.
pub const TYPE_PREFIX: &str = "urn:wegbereiter:problem:";

/// A sentence in German and English.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct Messages {
    /// German.
    pub de: String,
    /// English.
    pub en: String,
}

/// An RFC 9457 problem document, as it is written.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Problem, example = json!({
    "type": "urn:wegbereiter:problem:rule_refused",
    "title": "A process rule refused the request",
    "status": 422,
    "detail": "Der Fall ist noch nicht aufgenommen.",
    "kind": "rule_refused",
    "rule": "I2",
    "messages": {"de": "Der Fall ist noch nicht aufgenommen.", "en": "The case is not enrolled yet."}
}))]
pub struct Document {
    /// `urn:wegbereiter:problem:` followed by `kind`.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// A short English summary of the kind of problem.
    pub title: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// The sentence for people, in the request's language.
    pub detail: String,
    /// Stable key of the kind of problem (`unauthenticated`, `insufficient_scope`,
    /// `forbidden`, `not_found`, `invalid_request`, `rule_refused`, `precondition_failed`,
    /// `conflict`, `already_exists`, `idempotency_key_reused`, `idempotency_in_progress`, `rate_limited`,
    /// `method_not_allowed`, `unavailable`, `internal`).
    pub kind: &'static str,
    /// The rule of the process a refusal enforces (core's rule key, e.g. `I3`, `R12`,
    /// `process step 4`); only for `rule_refused`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// The sentence in German and English.
    pub messages: Messages,
    /// The case's current version, for `precondition_failed` and `conflict`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u64>,
    /// The position (from 0) of the refused item of a batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// Seconds until the next request is accepted, for `rate_limited`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// A problem on its way to becoming a [`Document`] (small, so that `Result<_, Problem>`
/// stays cheap to pass around).
#[derive(Debug, Clone)]
pub struct Problem {
    /// A short English summary of the kind of problem.
    pub title: &'static str,
    /// The HTTP status code.
    pub status: u16,
    /// Stable key of the kind of problem ([`Document::kind`]).
    pub kind: &'static str,
    /// The rule a refusal enforces.
    pub rule: Option<&'static str>,
    /// The sentence in German and English.
    pub messages: Box<Messages>,
    /// The case's current version.
    pub current_version: Option<u64>,
    /// The position of the refused item of a batch.
    pub index: Option<usize>,
    /// Seconds until the next request is accepted.
    pub retry_after: Option<u64>,
}

impl Problem {
    /// A problem of `kind` with `status`, its title, and the sentence `de`/`en`.
    #[must_use]
    pub fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        de: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            title,
            status: status.as_u16(),
            kind,
            rule: None,
            messages: Box::new(Messages {
                de: de.into(),
                en: en.into(),
            }),
            current_version: None,
            index: None,
            retry_after: None,
        }
    }

    /// No or an unusable bearer token.
    #[must_use]
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Authentication required",
            "Bitte mit einem gültigen persönlichen Zugangstoken anmelden (Authorization: Bearer …).",
            "Please authenticate with a valid personal access token (Authorization: Bearer …).",
        )
    }

    /// The token's scope is narrower than the endpoint needs.
    #[must_use]
    pub fn insufficient_scope(needed: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            "The token's scope does not allow this",
            format!("Dieses Zugangstoken darf das nicht (nötig: Umfang „{needed}“)."),
            format!("This access token may not do this (needs scope \"{needed}\")."),
        )
    }

    /// Unknown resource, or a case the caller may not know of.
    #[must_use]
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "Not found",
            "Nicht gefunden.",
            "Not found.",
        )
    }

    /// The request could not be read: `why` says what (in English, from the parser).
    #[must_use]
    pub fn invalid(why: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_request",
            "The request could not be read",
            format!("Die Anfrage ist nicht lesbar: {why}"),
            format!("The request cannot be read: {why}"),
        )
    }

    /// A malformed request (header, query, JSON syntax).
    #[must_use]
    pub fn bad_request(why: &str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST.as_u16(),
            ..Self::invalid(why)
        }
    }

    /// Too many requests with this token.
    #[must_use]
    pub fn rate_limited(retry_after: u64) -> Self {
        Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "Too many requests",
                format!("Zu viele Anfragen; bitte in {retry_after} s erneut versuchen."),
                format!("Too many requests; please try again in {retry_after} s."),
            )
        }
    }

    /// Something unexpected; the details go to the server log only.
    #[must_use]
    pub fn internal(why: &str) -> Self {
        tracing::error!("api: {why}");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "Ein unerwarteter Fehler ist aufgetreten.",
            "An unexpected error occurred.",
        )
    }

    /// A refusal of a process rule, with the rule's key.
    #[must_use]
    pub fn rule(e: &DomainError) -> Self {
        Self {
            rule: Some(e.rule()),
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "rule_refused",
                "A process rule refused the request",
                e.message(Lang::De),
                e.message(Lang::En),
            )
        }
    }

    /// The `If-Match` version is not the case's version.
    #[must_use]
    pub fn stale(current: u64) -> Self {
        Self {
            current_version: Some(current),
            ..Self::new(
                StatusCode::PRECONDITION_FAILED,
                "precondition_failed",
                "The case has changed since that version",
                format!(
                    "Der Fall wurde zwischenzeitlich geändert (jetzt Version {current}); bitte neu laden."
                ),
                format!(
                    "The case was changed in the meantime (now version {current}); please reload."
                ),
            )
        }
    }

    /// The idempotency key was used before for a different request.
    #[must_use]
    pub fn key_reused() -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "The idempotency key was used for another request",
            "Dieser Idempotency-Key wurde schon für eine andere Anfrage verwendet.",
            "This Idempotency-Key was already used for a different request.",
        )
    }

    /// The first request with the idempotency key is still running.
    #[must_use]
    pub fn key_in_progress() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "idempotency_in_progress",
            "A request with this idempotency key is still running",
            "Eine Anfrage mit diesem Idempotency-Key läuft noch; bitte gleich erneut versuchen.",
            "A request with this Idempotency-Key is still running; please retry shortly.",
        )
    }

    /// A unique value is taken (a login, a team's name) or the id of a new thing names one
    /// that exists; `what` names it.
    #[must_use]
    pub fn already_exists(what: &str) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "already_exists",
            "Something with this id or name exists",
            format!("Das gibt es schon: {what}."),
            format!("This exists already: {what}."),
        )
    }

    /// Another writer won a race that could not be retried.
    #[must_use]
    pub fn conflict(current: u64) -> Self {
        Self {
            status: StatusCode::CONFLICT.as_u16(),
            kind: "conflict",
            title: "Someone else changed the case at the same time",
            ..Self::stale(current)
        }
    }

    /// The problem for a refusal or failure of [`wegbereiter_core::CaseService`];
    /// `if_match` is the version the request named, if it named one.
    #[must_use]
    pub fn service(e: ServiceError, if_match: Option<u64>) -> Self {
        match e {
            e if e.is_not_found() => Self::not_found(),
            ServiceError::Forbidden(right) => Self::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "The access policy refused",
                right.refusal(Lang::De),
                right.refusal(Lang::En),
            ),
            ServiceError::Rule(rule) => Self::rule(&rule),
            ServiceError::Conflict { actual, .. } if if_match.is_some() => Self::stale(actual),
            ServiceError::Conflict { actual, .. } => Self::conflict(actual),
            ServiceError::Storage(e) => e.into(),
            other => Self::internal(&other.to_string()),
        }
    }
}

impl From<StorageError> for Problem {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::AlreadyExists(what) => Self::already_exists(&what),
            StorageError::Unavailable(_) => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The database is busy or unavailable",
                "Die Datenbank ist gerade nicht erreichbar; bitte später erneut versuchen.",
                "The database is not available right now; please try again later.",
            ),
            other => Self::internal(&other.to_string()),
        }
    }
}

impl From<crate::error::AppError> for Problem {
    fn from(e: crate::error::AppError) -> Self {
        use crate::error::AppError;
        match e {
            AppError::NotFound => Self::not_found(),
            AppError::Refused(right) => Self::service(ServiceError::Forbidden(right), None),
            AppError::Storage(e) => e.into(),
            other => Self::internal(&other.to_string()),
        }
    }
}

impl IntoResponse for Problem {
    /// A bare response carrying the problem; [`render`] (the API's outermost layer, which
    /// knows the request's language) writes the document.
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut res = status.into_response();
        res.extensions_mut().insert(self);
        res
    }
}

impl Problem {
    /// The problem for an error response made outside the API's handlers (an unknown route,
    /// a wrong method, a body over the limit, a timeout, a caught panic).
    fn of_status(status: StatusCode) -> Self {
        match status {
            StatusCode::NOT_FOUND => Self::not_found(),
            StatusCode::METHOD_NOT_ALLOWED => Self {
                status: status.as_u16(),
                ..Self::new(
                    status,
                    "method_not_allowed",
                    "Method not allowed",
                    "Diese Methode ist hier nicht erlaubt.",
                    "This method is not allowed here.",
                )
            },
            StatusCode::PAYLOAD_TOO_LARGE => Self {
                status: status.as_u16(),
                ..Self::bad_request("the body is too large (at most 1 MiB)")
            },
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => {
                StorageError::Unavailable("timeout".into()).into()
            }
            s if s.is_client_error() => Self {
                status: s.as_u16(),
                ..Self::bad_request(s.canonical_reason().unwrap_or("bad request"))
            },
            _ => Self::internal("an error response without a problem"),
        }
    }

    fn document(self, lang: Lang) -> Response {
        let detail = match lang {
            Lang::En => self.messages.en.clone(),
            _ => self.messages.de.clone(),
        };
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let doc = Document {
            type_uri: format!("{TYPE_PREFIX}{}", self.kind),
            title: self.title,
            status: self.status,
            detail,
            kind: self.kind,
            rule: self.rule,
            messages: *self.messages,
            current_version: self.current_version,
            index: self.index,
            retry_after: self.retry_after,
        };
        let body = serde_json::to_vec(&doc).unwrap_or_default();
        let mut res = (status, body).into_response();
        let h = res.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(secs) = doc.retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if status == StatusCode::UNAUTHORIZED {
            h.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"wegbereiter\""),
            );
        }
        res
    }
}

/// The request's language: English if `Accept-Language` begins with it, else German.
#[must_use]
pub fn request_lang(headers: &axum::http::HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map_or(Lang::De, Lang::from_locale)
}

/// The API's outermost layer: writes every problem as its document in the request's
/// language, and turns every other error response (made by the framework or a layer) into
/// one, so that the API never answers with HTML or an empty error.
pub async fn render(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = request_lang(req.headers());
    let mut res = next.run(req).await;
    if let Some(problem) = res.extensions_mut().remove::<Problem>() {
        return problem.document(lang);
    }
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        return Problem::of_status(status).document(lang);
    }
    res
}
