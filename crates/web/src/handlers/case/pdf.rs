//! What every PDF download of a case has in common: the documents crate lays the document out
//! on tokio's blocking pool, at most two at once (a render takes tens of milliseconds of CPU
//! and typst's memory is bounded per render, so a burst of downloads queues instead of
//! starving the pages), and the bytes go out as an attachment that no cache keeps.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use wegbereiter_documents::DocumentError;

use crate::error::AppError;

/// At most two PDFs are laid out at once, whichever document they are.
static RENDERING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// Lays `doc` out with `layout` (one of the documents crate's functions) off the runtime.
///
/// # Errors
/// [`AppError::Internal`] if the blocking task fails or typst refuses a bundled template.
pub async fn render<T: Send + 'static>(
    doc: T,
    layout: fn(&T) -> Result<Vec<u8>, DocumentError>,
) -> Result<Vec<u8>, AppError> {
    let _permit = RENDERING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || layout(&doc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// `bytes` as the download `file` (a name of ASCII letters, digits and dashes).
pub fn download(file: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
