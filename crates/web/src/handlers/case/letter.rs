//! The announcement letter (rules R5, R8, R9): core's `letter::AnnouncementLetter` of a
//! recorded announcement, as a printable page and as a PDF/A file from the documents crate,
//! in the standard text or in Leichte Sprache (`?easy=1`), with a translation page in the
//! client's letter language (or `?translation=uk`, `?translation=none`). A translation nobody
//! has reviewed is marked on the page, and its PDF is made only with `?confirm=1` (core's
//! `AnnouncementLetter::check_printable`). Access as for viewing the case; each is recorded
//! in the access log as an export.

use askama::Template;
use axum::extract::Query;
use serde::Deserialize;
use wegbereiter_core::letter::{self, AnnouncementLetter, LetterLanguage, Register, Signer};
use wegbereiter_core::ports::AccessKind;
use wegbereiter_core::vocab::Labelled;

use super::prelude::*;
use super::record;
use crate::context::ReqCtx;
use crate::handlers::ok;
use crate::views::Layout;

/// `?easy=1`: the letter in Leichte Sprache; `?translation=uk|none`: another translation
/// than the client's letter language; `?confirm=1`: print an unreviewed translation.
#[derive(Debug, Default, Deserialize)]
pub struct LetterQuery {
    /// `1` for Leichte Sprache.
    #[serde(default)]
    easy: Option<String>,
    /// A letter language's key, or `none`; absent: the client's letter language.
    #[serde(default)]
    translation: Option<String>,
    /// `1`: the person printing confirms an unreviewed translation.
    #[serde(default)]
    confirm: Option<String>,
}

/// Whether a query flag is set.
fn flag(value: Option<&str>) -> bool {
    matches!(value, Some("1" | "true" | "yes" | "on"))
}

impl LetterQuery {
    fn register(&self) -> Register {
        if flag(self.easy.as_deref()) {
            Register::EasyRead
        } else {
            Register::Standard
        }
    }

    /// The translation asked for: `None` for the client's letter language, `Some(None)` for
    /// none; an unknown key is a bad request.
    fn translation(&self) -> Result<Option<Option<LetterLanguage>>, AppError> {
        match self.translation.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some("none") => Ok(Some(None)),
            Some(key) => LetterLanguage::from_key(key)
                .map(|l| Some(Some(l)))
                .ok_or(AppError::BadRequest),
        }
    }

    /// The query part that keeps the chosen text and translation (for links between views).
    fn keep(&self) -> String {
        let mut parts = Vec::new();
        if flag(self.easy.as_deref()) {
            parts.push("easy=1".to_owned());
        }
        if let Some(t) = self.translation.as_deref().map(str::trim)
            && (t == "none" || LetterLanguage::from_key(t).is_some())
        {
            parts.push(format!("translation={t}"));
        }
        parts.join("&")
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
    q: &LetterQuery,
) -> Result<(CaseId, Option<LetterLanguage>, AnnouncementLetter), AppError> {
    let register = q.register();
    let asked = q.translation()?;
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
            let translation = asked.unwrap_or(case.referral.client.letter_language);
            letter::announcement_letter(
                case,
                n,
                &state.letters,
                &signer,
                register,
                ctx.lang,
                translation,
            )
        })
        .ok_or(AppError::NotFound)?;
    record(state, ctx, user, case.id, AccessKind::Export).await?;
    Ok((case.id, case.referral.client.letter_language, letter))
}

#[derive(Template)]
#[template(path = "letter.html")]
struct LetterPage {
    l: Layout,
    id: String,
    /// The letter's address without the query.
    base: String,
    easy: bool,
    /// The query that keeps the chosen text and translation.
    keep: String,
    /// The client's letter language (for the translation choice).
    client_language: Option<LetterLanguage>,
    /// Every letter language, with its key and German/English label.
    languages: Vec<(&'static str, &'static str)>,
    /// Whether the letter carries a translation nobody reviewed (its PDF needs confirming).
    unreviewed: bool,
    /// Core's refusal when the PDF of an unreviewed translation was asked for unconfirmed.
    refused: Option<String>,
    letter: AnnouncementLetter,
}

impl LetterPage {
    /// The page for `letter` of case `case`.
    fn new(
        ctx: &ReqCtx,
        case: CaseId,
        n: &str,
        q: &LetterQuery,
        client_language: Option<LetterLanguage>,
        letter: AnnouncementLetter,
    ) -> Self {
        Self {
            l: Layout::new(ctx, "letter.title", ""),
            id: case.to_string(),
            base: format!("/cases/{case}/outreach/letters/{n}"),
            easy: q.register() == Register::EasyRead,
            keep: q.keep(),
            client_language,
            languages: LetterLanguage::ALL
                .iter()
                .map(|l| (l.key(), l.label(ctx.lang)))
                .collect(),
            refused: None,
            unreviewed: letter.check_printable(false).is_err(),
            letter,
        }
    }
}

/// GET /cases/{id}/outreach/letters/{n}/print[?easy=1]: the `n`-th recorded announcement
/// letter as a printable page, with links to its PDF and to the other text.
pub async fn print_letter(
    State(state): State<AppState>,
    Auth(ctx, user): Auth,
    Path((id, n)): Path<(String, String)>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, AppError> {
    let (case, client_language, letter) = letter_of(&state, &ctx, &user, &id, &n, &q).await?;
    ok(&LetterPage::new(
        &ctx,
        case,
        &n,
        &q,
        client_language,
        letter,
    ))
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
    let (case, client_language, letter) = letter_of(&state, &ctx, &user, &id, &n, &q).await?;
    if let Err(refused) = letter.check_printable(flag(q.confirm.as_deref())) {
        // Not printed: the page again, with core's sentence and the confirmation.
        let mut page = LetterPage::new(&ctx, case, &n, &q, client_language, letter);
        page.refused = Some(refused.message(ctx.lang));
        let mut response = ok(&page)?;
        *response.status_mut() = axum::http::StatusCode::CONFLICT;
        return Ok(response);
    }
    let translated = letter.translation.as_ref().map(|t| t.lang);
    let bytes = super::pdf::render(letter, wegbereiter_documents::announcement_letter).await?;
    let file = format!(
        "ankuendigung-{}-{n}{}.pdf",
        case.case_number(),
        match (register, translated) {
            (Register::EasyRead, _) => "-leichte-sprache".to_owned(),
            (Register::Standard, Some(lang)) => format!("-de-{lang}"),
            (Register::Standard, None) => String::new(),
        }
    );
    Ok(super::pdf::download(&file, bytes))
}
