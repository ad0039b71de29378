//! The timeline: core's case-file timeline of the case history, newest first.

use wegbereiter_core::case_file;

use super::Loaded;
use super::prelude::*;
use crate::context::ReqCtx;

/// A line of the timeline.
#[derive(Debug, Clone)]
pub struct HistoryRow {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// What.
    pub what: String,
    /// Details.
    pub detail: String,
}

/// The timeline of `case` as `reader` may read it, newest first.
pub(super) async fn rows(
    state: &AppState,
    ctx: &ReqCtx,
    reader: &Actor,
    case: &Case,
    loaded: &Loaded,
) -> Result<Vec<HistoryRow>, AppError> {
    let history = state.backend.history(case.id).await?;
    let view = case_file::View {
        reader,
        lang: ctx.lang,
        medium: case_file::Medium::Screen,
        now: ctx.local_now,
    };
    let lines = case_file::timeline(case, &history, &view, &loaded.dir())?;
    Ok(lines
        .into_iter()
        .rev()
        .map(|line| HistoryRow {
            at: views::datetime(line.recorded_at, ctx.lang, ctx.tz),
            actor: line.actor_name.unwrap_or_else(|| "–".to_owned()),
            what: line.title.to_owned(),
            detail: line.detail,
        })
        .collect())
}
