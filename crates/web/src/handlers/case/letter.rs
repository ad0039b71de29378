//! The announcement letter (rules R5, R8, R9): core's `letter::AnnouncementLetter` of a
//! recorded announcement, as a printable page and as a PDF/A file from the documents crate,
//! in the standard text or in Leichte Sprache (`?easy=1`). Access as for viewing the case;
//! each is recorded in the access log as an export.

use askama::Template;
use axum::extract::Query;
use serde::Deserialize;
use wegbereiter_core::letter::{self, AnnouncementLetter, Register, Signer};
use wegbereiter_core::ports::AccessKind;

use super::prelude::*;
use super::record;
use crate::context::ReqCtx;
use crate::handlers::ok;
use crate::views::Layout;

/// `?easy=1`: the letter in Leichte Sprache.
#[derive(Debug, Default, Deserialize)]
pub struct LetterQuery {
    /// `1` for Leichte Sprache.
    #[serde(default)]
    easy: Option<String>,
}

impl LetterQuery {
    fn register(&self) -> Register {
        match self.easy.as_deref() {
            Some("1" | "true" | "yes") => Register::EasyRead,
            _ => Register::Standard,
        }
    }
}

/// The `n`-th letter of case `id` (counting from 1) as the reader may see it, recorded in
/// the access log as an export; 404 for no such letter.
async fn letter_of(
    state: &AppState,
    ctx: &ReqCtx,
    user: &StaffMember,
    id: &str,
    n: &str,
    register: Register,
) -> Result<(CaseId, AnnouncementLetter), AppError> {
    let opened = open(state, user, id, Need::Read).await?;
    let case = &opened.case;
    // The key worker signs; before there is one, the person printing.
    let name = match case.key_worker {
        Some(k) => state.backend.staff(k).await?.map_or_else(
            || user.display_name.to_string(),
            |s| s.display_name.to_string(),
        ),
        None => user.display_name.to_string(),
    };
    let signer = Signer { name, phone: None };
    let letter = n
        .parse::<usize>()
        .ok()
        .and_then(|n| {
            letter::announcement_letter(case, n, &state.letters, &signer, register, ctx.lang)
        })
        .ok_or(AppError::NotFound)?;
    record(state, ctx, user, case.id, AccessKind::Export).await?;
    Ok((case.id, letter))
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    l: Layout,
    id: String,
    /// The letter's address without the query.
    base: String,
    easy: bool,
    letter: AnnouncementLetter,
}

/// GET /cases/{id}/outreach/letters/{n}/print[?easy=1]: the `n`-th recorded announcement
/// letter as a printable page, with links to its PDF and to the other text.
pub async fn print_letter(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, n)): Path<(String, String)>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, AppError> {
    let register = q.register();
    let (case, letter) = letter_of(&state, &ctx, &user, &id, &n, register).await?;
    ok(&LetterPage {
        l: Layout::new(&ctx, "letter.title", ""),
        id: case.to_string(),
        base: format!("/cases/{case}/outreach/letters/{n}"),
        easy: register == Register::EasyRead,
        letter,
    })
}

/// GET /cases/{id}/outreach/letters/{n}/pdf[?easy=1]: the same letter as a PDF/A-2b download,
/// laid out by `wegbereiter-documents` on tokio's blocking pool.
pub async fn letter_pdf(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, n)): Path<(String, String)>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, AppError> {
    let register = q.register();
    let (case, letter) = letter_of(&state, &ctx, &user, &id, &n, register).await?;
    let bytes = super::pdf::render(letter, wegbereiter_documents::announcement_letter).await?;
    let file = format!(
        "ankuendigung-{}-{n}{}.pdf",
        case.case_number(),
        match register {
            Register::Standard => "",
            Register::EasyRead => "-leichte-sprache",
        }
    );
    Ok(super::pdf::download(&file, bytes))
}
